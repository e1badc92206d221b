"""HR reads a closed campaign's results in the browser: drills down, merges two themes, redacts
a quote, takes the PDF; a manager is refused another unit and a group too small to show.
Every page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dialogues.insights.models import Redaction, Theme
from dialogues.insights.tests.factories import closed_test_campaign, first_questions
from dialogues.organisation.models import Person

from .conftest import BROWSER_DB, PHONE, click_and_wait, log_in, visit

pytestmark = [pytest.mark.browser, BROWSER_DB]

NAMED = "Mikkel Brandt cut me off every time I spoke"
TEXTS = [
    "We had far too little time for the dialogue",
    "Vi havde alt for lidt tid til dialogen",
    "The HR partner facilitated really well",
    "HR-partneren faciliterede rigtig godt",
    "Too little time, the meeting was rushed",
    "Mødet var forhastet, der var for lidt tid",
    "Good facilitation by HR made it feel safe",
    "God facilitering fra HR gjorde det trygt",
    "Not enough time to talk about everything",
    "Vi nåede ikke at tale om det hele, for lidt tid",
    "HR led the meeting well and kept us on track",
    NAMED,
]


@pytest.fixture
def campaign(browser_org):
    Person.objects.create_user(email="mb@example.org", name="Mikkel Brandt", password="x")
    return closed_test_campaign(browser_org, answered=12, texts=TEXTS)


def test_hr_drills_down_merges_themes_redacts_a_quote_and_takes_the_pdf(
    new_page, browser_org, campaign
):
    page = new_page()
    log_in(page, browser_org.hr_admin)
    click_and_wait(page, page.get_by_role("link", name="Results", exact=True))
    click_and_wait(page, page.get_by_role("main").get_by_role("link", name=campaign.name))

    # From the university to the department to the section, by the unit table's links.
    units = page.get_by_role("table", name=re.compile("by unit"))
    click_and_wait(page, units.get_by_role("link", name="Department of Tests"))
    units = page.get_by_role("table", name=re.compile("by unit"))
    click_and_wait(page, units.get_by_role("link", name="Section of Cases"))
    expect(page.get_by_role("navigation", name="Unit path")).to_contain_text("Section of Cases")
    who = page.get_by_role("table", name="Answers per dialogue concept")
    expect(who.get_by_role("row", name=re.compile("Well-being dialogue"))).to_contain_text("12")
    expect(who.get_by_role("row", name=re.compile("Leadership dialogue"))).to_contain_text(
        "too few to show"
    )

    # The written answers: themes, and a flagged answer waiting for review.
    click_and_wait(
        page, page.get_by_role("link", name=re.compile("Read the 12 written answers")).first
    )
    themes = page.get_by_role("table", name="Themes of the written answers, largest first")
    expect(themes).to_be_visible()
    before = Theme.objects.filter(campaign=campaign, merged_into=None).count()
    assert before >= 2
    page.get_by_text("Edit the themes").click()
    keep = page.get_by_label("Keep this theme")
    kept = keep.locator("option").first.inner_text()
    other = page.get_by_role("group", name="and move into it the answers of").get_by_role(
        "checkbox"
    )
    other.nth(1).check()
    click_and_wait(page, page.get_by_role("button", name="Merge", exact=True))
    expect(page.get_by_text(re.compile("The themes were merged"))).to_be_visible()
    assert Theme.objects.filter(campaign=campaign, merged_into=None).count() == before - 1
    expect(page.get_by_role("table", name=re.compile("Themes of the written"))).to_contain_text(
        kept
    )

    flagged = page.locator(".comment-list li.flagged")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("May identify someone: a name (“Mikkel Brandt”)")
    click_and_wait(page, flagged.get_by_role("link", name="Review and redact"))
    expect(page.get_by_label("Text to show instead")).to_have_value(
        "[name] cut me off every time I spoke"
    )
    click_and_wait(page, page.get_by_role("button", name="Show the redacted text"))
    expect(page.get_by_text("The answer is now shown redacted.")).to_be_visible()
    expect(page.locator(".comment-list")).to_contain_text("[name] cut me off every time I spoke")
    expect(page.locator(".comment-list")).not_to_contain_text("Mikkel")
    assert Redaction.objects.get().text == "[name] cut me off every time I spoke"

    # The PDF report of the section: the figures, and no name anywhere.
    click_and_wait(page, page.get_by_role("link", name=re.compile("Back to the results")))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as PDF").click()
    pdf = PdfReader(download.value.path())
    text = "".join(each.extract_text() for each in pdf.pages)
    assert "Results: Experiences" in text and "Section of Cases" in text
    assert "Mikkel" not in text and "Brandt" not in text


def test_a_manager_is_refused_another_unit_and_a_group_too_small(new_page, browser_org, campaign):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, browser_org.manager)
    visit(page, f"/results/{campaign.pk}/")
    expect(page.get_by_role("navigation", name="Unit path")).to_contain_text("Section of Cases")

    visit(page, f"/results/{campaign.pk}/?unit={browser_org.other_section.pk}", status=403)
    expect(page.get_by_text("You can read the results of your own units only.")).to_be_visible()
    visit(page, f"/results/{campaign.pk}/?unit={browser_org.department.pk}", status=403)

    # The section's managers: nobody in that group answered, so no figure at all.
    visit(page, f"/results/{campaign.pk}/?unit={browser_org.section.pk}&role=manager")
    who = page.get_by_role("table", name="Answers per dialogue concept")
    expect(who).to_contain_text("too few to show")
    for cell in who.locator("td").all():
        expect(cell).not_to_contain_text(re.compile(r"\d"))
    # The written answers of that group: refused with the reason, no text.
    question, _closed = first_questions(campaign)
    visit(
        page,
        f"/results/{campaign.pk}/questions/{question}/?unit={browser_org.section.pk}&role=manager",
    )
    expect(page.get_by_text(re.compile("Too few people answered here"))).to_be_visible()
    expect(page.get_by_text("little time")).to_have_count(0)
