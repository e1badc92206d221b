"""A respondent answers on a phone: the note on what is stored, a conditional follow-up, a
draft kept between visits, and the submit that makes the link final."""

import re

import pytest
from playwright.sync_api import expect

from dialogues.experiences.models import PendingResponse, Response
from dialogues.experiences.tests.factories import open_test_campaign
from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 667}


def test_a_respondent_answers_on_a_phone_resumes_and_submits(new_page, browser_org):
    campaign, tokens = open_test_campaign(browser_org)
    page = new_page(viewport=PHONE)
    page.goto(f"/experiences/answer/{tokens[0]}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your experiences with the dialogues")
    expect(page.get_by_text(re.compile("stored without your name"))).to_be_visible()
    check_page(page)

    safety = page.get_by_role("group", name=re.compile("felt safe participating")).first
    follow_up = page.get_by_role("group", name=re.compile(r"talked to your union representative"))
    expect(follow_up).to_have_count(0)
    with page.expect_response(lambda r: r.request.method == "POST"):
        safety.get_by_label("No", exact=True).check()
    expect(follow_up.first).to_be_visible()
    check_page(page)

    first_open = page.get_by_role("textbox").first
    first_open.fill("The purpose was clear <b>to me</b>.")
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_load_state()

    again = new_page(viewport=PHONE)
    again.goto(f"/experiences/answer/{tokens[0]}/")
    expect(again.get_by_role("textbox").first).to_have_value("The purpose was clear <b>to me</b>.")
    again.get_by_role("button", name="Submit my answers").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("Thank you")
    check_page(again)
    assert PendingResponse.objects.count() + Response.objects.count() >= 1

    again.goto(f"/experiences/answer/{tokens[0]}/")
    expect(again.get_by_role("heading", level=1)).to_have_text("Already submitted")
    check_page(again)
