"""The language switch in the footer, for anonymous visitors and for signed-in people.

Until the Danish catalogue is compiled, Danish interface text may fall back to English, so
the tests read the language from ``html[lang]`` and the buttons' ``aria-pressed``, and read
Danish words only where they are data: the names of the concepts.
"""

import pytest
from playwright.sync_api import expect

from .conftest import BROWSER_DB, check_page, click_and_wait, log_in, path_of, visit

pytestmark = [pytest.mark.browser, BROWSER_DB]

# The concepts' names, stored in both languages (data, not the translation catalogue).
DANISH_NAMES = ["Trivselsdialog", "Ledelsesdialog"]
ENGLISH_NAMES = ["Well-being dialogue", "Leadership dialogue"]


def language_button(page, name):
    return page.get_by_role("contentinfo").get_by_role("button", name=name, exact=True)


def switch_to(page, name):
    click_and_wait(page, language_button(page, name))


def expect_language(page, code):
    expect(page.locator("html")).to_have_attribute("lang", code)
    danish, english = ("true", "false") if code == "da" else ("false", "true")
    expect(language_button(page, "Dansk")).to_have_attribute("aria-pressed", danish)
    expect(language_button(page, "English")).to_have_attribute("aria-pressed", english)


def concept_headers(page):
    return page.locator("main table thead th")


def test_anonymous_visitor_switches_language_and_it_survives_a_reload(new_page):
    # A Danish browser: the site starts in Danish.
    page = new_page(locale="da-DK")
    visit(page, "/concepts/")
    expect_language(page, "da")
    expect(concept_headers(page)).to_have_text(DANISH_NAMES)

    switch_to(page, "English")
    assert path_of(page) == "/concepts/", "The switch should bring the visitor back"
    expect_language(page, "en")
    expect(concept_headers(page)).to_have_text(ENGLISH_NAMES)
    expect(page.get_by_role("heading", level=1)).to_have_text("The dialogue concepts")
    # The choice beats the browser's Danish on the next request.
    page.reload()
    check_page(page)
    expect_language(page, "en")
    expect(concept_headers(page)).to_have_text(ENGLISH_NAMES)

    switch_to(page, "Dansk")
    assert path_of(page) == "/concepts/"
    expect_language(page, "da")
    expect(concept_headers(page)).to_have_text(DANISH_NAMES)
    page.reload()
    check_page(page)
    expect_language(page, "da")
    expect(concept_headers(page)).to_have_text(DANISH_NAMES)

    # The choice is for the whole site, not one page.
    visit(page, "/accessibility/")
    expect_language(page, "da")


def test_english_browser_can_choose_danish_and_keep_it(page):
    visit(page, "/accounts/login/")
    expect_language(page, "en")
    switch_to(page, "Dansk")
    assert path_of(page) == "/accounts/login/"
    expect_language(page, "da")
    visit(page, "/concepts/")
    expect_language(page, "da")
    expect(concept_headers(page)).to_have_text(DANISH_NAMES)


def test_signed_in_person_reads_their_preferred_language(page, browser_org):
    person = browser_org.employee
    person.preferred_language = "da"
    person.save(update_fields=["preferred_language"])

    # The browser asks for British English, and the log-in page is in English...
    visit(page, "/accounts/login/")
    expect_language(page, "en")
    # ... but once signed in, the person's own choice wins.
    log_in(page, person)
    expect_language(page, "da")
    visit(page, "/concepts/")
    expect_language(page, "da")
    expect(concept_headers(page)).to_have_text(DANISH_NAMES)


def test_switching_while_signed_in_updates_the_stored_preference(new_page, browser_org):
    person = browser_org.manager
    assert person.preferred_language == "en"
    page = new_page()
    log_in(page, person)
    expect_language(page, "en")

    switch_to(page, "Dansk")
    assert path_of(page) == "/"
    expect_language(page, "da")
    person.refresh_from_db()
    assert person.preferred_language == "da"

    # The preference travels with the person: a new English browser shows Danish after log-in.
    elsewhere = new_page(locale="en-GB")
    log_in(elsewhere, person)
    expect_language(elsewhere, "da")
    visit(elsewhere, "/concepts/")
    expect(concept_headers(elsewhere)).to_have_text(DANISH_NAMES)

    switch_to(elsewhere, "English")
    expect_language(elsewhere, "en")
    expect(concept_headers(elsewhere)).to_have_text(ENGLISH_NAMES)
    person.refresh_from_db()
    assert person.preferred_language == "en"
