"""Dialogue rounds in a real browser: a leadership round and a well-being round walked from
planning to follow-up by the people who do each step, the steps the app refuses, the
confidentiality of the planning group's notes, and the director's overview.

Every page goes through ``check_page`` (axe-core for WCAG 2.1 A/AA, and no CSP refusal,
script error or failed file). Each person logs in through the real form in a browser
context of their own, and clicks links and buttons by their visible text.

The app refuses a planned date in the past, so a dialogue that "has taken place" is made by
moving its date (and its invitations) back in the database, as if the weeks had passed.
"""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from dialogues.concepts.models import Concept
from dialogues.organisation.models import Person
from dialogues.rounds.domain import organisation as org_domain
from dialogues.rounds.domain.invitations import send_invitations
from dialogues.rounds.domain.steps import Plan, plan_round
from dialogues.rounds.models import Agreement, Round

from .conftest import (
    BROWSER_DB,
    check_page,
    click_and_wait,
    labelled,
    log_in,
    main_nav,
    path_of,
    visit,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

LEADERSHIP = "Leadership dialogue"
WELLBEING = "Well-being dialogue"
SECTION = "Section of Cases"
# The navigation's link to the rounds (it has read "Dialogues" and "Dialogue rounds").
ROUNDS_LINK = re.compile(r"^Dialogue(s| rounds)$")
CONCERN = "The manager's team had two sick leaves for stress this spring."


# --- helpers -------------------------------------------------------------------------------


def today():
    return timezone.localdate()


def iso(days: int) -> str:
    """An ISO date ``days`` from today (negative: in the past), as a date input takes it."""
    return (today() + timedelta(days=days)).isoformat()


def person_option(person: Person) -> str:
    """How a person is offered in the app's selects."""
    return f"{person.name} ({person.email})"


def as_person(new_page, person: Person) -> Page:
    """A browser of the person's own, logged in through the form."""
    page = new_page()
    log_in(page, person)
    return page


def messages(page: Page):
    return page.locator(".messages")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def next_step(page: Page):
    return page.get_by_role("region", name="Next step")


def current_step(page: Page):
    return page.get_by_role("navigation", name="Progress of the round").locator(
        '[aria-current="step"]'
    )


def open_round(page: Page, concept: str) -> None:
    """From any page: the "Dialogues" link, then the round of ``concept`` in the list."""
    click_and_wait(page, main_nav(page).get_by_role("link", name=ROUNDS_LINK))
    expect(heading(page)).to_have_text("Dialogue rounds")
    row = page.get_by_role("row").filter(has_text=concept).filter(has_text=SECTION)
    expect(row).to_have_count(1)
    click_and_wait(page, row.get_by_role("link"))
    expect(heading(page)).to_contain_text(concept)


def expect_field_error(field, text: str) -> None:
    """The message is rendered next to the field and is part of its description."""
    expect(field).to_have_attribute("aria-invalid", "true")
    field_id = field.get_attribute("id")
    error = field.page.locator(f"#{field_id}_error")
    expect(error).to_have_text(text)
    expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{field_id}_error\b"))


def submit(page: Page, name: str) -> None:
    click_and_wait(page, page.get_by_role("button", name=name, exact=True))


def start_round(page: Page, *, concept: str, days_ahead: int, facilitator: Person, manager=None):
    """Fill the "Start a round" form (reached from the overview) and submit it."""
    click_and_wait(page, main_nav(page).get_by_role("link", name="Overview", exact=True))
    click_and_wait(page, page.get_by_role("link", name="Start a round", exact=True))
    expect(heading(page)).to_have_text("Start a round")
    page.get_by_role("radio", name=concept, exact=True).check()
    labelled(page, "Unit").select_option(label=SECTION)
    if manager is not None:
        labelled(page, "Manager").select_option(label=person_option(manager))
    labelled(page, "Date").fill(iso(days_ahead))
    labelled(page, "Starts at").fill("10:00")
    labelled(page, "Place").fill("Building 1, room 204")
    page.get_by_role("radio", name="An HR partner facilitates").check()
    labelled(page, "HR partner who facilitates").select_option(label=person_option(facilitator))
    submit(page, "Plan the round")


def only_round(concept: str) -> Round:
    return Round.objects.get(concept__kind=concept)


def as_if_held_days_ago(round_: Round, days: int) -> None:
    """Move the round's date ``days`` into the past, with its invitations two weeks before.

    The UI refuses a past date, and the dialogue cannot be registered as held before the
    day it was invited to: so the invitation is moved back too, as if time had passed.
    """
    starts_at = timezone.localtime(round_.starts_at) - (
        timezone.localdate(round_.starts_at) - (today() - timedelta(days=days))
    )
    invited_at = starts_at - timedelta(days=14)
    Round.objects.filter(pk=round_.pk).update(starts_at=starts_at, invited_at=invited_at)
    round_.invitations.update(sent_at=invited_at)


def send_the_invitations(new_page, manager: Person, concept: str, count: int) -> Page:
    page = as_person(new_page, manager)
    open_round(page, concept)
    expect(next_step(page).get_by_role("button", name="Send the invitations")).to_be_visible()
    submit(page, "Send the invitations")
    expect(messages(page)).to_have_text(f"Invitations sent to {count} people.")
    expect(current_step(page)).to_have_text("Invited")
    sent = invitees(page).get_by_role("row")
    expect(sent).to_have_count(count + 1)  # and the header row
    for index in range(1, count + 1):
        expect(sent.nth(index).get_by_role("cell").nth(1)).not_to_have_text(re.compile("not yet"))
    return page


def register_held(page: Page, concept: str, held_on: str) -> None:
    open_round(page, concept)
    labelled(page, "The dialogue was held on").fill(held_on)
    submit(page, "Register the dialogue as held")
    expect(messages(page)).to_have_text("The dialogue is registered as held. Document it next.")
    expect(current_step(page)).to_have_text("Held")


def fill_group(page: Page, n: int, group: str, text: str) -> None:
    fieldset = page.get_by_role("group", name=f"Small group {n}", exact=True)
    labelled(fieldset, "Group").fill(group)
    labelled(fieldset, "The essentials the group brought forward").fill(text)


def fill_agreement(page: Page, n: int, what: str, owner: Person | None, due: str) -> None:
    fieldset = page.get_by_role("group", name=f"Agreement {n}", exact=True)
    labelled(fieldset, "What was agreed").fill(what)
    if owner is not None:
        labelled(fieldset, "Owner").select_option(label=person_option(owner))
    labelled(fieldset, "By when").fill(due)


def invitees(page: Page):
    """The table of who is invited (its caption has read "Invited" and "Invitees")."""
    return page.get_by_role("region", name=re.compile(r"^Invite(d|es)$"))


def history_lines(page: Page):
    return page.get_by_role("heading", name="History").locator("xpath=following-sibling::ol[1]/li")


# --- 1. a leadership round -----------------------------------------------------------------


def test_leadership_round_from_planning_to_follow_up(new_page, browser_org):
    org = browser_org

    # The director starts the round; the planning group is filled in from the organisation.
    director = as_person(new_page, org.director)
    start_round(
        director,
        concept=LEADERSHIP,
        days_ahead=30,
        facilitator=org.hr_partner,
        manager=org.manager,
    )
    expect(messages(director)).to_have_text(
        "The round is planned. Check who is invited before inviting."
    )
    expect(heading(director)).to_have_text(f"{LEADERSHIP}: {org.manager.name}")
    expect(current_step(director)).to_have_text("Planned")
    planning_group = director.get_by_role("heading", name="Planning group").locator(
        "xpath=following-sibling::ul[1]/li"
    )
    expect(planning_group).to_have_text(
        [
            f"Head of department: {org.director.name}",
            f"HR partner: {org.hr_partner.name}",
            f"LSU vice-chair: {org.lsu_vice_chair.name}",
        ]
    )
    invited = invitees(director)
    for person in (org.amr, org.employee, org.tr):
        expect(invited).to_contain_text(person.name)
    round_ = only_round("leadership")
    assert round_.manager == org.manager and round_.facilitator == org.hr_partner

    # The LSU vice-chair, in the planning group, writes down a confidential concern.
    vice_chair = as_person(new_page, org.lsu_vice_chair)
    open_round(vice_chair, LEADERSHIP)
    click_and_wait(vice_chair, vice_chair.get_by_role("link", name="Planning group notes"))
    expect(heading(vice_chair)).to_have_text("Planning group notes")
    vice_chair.get_by_role("radio", name="Confidential concern").check()
    labelled(vice_chair, "Note").fill(CONCERN)
    submit(vice_chair, "Save the note")
    expect(messages(vice_chair)).to_have_text(
        "The note was saved. Only the planning group can read it."
    )
    expect(vice_chair.get_by_role("article")).to_contain_text(CONCERN)
    notes_path = path_of(vice_chair)
    assert notes_path == f"/rounds/{round_.pk}/planning-notes/"

    # Neither the manager nor an invited employee sees the note or the way to it.
    manager = as_person(new_page, org.manager)
    employee = as_person(new_page, org.employee)
    for page in (manager, employee):
        open_round(page, LEADERSHIP)
        expect(page.locator("main")).not_to_contain_text(CONCERN)
        expect(page.get_by_role("link", name="Planning group notes")).to_have_count(0)
        visit(page, notes_path, status=403)
        expect(heading(page)).to_have_text("Not allowed")
        expect(page.locator("main")).not_to_contain_text(CONCERN)

    # Nor is it in the calendar file the manager can download.
    open_round(manager, LEADERSHIP)
    with manager.expect_download() as download_info:
        manager.get_by_role("link", name="Add to your calendar (.ics)").click()
    with open(download_info.value.path(), encoding="utf-8") as ics:
        calendar = ics.read()
    assert "BEGIN:VCALENDAR" in calendar and CONCERN not in calendar

    # The manager sends the invitations: every invitee has a sent time, and an e-mail.
    mail.outbox.clear()
    send_the_invitations(new_page, org.manager, LEADERSHIP, count=3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.email for p in (org.amr, org.employee, org.tr)
    )
    assert not any(CONCERN in m.body for m in mail.outbox), "The concern went out by e-mail"

    # The dialogue takes place; the HR partner (the facilitator) registers it as held.
    as_if_held_days_ago(round_, 3)
    hr = as_person(new_page, org.hr_partner)
    register_held(hr, LEADERSHIP, iso(-3))
    round_.refresh_from_db()
    assert round_.held_on == today() - timedelta(days=3)

    # Documenting is the facilitator's: the employee is refused the page.
    document_path = f"/rounds/{round_.pk}/documentation/"
    visit(employee, document_path, status=403)
    expect(heading(employee)).to_have_text("Not allowed")

    # The HR partner documents; an agreement without an owner is refused, nothing saved.
    click_and_wait(hr, hr.get_by_role("link", name="Document the dialogue"))
    expect(heading(hr)).to_have_text("Document the dialogue")
    fill_group(hr, 1, "Everyone", "We want clearer priorities from our manager.")
    labelled(hr, "What was discussed in plenary, with the leader").fill(
        "The manager explained how priorities are set each quarter."
    )
    hr.get_by_label("The dialogue cards were used").check()
    fill_agreement(hr, 1, "Share the quarterly priorities in writing", None, iso(45))
    submit(hr, "Save the documentation")
    expect(heading(hr)).to_have_text("Document the dialogue")
    expect(hr.get_by_text("Nothing was saved. Correct the fields marked below.")).to_be_visible()
    first_agreement = hr.get_by_role("group", name="Agreement 1", exact=True)
    expect_field_error(labelled(first_agreement, "Owner"), "Every agreement needs an owner.")
    # What was written is still in the form.
    expect(labelled(first_agreement, "What was agreed")).to_have_value(
        "Share the quarterly priorities in writing"
    )
    round_.refresh_from_db()
    assert round_.state == Round.State.HELD
    assert not round_.plenary and not round_.used_cards
    assert not round_.essentials.exists() and not round_.agreements.exists()

    labelled(first_agreement, "Owner").select_option(label=person_option(org.manager))
    submit(hr, "Save the documentation")
    expect(messages(hr)).to_have_text("The documentation was saved.")
    expect(current_step(hr)).to_have_text("Documented")
    expect(hr.locator("main")).to_contain_text("We want clearer priorities from our manager.")
    expect(hr.locator("main")).to_contain_text("The dialogue cards: yes")
    agreements = hr.get_by_role("region", name="Agreements on next steps")
    expect(agreements).to_contain_text("Share the quarterly priorities in writing")
    expect(agreements).to_contain_text(org.manager.name)

    # The manager records the follow-up with their own manager and the feedback.
    open_round(manager, LEADERSHIP)
    click_and_wait(manager, manager.get_by_role("link", name="Record the follow-up"))
    expect(heading(manager)).to_have_text("Record the follow-up")
    labelled(manager, "Follow-up dialogue with your own manager held on").fill(iso(0))
    labelled(manager, "Notes from the follow-up dialogue (seen by you and your manager)").fill(
        "Agreed with the director to publish the priorities."
    )
    labelled(manager, "Feedback given to your employees on").fill(iso(0))
    feedback = "Thank you: from now on the priorities come in writing every quarter."
    labelled(manager, "Your feedback to the employees (they will see this)").fill(feedback)
    submit(manager, "Save")
    expect(messages(manager)).to_have_text("The follow-up is recorded. The round is complete.")
    expect(current_step(manager)).to_have_text("Followed up")
    expect(manager.locator("main")).not_to_contain_text(CONCERN)

    # The history lists each step: who did it.
    expect(history_lines(manager)).to_have_text(
        [
            re.compile(rf"· {org.director.name} · planned the round\s*$"),
            re.compile(rf"· {org.manager.name} · sent the invitations\s*$"),
            re.compile(rf"· {org.hr_partner.name} · registered the dialogue as held\s*$"),
            re.compile(rf"· {org.hr_partner.name} · saved the documentation\s*$"),
            re.compile(rf"· {org.manager.name} · recorded the follow-up\s*$"),
        ]
    )

    # The employee reads the manager's feedback, but not the documentation.
    open_round(employee, LEADERSHIP)
    expect(current_step(employee)).to_have_text("Followed up")
    expect(
        employee.get_by_role("heading", name="The manager's feedback to the employees")
    ).to_be_visible()
    expect(employee.locator("main")).to_contain_text(feedback)
    main = employee.locator("main")
    expect(employee.get_by_role("heading", name="Documentation")).to_have_count(0)
    expect(main).not_to_contain_text("We want clearer priorities from our manager.")
    expect(main).not_to_contain_text("The manager explained how priorities are set")
    expect(main).not_to_contain_text("Agreed with the director to publish the priorities.")
    expect(main).not_to_contain_text(CONCERN)


# --- 2. a well-being round -----------------------------------------------------------------


def test_wellbeing_round_is_shared_in_the_unit_and_its_agreements_kept_on_the_board(
    new_page, browser_org
):
    org = browser_org

    # The HR partner starts the unit's well-being round, facilitating it themselves.
    hr = as_person(new_page, org.hr_partner)
    start_round(hr, concept=WELLBEING, days_ahead=30, facilitator=org.hr_partner)
    expect(messages(hr)).to_have_text("The round is planned. Check who is invited before inviting.")
    expect(heading(hr)).to_have_text(f"{WELLBEING}: {SECTION}")
    expect(hr.get_by_role("heading", name="Planning group")).to_have_count(0)
    linked = hr.get_by_role("heading", name="AMR, LSU and AMK linked to the round").locator(
        "xpath=following-sibling::ul[1]"
    )
    for person in (org.amr, org.lsu_member, org.lsu_vice_chair, org.amk_member):
        expect(linked).to_contain_text(person.name)
    round_ = only_round("wellbeing")
    assert round_.manager == org.manager

    # The manager invites; the dialogue takes place; the HR partner registers it as held.
    send_the_invitations(new_page, org.manager, WELLBEING, count=3)
    as_if_held_days_ago(round_, 2)
    register_held(hr, WELLBEING, iso(-2))

    # The HR partner documents two groups and two agreements.
    click_and_wait(hr, hr.get_by_role("link", name="Document the dialogue"))
    fill_group(hr, 1, "Group A", "Too many interruptions in the open office.")
    fill_group(hr, 2, "Group B", "Good collegial help when deadlines pile up.")
    labelled(hr, "What was discussed in plenary, with the leader").fill(
        "We talked about quiet hours and how to keep the good help going."
    )
    hr.get_by_label("The film was shown").check()
    hr.get_by_label("The next-step material was used").check()
    fill_agreement(hr, 1, "Try quiet hours every morning", org.employee, iso(30))
    fill_agreement(hr, 2, "Book a room for focused work", org.manager, iso(60))
    submit(hr, "Save the documentation")
    expect(messages(hr)).to_have_text("The documentation was saved.")
    expect(current_step(hr)).to_have_text("Documented")

    # The HR partner, facilitating, records how it was shared.
    click_and_wait(hr, hr.get_by_role("link", name="Record the follow-up"))
    labelled(hr, "Shared with the unit, LSU and AMK on").fill(iso(0))
    labelled(hr, "How the documentation and agreements were shared and followed up").fill(
        "Presented at the unit meeting and sent to LSU and AMK."
    )
    submit(hr, "Save")
    expect(messages(hr)).to_have_text("The follow-up is recorded. The round is complete.")
    expect(current_step(hr)).to_have_text("Followed up")

    # The unit's employees, its AMR and the LSU read the documentation.
    readers = {}
    for person in (org.employee, org.amr, org.lsu_member):
        page = readers[person] = as_person(new_page, person)
        open_round(page, WELLBEING)
        expect(page.get_by_role("heading", name="Documentation", exact=True)).to_be_visible()
        main = page.locator("main")
        expect(main).to_contain_text("Too many interruptions in the open office.")
        expect(main).to_contain_text("Good collegial help when deadlines pile up.")
        expect(main).to_contain_text("We talked about quiet hours")
        agreements = page.get_by_role("region", name="Agreements on next steps")
        expect(agreements).to_contain_text("Try quiet hours every morning")
        expect(agreements).to_contain_text("Book a room for focused work")

    # Someone from another department is refused the round and its PDF.
    outsider = as_person(new_page, org.outsider)
    for path in (f"/rounds/{round_.pk}/", f"/rounds/{round_.pk}/documentation.pdf"):
        visit(outsider, path, status=403)
        expect(heading(outsider)).to_have_text("Not allowed")

    # The LSU member downloads the PDF for the annual working environment discussion.
    lsu = readers[org.lsu_member]
    with lsu.expect_download() as download_info:
        lsu.get_by_role("link", name="Download the documentation as PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    check_page(lsu)

    # The employee owns an agreement: on the board they drop it, and must say why.
    employee = readers[org.employee]
    click_and_wait(employee, employee.get_by_role("link", name="The unit's agreement board"))
    expect(heading(employee)).to_have_text(f"Agreements in {SECTION}")
    theirs = Agreement.objects.get(what="Try quiet hours every morning")
    row = employee.locator(f"#agreement-{theirs.pk}")
    expect(row).to_contain_text("Try quiet hours every morning")
    # The manager's agreement is shown to the employee, not offered for change.
    others = employee.get_by_role("row").filter(has_text="Book a room for focused work")
    expect(others).to_contain_text("Open")
    expect(others.get_by_role("button", name="Save status")).to_have_count(0)

    labelled(row, "Status").select_option(label="Dropped")
    with employee.expect_response(
        lambda r: r.url.endswith(f"/rounds/agreements/{theirs.pk}/") and r.request.method == "POST"
    ):
        row.get_by_role("button", name="Save status").click()
    reason = labelled(row, "Why it was dropped")
    expect_field_error(reason, "Say why the agreement was dropped.")
    check_page(employee)
    theirs.refresh_from_db()
    assert theirs.status == Agreement.Status.OPEN

    expect(labelled(row, "Status")).to_have_value("dropped")
    labelled(row, "Why it was dropped").fill("The phones cannot be moved; we try a quiet room.")
    with employee.expect_response(
        lambda r: r.url.endswith(f"/rounds/agreements/{theirs.pk}/") and r.request.method == "POST"
    ):
        row.get_by_role("button", name="Save status").click()
    expect(row.get_by_role("status")).to_have_text("Saved.")
    check_page(employee)
    theirs.refresh_from_db()
    assert theirs.status == Agreement.Status.DROPPED
    assert theirs.dropped_reason == "The phones cannot be moved; we try a quiet room."

    # Read again, the round page shows the agreement as dropped, with the reason.
    open_round(employee, WELLBEING)
    expect(employee.get_by_role("region", name="Agreements on next steps")).to_contain_text(
        "Dropped: The phones cannot be moved; we try a quiet room."
    )


# --- 3. the steps the app refuses ----------------------------------------------------------


def test_refused_steps_say_why(new_page, browser_org):
    org = browser_org

    # A past date and a planning group without an LSU vice-chair: messages at the fields,
    # and no round is created.
    Person.objects.filter(pk=org.lsu_vice_chair.pk).update(is_active=False)
    director = as_person(new_page, org.director)
    start_round(
        director,
        concept=LEADERSHIP,
        days_ahead=-1,
        facilitator=org.hr_partner,
        manager=org.manager,
    )
    expect(heading(director)).to_have_text("Start a round")
    expect(
        director.get_by_text("Nothing was saved. Correct the fields marked below.")
    ).to_be_visible()
    expect_field_error(
        labelled(director, "Date"), "The date has passed. Choose today or a later date."
    )
    expect_field_error(
        labelled(director, "LSU vice-chair"),
        "The planning group needs all three members. The organisation has no "
        "LSU vice-chair for this unit: choose one.",
    )
    assert not Round.objects.exists()

    # With the vice-chair back and a later date, the round is planned.
    Person.objects.filter(pk=org.lsu_vice_chair.pk).update(is_active=True)
    labelled(director, "Date").fill(iso(20))
    submit(director, "Plan the round")
    expect(messages(director)).to_have_text(
        "The round is planned. Check who is invited before inviting."
    )
    round_ = only_round("leadership")

    # Before the invitations: nobody can register the dialogue as held, and the page says
    # who acts next; documenting is refused with the reason.
    employee = as_person(new_page, org.employee)
    open_round(employee, LEADERSHIP)
    expect(next_step(employee)).to_contain_text("The manager sends the invitations.")
    expect(employee.get_by_role("button", name="Register the dialogue as held")).to_have_count(0)

    hr = as_person(new_page, org.hr_partner)
    open_round(hr, LEADERSHIP)
    expect(hr.get_by_role("button", name="Register the dialogue as held")).to_have_count(0)
    expect(hr.get_by_label("The dialogue was held on")).to_have_count(0)
    expect(next_step(hr)).to_contain_text("Send the invitation")
    visit(hr, f"/rounds/{round_.pk}/documentation/")
    assert path_of(hr) == f"/rounds/{round_.pk}/"
    expect(messages(hr)).to_have_text(
        "The dialogue has not been registered as held: document it after it was held."
    )
    expect(current_step(hr)).to_have_text("Planned")

    # The planned date has passed: the invitations are refused until the date moves.
    Round.objects.filter(pk=round_.pk).update(starts_at=timezone.now() - timedelta(days=2))
    manager = as_person(new_page, org.manager)
    open_round(manager, LEADERSHIP)
    submit(manager, "Send the invitations")
    expect(messages(manager)).to_have_text(
        "The planned date has passed. Move the dialogue to a new date before inviting."
    )
    expect(current_step(manager)).to_have_text("Planned")
    assert not round_.invitations.filter(sent_at__isnull=False).exists()

    # The director moves the date through the plan; then the manager invites.
    open_round(director, LEADERSHIP)
    click_and_wait(director, director.get_by_role("link", name="Change the plan"))
    expect(heading(director)).to_have_text("Change the plan")
    labelled(director, "Date").fill(iso(10))
    submit(director, "Save the plan")
    expect(messages(director)).to_have_text("The plan was saved.")
    open_round(manager, LEADERSHIP)
    submit(manager, "Send the invitations")
    expect(current_step(manager)).to_have_text("Invited")

    # Registering as held: not without a date, not on a future date, not before the
    # invitation; each says why, and the round stays invited.
    open_round(hr, LEADERSHIP)
    held_on = labelled(hr, "The dialogue was held on")
    refusals = [
        ("", "Give the date the dialogue was held."),
        (iso(1), "A dialogue cannot be registered as held on a future date."),
        (iso(-1), "The dialogue cannot have been held before it was invited to."),
    ]
    for day, reason in refusals:
        held_on.fill(day)
        submit(hr, "Register the dialogue as held")
        expect(messages(hr)).to_have_text(reason)
        expect(current_step(hr)).to_have_text("Invited")
    round_.refresh_from_db()
    assert round_.state == Round.State.INVITED and round_.held_on is None
    # The manager is not the facilitator: no form to register it, and the page says who does.
    expect(next_step(manager)).to_contain_text(
        "After the dialogue, the facilitator registers it as held and documents it."
    )
    expect(manager.get_by_role("button", name="Register the dialogue as held")).to_have_count(0)


def test_follow_up_before_documentation_says_why(new_page, browser_org):
    """Skipping to the follow-up is refused with the reason, not a misleading 403."""
    org = browser_org
    round_ = plan_round(_plan(org, "leadership", days_ahead=20), org.director)
    manager = as_person(new_page, org.manager)
    open_round(manager, LEADERSHIP)
    expect(manager.get_by_role("link", name="Record the follow-up")).to_have_count(0)
    response = manager.goto(f"/rounds/{round_.pk}/follow-up/")
    check_page(manager)
    assert response.status != 403, (
        "The manager of the round opening its follow-up before documentation gets the 403 "
        f"page ({heading(manager).inner_text()!r}: 'Your roles do not give you access to "
        "this page'), not the reason: 'Document the dialogue before recording its follow-up.'"
    )
    expect(messages(manager)).to_contain_text(
        "Document the dialogue before recording its follow-up."
    )


# --- 4. the director's overview ------------------------------------------------------------


def _plan(org, kind: str, days_ahead: int) -> Plan:
    leadership = kind == "leadership"
    unit = org.section
    return Plan(
        concept=Concept.objects.get(kind=kind),
        unit=unit,
        manager=org.manager,
        starts_at=timezone.now() + timedelta(days=days_ahead),
        duration_minutes=120,
        place="Building 1, room 204",
        facilitation="hr",
        facilitator=org.hr_partner,
        invitees=list(org_domain.default_invitees(leadership, unit, org.manager)),
        planning_group=org_domain.suggested_planning_group(unit) if leadership else {},
        representatives=[] if leadership else list(org_domain.representatives(unit)),
    )


def test_directors_overview_filters_and_exports(new_page, browser_org):
    org = browser_org
    plan_round(_plan(org, "leadership", days_ahead=60), org.director)
    wellbeing = plan_round(_plan(org, "wellbeing", days_ahead=40), org.hr_partner)
    send_invitations(wellbeing, org.manager)

    director = as_person(new_page, org.director)
    click_and_wait(
        director,
        director.get_by_role(
            "link", name="Overview: has every unit and every manager held their dialogues?"
        ),
    )
    assert path_of(director) == "/rounds/overview/"
    expect(heading(director)).to_have_text("Dialogue overview")
    table = director.get_by_role("region", name="Units and managers")
    rows = table.get_by_role("row").filter(has_text=SECTION)
    expect(rows.filter(has_text=LEADERSHIP)).to_contain_text("Planned")
    expect(rows.filter(has_text=WELLBEING)).to_contain_text("Invited")

    # Choosing a concept updates the results in place (htmx) and the address.
    with director.expect_response(
        lambda r: "/rounds/overview/?" in r.url and "concept=wellbeing" in r.url
    ):
        labelled(director, "Concept").select_option(label=WELLBEING)
    expect(director).to_have_url(re.compile(r"/rounds/overview/\?.*concept=wellbeing"))
    body_rows = table.locator("tbody tr")
    expect(body_rows.filter(has_text=LEADERSHIP)).to_have_count(0)
    expect(body_rows.filter(has_text=WELLBEING).filter(has_text=SECTION)).to_contain_text("Invited")
    check_page(director)

    # The spreadsheet holds the same, filtered rows.
    with director.expect_download() as download_info:
        director.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    with open(download.path(), "rb") as xlsx:
        sheet = load_workbook(BytesIO(xlsx.read()))["Overview"]
    lines = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert lines, "The spreadsheet has no rows"
    assert all(line[3] == WELLBEING for line in lines), lines
    assert any(line[0] == SECTION and line[4] == "Invited" for line in lines), lines
    check_page(director)

    # And the row leads to the round.
    click_and_wait(
        director,
        table.get_by_role("link", name=re.compile(rf"^Open the round\s*: {WELLBEING}, {SECTION}$")),
    )
    expect(heading(director)).to_have_text(f"{WELLBEING}: {SECTION}")
    expect(current_step(director)).to_have_text("Invited")
