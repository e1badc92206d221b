"""HR runs a campaign in the browser: create, invite from a list, open, follow; an HR partner
records a group interview whose follow-up question appears when it applies. Every page is
checked with axe-core."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from dialogues.experiences.models import Campaign, Response
from dialogues.experiences.tests.factories import open_test_campaign

from .conftest import BROWSER_DB, PHONE, check_page, click_and_wait, labelled, log_in, visit

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_hr_creates_invites_opens_and_follows_a_campaign(new_page, browser_org, tmp_path):
    page = new_page()
    log_in(page, browser_org.hr_admin)
    click_and_wait(page, page.get_by_role("link", name="Experiences"))
    click_and_wait(page, page.get_by_role("link", name="New campaign"))

    # A campaign without units or a name is refused, with the message next to the fields.
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".errorlist").first).to_be_visible()
    assert not Campaign.objects.exists()

    today = timezone.localdate()
    labelled(page, "Name").fill("Autumn experiences")
    page.get_by_role("checkbox", name="Test University").check()
    labelled(page, "Opens on").fill(today.isoformat())
    labelled(page, "Closes on").fill((today + timedelta(days=14)).isoformat())
    labelled(page, "Invitation text (English)").fill("Tell us how it went.")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn experiences")

    listing = tmp_path / "invitees.csv"
    listing.write_text(
        "email;unit;language\n" + "".join(f"guest{n}@partner.example;S;en\n" for n in range(6)),
        encoding="utf-8",
    )
    click_and_wait(page, page.get_by_role("link", name="Add invitees from a list"))
    page.get_by_label(re.compile("List of invitees")).set_input_files(str(listing))
    click_and_wait(page, page.get_by_role("button", name="Check and add"))
    expect(page.get_by_text("6 invitees were added")).to_be_visible()

    click_and_wait(page, page.get_by_role("button", name="Open the campaign"))
    expect(page.get_by_text("the invitations to 6 people are being sent")).to_be_visible()
    assert len(mail.outbox) == 6
    # Nobody has answered yet: a 0 tells nothing about anyone, so it is shown.
    rates = page.get_by_role("table", name="Answers per unit and role group")
    expect(rates.get_by_role("row", name=re.compile("Test University"))).to_contain_text("0 %")


def test_an_hr_partner_records_a_group_interview_on_a_phone(new_page, browser_org):
    campaign, _tokens = open_test_campaign(browser_org)
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, browser_org.hr_partner)
    visit(page, f"/experiences/campaigns/{campaign.pk}/")
    click_and_wait(page, page.get_by_role("link", name="Record a group interview"))
    page.get_by_role("radio", name="Well-being dialogue").check()
    click_and_wait(page, page.get_by_role("button", name="Continue"))

    labelled(page, "Unit").select_option(value=str(browser_org.section.pk))
    page.get_by_role("checkbox", name="Employee").check()
    labelled(page, "Number of people in the interview").fill("6")
    # Question ids differ from test to test (the guide is seeded again): read them off the guide.
    questions = [q for s in campaign.guide_version.snapshot["sections"] for q in s["questions"]]
    first = questions[0]["id"]
    follow = next(q for q in questions if q.get("condition"))
    safe = follow["condition"]["question"]
    page.locator(f'textarea[name="wellbeing-{first}-text"]').fill(
        "We could speak freely in the small groups."
    )
    # "Did you feel safe?" answered "no": the follow-up appears (htmx), "yes" hides it again.
    follow_up = page.locator(f'[name="wellbeing-{follow["id"]}-choice"]')
    expect(follow_up).to_have_count(0)
    page.locator(f'input[name="wellbeing-{safe}-choice"][value="no"]').check()
    expect(follow_up.first).to_be_visible()
    page.locator(f'input[name="wellbeing-{safe}-choice"][value="yes"]').check()
    expect(follow_up).to_have_count(0)
    check_page(page)
    click_and_wait(page, page.get_by_role("button", name="Record the interview"))
    expect(page.get_by_text("The group interview was recorded.")).to_be_visible()
    response = Response.objects.get()
    assert response.source == Response.Source.INTERVIEW and response.participants == 6
    stored = {answer.question_id: (answer.choice, answer.text) for answer in response.answers.all()}
    assert stored == {first: ("", "We could speak freely in the small groups."), safe: ("yes", "")}
    check_page(page)
