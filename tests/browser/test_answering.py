"""A respondent answers through their personal link, in a real browser.

What only a browser shows: the htmx refreshes (concepts, conditional follow-ups, autosave into
a live region that stays on the page), focus after a refresh and after a refused submit, the
textarea's ``maxlength`` as the browser counts it, layout on a 375 px phone without sideways
scrolling, axe-core on every stage, and that nothing typed into an answer ever runs. The
answers' storage and the refusals' HTTP details are covered in
``dialogues/experiences/tests/test_answer_pages.py``.
"""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from dialogues.experiences.models import (
    ANSWER_MAX_LENGTH,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
)
from dialogues.experiences.tests.factories import open_test_campaign
from tests.browser.conftest import check_page, click_and_wait, visit

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}

# The seeded guide's questions, in English (the snapshot is searched for their ids).
PURPOSE = "How have you experienced the purpose of using dialogue as a lever"
SAFE = "Have you felt safe participating?"
FOLLOW_UP = "If not: have you talked to your union representative (TR)"
NEXT_STEP = "Did you talk about the next step?"
SURPRISES = "What insights have surprised you?"


def answer_path(token: str) -> str:
    return f"/experiences/answer/{token}/"


def question_id(campaign, english: str) -> str:
    """The id (as stored in the answers) of the frozen guide's question starting ``english``."""
    for section in campaign.guide_version.snapshot["sections"]:
        for question in section["questions"]:
            if question["text"]["en"].startswith(english):
                return str(question["id"])
    raise AssertionError(f"No question {english!r} in the guide")


def concept(page, name: str):
    """A concept's block of questions: a region named by its heading."""
    return page.get_by_role("region", name=name, exact=True)


def question(scope, text: str):
    """A closed question's group (its legend is the question)."""
    return scope.get_by_role("group", name=re.compile("^" + re.escape(text)))


@contextmanager
def htmx_round_trip(page):
    """Wait for the htmx request an action sends, and for its swap to settle."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"
    ):
        yield
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def type_answer(page, field, text: str) -> None:
    """Type an answer and leave the field, as a person does: the autosave then keeps it."""
    field.fill(text)
    with htmx_round_trip(page):
        field.press("Tab")


def assert_fits_the_screen(page) -> None:
    """No sideways scrolling (WCAG 1.4.10): the page is no wider than the viewport."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} > {widths[1]} px"


def responses_for(kind: str) -> list[dict]:
    """The answers stored for a concept, mixed or still waiting to be mixed."""
    return [
        *PendingResponse.objects.filter(concept=kind).values_list("answers", flat=True),
        *Response.objects.filter(concept=kind).values_list("answers", flat=True),
    ]


def test_a_danish_respondent_answers_both_concepts_on_a_phone_resumes_and_submits(
    new_page, browser_org
):
    campaign, tokens = open_test_campaign(browser_org, preset=("wellbeing",), language="da")
    page = new_page(locale="da-DK", viewport=PHONE)
    visit(page, answer_path(tokens[0]))
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dine erfaringer med dialogerne")
    assert_fits_the_screen(page)

    # The invitation's preset concept is chosen; choosing the other shows its questions too.
    wellbeing, leadership = concept(page, "Trivselsdialog"), concept(page, "Ledelsesdialog")
    expect(page.get_by_role("checkbox", name="Trivselsdialog")).to_be_checked()
    expect(leadership).to_have_count(0)
    with htmx_round_trip(page):
        page.get_by_role("checkbox", name="Ledelsesdialog").check()
    expect(leadership).to_be_visible()
    expect(page.get_by_role("checkbox", name="Ledelsesdialog")).to_be_focused()

    # The autosave writes into the live region that was already on the page (a replaced
    # live region is not announced by screen readers).
    status = page.locator("#answer-status")
    expect(status).to_have_attribute("role", "status")
    page.evaluate("() => { window.statusBefore = document.getElementById('answer-status'); }")
    purpose = wellbeing.get_by_role("textbox", name=re.compile("^Hvordan har du oplevet formålet"))
    type_answer(page, purpose, "Formålet var klart.")
    expect(status).to_have_text("Kladden er gemt.")
    assert page.evaluate("() => document.getElementById('answer-status') === window.statusBefore")

    with htmx_round_trip(page):
        question(wellbeing, "Har du følt dig tryg ved at deltage?").get_by_label("Ja").check()
    type_answer(
        page,
        leadership.get_by_role("textbox", name=re.compile("^Hvordan har du oplevet formålet")),
        "Lederen lyttede.",
    )
    next_step = question(leadership, "Talte I om næste skridt?")
    with htmx_round_trip(page):
        next_step.get_by_label("Delvist").check()
    # Left without leaving the field: the save button's own post keeps it.
    next_step.get_by_role("textbox", name="Hvorfor?").fill("Kun kort.")
    check_page(page)
    assert_fits_the_screen(page)

    # "Save and continue later" (no JavaScript needed): the page comes back saying so.
    click_and_wait(page, page.get_by_role("button", name="Gem og fortsæt senere"))
    expect(page.get_by_role("status").filter(has_text="Dine svar er gemt")).to_be_visible()
    page.context.close()

    # The same link in a new browser (no cookies, no session) brings everything back.
    again = new_page(locale="da-DK", viewport=PHONE)
    visit(again, answer_path(tokens[0]))
    wellbeing, leadership = concept(again, "Trivselsdialog"), concept(again, "Ledelsesdialog")
    expect(again.get_by_role("checkbox", name="Ledelsesdialog")).to_be_checked()
    expect(
        wellbeing.get_by_role("textbox", name=re.compile("^Hvordan har du oplevet formålet"))
    ).to_have_value("Formålet var klart.")
    expect(
        question(wellbeing, "Har du følt dig tryg ved at deltage?").get_by_label("Ja")
    ).to_be_checked()
    expect(
        leadership.get_by_role("textbox", name=re.compile("^Hvordan har du oplevet formålet"))
    ).to_have_value("Lederen lyttede.")
    next_step = question(leadership, "Talte I om næste skridt?")
    expect(next_step.get_by_label("Delvist")).to_be_checked()
    expect(next_step.get_by_role("textbox", name="Hvorfor?")).to_have_value("Kun kort.")
    assert_fits_the_screen(again)

    click_and_wait(again, again.get_by_role("button", name="Send mine svar"))
    expect(again.get_by_role("heading", level=1)).to_have_text("Tak")
    expect(again.locator("html")).to_have_attribute("lang", "da")
    assert tokens[0] not in again.url
    assert_fits_the_screen(again)

    purpose_id, safe_id = question_id(campaign, PURPOSE), question_id(campaign, SAFE)
    next_step_id = question_id(campaign, NEXT_STEP)
    assert responses_for("wellbeing") == [
        {
            purpose_id: {"choice": "", "text": "Formålet var klart."},
            safe_id: {"choice": "yes", "text": ""},
        }
    ]
    assert responses_for("leadership") == [
        {
            purpose_id: {"choice": "", "text": "Lederen lyttede."},
            next_step_id: {"choice": "partly", "text": "Kun kort."},
        }
    ]
    assert not Draft.objects.exists()
    assert CampaignInvitee.objects.filter(answered=True).count() == 1


def test_the_follow_up_question_appears_only_after_no_or_partly(new_page, browser_org):
    campaign, tokens = open_test_campaign(browser_org)
    page = new_page(viewport=PHONE)
    visit(page, answer_path(tokens[0]))
    wellbeing = concept(page, "Well-being dialogue")
    safe = question(wellbeing, SAFE)
    follow_up = question(wellbeing, FOLLOW_UP)
    expect(follow_up).to_have_count(0)

    # "No" opens the follow-up; focus stays on the answer just chosen (htmx puts it back on
    # the new radio of the same id), and the follow-up is next in the tab order.
    with htmx_round_trip(page):
        safe.get_by_label("No", exact=True).check()
    expect(follow_up).to_be_visible()
    expect(safe.get_by_label("No", exact=True)).to_be_focused()
    expect(safe.get_by_label("No", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    expect(safe.get_by_role("textbox", name="Why?")).to_be_focused()
    page.keyboard.press("Tab")
    expect(follow_up.get_by_label("Yes", exact=True)).to_be_focused()
    check_page(page)
    assert_fits_the_screen(page)

    # Answered, the follow-up keeps its answer while "Partly" (which also opens it) is chosen.
    with htmx_round_trip(page):
        follow_up.get_by_label("Yes", exact=True).check()
    type_answer(page, follow_up.get_by_role("textbox", name="Why?"), "I spoke to the TR.")
    with htmx_round_trip(page):
        safe.get_by_label("Partly", exact=True).check()
    expect(follow_up.get_by_label("Yes", exact=True)).to_be_checked()
    expect(follow_up.get_by_role("textbox", name="Why?")).to_have_value("I spoke to the TR.")

    # "Yes" closes it again, focus still on the choice; its answer is then not stored.
    with htmx_round_trip(page):
        safe.get_by_label("Yes", exact=True).check()
    expect(follow_up).to_have_count(0)
    expect(safe.get_by_label("Yes", exact=True)).to_be_focused()
    check_page(page)
    click_and_wait(page, page.get_by_role("button", name="Submit my answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert responses_for("wellbeing") == [
        {question_id(campaign, SAFE): {"choice": "yes", "text": ""}}
    ]
    assert responses_for("leadership") == []


def test_without_javascript_the_buttons_do_what_htmx_does(new_page, browser_org):
    # axe needs JavaScript, so this page is not checked by it: its markup is the same as
    # the one the other tests check.
    campaign, tokens = open_test_campaign(browser_org)
    page = new_page(viewport=PHONE, java_script_enabled=False)
    assert page.goto(answer_path(tokens[0])).status == 200
    page.get_by_role("checkbox", name="Leadership dialogue").check()
    question(concept(page, "Well-being dialogue"), SAFE).get_by_label("No", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show the questions for my choice").click()
    expect(concept(page, "Leadership dialogue")).to_be_visible()
    follow_up = question(concept(page, "Well-being dialogue"), FOLLOW_UP)
    expect(follow_up).to_be_visible()
    follow_up.get_by_label("No", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert responses_for("wellbeing") == [
        {
            question_id(campaign, SAFE): {"choice": "no", "text": ""},
            question_id(campaign, FOLLOW_UP): {"choice": "no", "text": ""},
        }
    ]


@pytest.fixture
def no_guesses_counted():
    """The guess counter is per client address, and every browser test comes from 127.0.0.1."""
    cache.clear()
    yield
    cache.clear()


def expect_refusal(page, *, lang: str, heading: str, message: str, other_lang: str, other: str):
    """The refusal speaks ``lang`` first, then says the same in the other language."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("main")).to_contain_text(message)
    expect(page.locator(f'section[lang="{other_lang}"]').get_by_role("heading")).to_have_text(other)
    assert_fits_the_screen(page)


def test_refused_links_say_why_in_both_languages(new_page, browser_org, no_guesses_counted):
    campaign, tokens = open_test_campaign(browser_org, language="da")
    forged = answer_path("f" * 43)

    # A forged link has no invitee: the browser's language comes first.
    english = new_page(locale="en-GB", viewport=PHONE)
    visit(english, forged, status=404)
    expect_refusal(
        english,
        lang="en",
        heading="This link cannot be used",
        message="This link is not valid. Check that it is copied in full.",
        other_lang="da",
        other="Linket kan ikke bruges",
    )
    danish = new_page(locale="da-DK", viewport=PHONE)
    visit(danish, forged, status=404)
    expect_refusal(
        danish,
        lang="da",
        heading="Linket kan ikke bruges",
        message="Linket er ikke gyldigt. Tjek, at det er kopieret helt.",
        other_lang="en",
        other="This link cannot be used",
    )

    # A real link speaks its Danish invitee's language, even in an English browser.
    CampaignInvitee.objects.filter(email="p0@example.org").update(answered=True)
    visit(english, answer_path(tokens[0]), status=410)
    expect_refusal(
        english,
        lang="da",
        heading="Allerede sendt",
        message="already been submitted",
        other_lang="en",
        other="Already submitted",
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    visit(english, answer_path(tokens[1]), status=410)
    expect_refusal(
        english,
        lang="da",
        heading="Linket kan ikke bruges",
        message="Spørgeskemaet lukkede den",
        other_lang="en",
        other="This link cannot be used",
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.OPEN, opens_on=timezone.localdate() + timedelta(days=3)
    )
    visit(english, answer_path(tokens[2]), status=410)
    expect(english.get_by_role("main")).to_contain_text("Spørgeskemaet åbner den")
    expect(english.get_by_role("main")).to_contain_text("This questionnaire opens on")

    # Guessing: after twenty links that do not exist, the next is refused for a while.
    cache.clear()
    for n in range(20):
        assert english.request.get(answer_path(f"guess-{n}")).status == 404
    visit(english, answer_path("guess-21"), status=429)
    expect_refusal(
        english,
        lang="en",
        heading="Too many attempts",
        message="Please wait ten minutes",
        other_lang="da",
        other="For mange forsøg",
    )


PAYLOAD = '<script>alert("answer")</script><img src="/x" onerror="alert(1)"> & "quoted"'


def test_html_typed_into_an_answer_is_only_ever_text(new_page, browser_org):
    campaign, tokens = open_test_campaign(browser_org)
    page = new_page(viewport=PHONE)
    dialogs, console = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    visit(page, answer_path(tokens[0]))
    wellbeing = concept(page, "Well-being dialogue")
    type_answer(page, wellbeing.get_by_role("textbox", name=SURPRISES), PAYLOAD)
    # A refresh swaps the whole concept in through htmx, the typed answers with it.
    type_answer(page, question(wellbeing, SAFE).get_by_role("textbox", name="Why?"), PAYLOAD)
    with htmx_round_trip(page):
        question(wellbeing, SAFE).get_by_label("No", exact=True).check()
    expect(question(wellbeing, SAFE).get_by_role("textbox", name="Why?")).to_have_value(PAYLOAD)
    expect(wellbeing.get_by_role("textbox", name=SURPRISES)).to_have_value(PAYLOAD)
    check_page(page)

    again = new_page(viewport=PHONE)
    again.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    again.on("console", lambda message: console.append(message.text))
    visit(again, answer_path(tokens[0]))
    wellbeing = concept(again, "Well-being dialogue")
    expect(wellbeing.get_by_role("textbox", name=SURPRISES)).to_have_value(PAYLOAD)
    expect(question(wellbeing, SAFE).get_by_role("textbox", name="Why?")).to_have_value(PAYLOAD)
    assert again.locator("main script, main img").count() == 0
    click_and_wait(again, again.get_by_role("button", name="Submit my answers"))
    # No dialog opened, and nothing was even tried (the CSP would have said so in the console;
    # check_page also fails on any CSP refusal, script error or failed image load).
    assert dialogs == [] and console == []
    (stored,) = responses_for("wellbeing")
    assert stored[question_id(campaign, SURPRISES)]["text"] == PAYLOAD


def test_a_double_click_on_submit_stores_one_response_per_concept(new_page, browser_org):
    campaign, tokens = open_test_campaign(browser_org, preset=("wellbeing", "leadership"))
    purpose_id = question_id(campaign, PURPOSE)
    page = new_page(viewport=PHONE)
    visit(page, answer_path(tokens[0]))
    for name in ("Well-being dialogue", "Leadership dialogue"):
        purpose = concept(page, name).get_by_role("textbox", name=re.compile("^" + PURPOSE))
        type_answer(page, purpose, name)
    # The page sends one post however fast the clicks come (without JavaScript the server
    # still takes only one, as the two tabs below show), so the person sees "Thank you".
    submissions = []
    page.on(
        "request",
        lambda request: (
            submissions.append(request)
            if request.method == "POST" and "hx-request" not in request.headers
            else None
        ),
    )
    # A second click a moment after the first, once the first post has left: what a double
    # click on a slow phone does.
    page.get_by_role("button", name="Submit my answers").evaluate(
        "(button) => { button.click(); setTimeout(() => button.click(), 20); }"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert len(submissions) == 1
    check_page(page)
    assert responses_for("wellbeing") == [
        {purpose_id: {"choice": "", "text": "Well-being dialogue"}}
    ]
    assert responses_for("leadership") == [
        {purpose_id: {"choice": "", "text": "Leadership dialogue"}}
    ]

    # The same link open in two tabs, both submitted at once: one is taken, the other is told
    # the answers are already in (the second waits for the first's lock, then sees it used).
    tabs = [new_page(viewport=PHONE), new_page(viewport=PHONE)]
    for tab, text in zip(tabs, ("First tab", "Second tab"), strict=True):
        visit(tab, answer_path(tokens[1]))
        concept(tab, "Well-being dialogue").get_by_role(
            "textbox", name=re.compile("^" + PURPOSE)
        ).fill(text)
    # As a click on the button does (its name is what makes it a submit), in both at once.
    submit = "(button) => button.form.requestSubmit(button)"
    with tabs[0].expect_navigation(), tabs[1].expect_navigation():
        for tab in tabs:
            tab.get_by_role("button", name="Submit my answers").evaluate(submit)
    headings = []
    for tab in tabs:
        check_page(tab)
        headings.append(tab.get_by_role("heading", level=1).inner_text())
    assert sorted(headings) == ["Already submitted", "Thank you"]
    # What is stored is what the tab that was thanked sent.
    taken = ("First tab", "Second tab")[headings.index("Thank you")]
    stored = sorted(answers[purpose_id]["text"] for answers in responses_for("wellbeing"))
    assert stored == [taken, "Well-being dialogue"]
    assert len(responses_for("leadership")) == 1


def test_an_answer_over_the_limit_is_refused_next_to_the_field_and_kept(new_page, browser_org):
    campaign, tokens = open_test_campaign(browser_org)
    page = new_page(viewport=PHONE)
    visit(page, answer_path(tokens[0]))
    purpose = concept(page, "Well-being dialogue").get_by_role(
        "textbox", name=re.compile("^" + PURPOSE)
    )

    # The browser stops typing at the limit. It counts a line break as one character but sends
    # it as two (CR LF); the server counts as the browser does, so a full answer goes through.
    expect(purpose).to_have_attribute("maxlength", str(ANSWER_MAX_LENGTH))
    purpose.fill("x" * (ANSWER_MAX_LENGTH + 10))
    expect(purpose).to_have_value("x" * ANSWER_MAX_LENGTH)
    full = ("Line of forty-nine characters, then a break. ...\n" * 100)[: ANSWER_MAX_LENGTH - 1]
    full += "."
    purpose.fill(full)
    expect(purpose).to_have_value(full)

    # Past the limit (a browser that does not enforce maxlength): the message is next to the
    # field and tied to it, focus goes to the summary, and the text typed is still there.
    too_long = "y" * (ANSWER_MAX_LENGTH + 10)
    purpose.evaluate(
        "(field, text) => { field.removeAttribute('maxlength'); field.value = text; }", too_long
    )
    click_and_wait(page, page.get_by_role("button", name="Submit my answers"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Your answers were not submitted")
    purpose = concept(page, "Well-being dialogue").get_by_role(
        "textbox", name=re.compile("^" + PURPOSE)
    )
    expect(purpose).to_have_value(too_long)
    expect(purpose).to_have_attribute("aria-invalid", "true")
    expect(purpose).to_have_accessible_description(
        re.compile(r"the answer can be at most 5,000 characters \(it has 5,010\)")
    )
    # The message is in the field's own group, right by it, not only in the summary.
    message_id = purpose.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{message_id}")).to_be_visible()
    assert purpose.evaluate(
        "(field, id) => field.parentNode.contains(document.getElementById(id))", message_id
    )
    assert_fits_the_screen(page)
    assert not PendingResponse.objects.exists() and not Response.objects.exists()

    # Shortened, the same answer goes through, line breaks and all.
    purpose.fill(full)
    click_and_wait(page, page.get_by_role("button", name="Submit my answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    (stored,) = responses_for("wellbeing")
    assert stored[question_id(campaign, PURPOSE)]["text"] == full.strip()
