"""The public pages pass axe-core (WCAG 2.1 A/AA) on a desktop and on a phone, and the
skip link, focus handling and form labels work for someone using a keyboard."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    BROWSER_DB,
    DESKTOP,
    PHONE,
    check_page,
    click_and_wait,
    labelled,
    path_of,
    visit,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

# (path, status, heading): every page that someone who is not signed in can reach.
PUBLIC_PAGES = [
    ("/accounts/login/", 200, "Log in to Dialogues"),
    ("/accounts/password/reset/", 200, "Set or reset your password"),
    ("/accounts/password/reset/sent/", 200, "Check your email"),
    ("/accounts/password/reset/MQ/not-a-token/", 200, "The link does not work"),
    ("/accounts/password/reset/done/", 200, "Your password is set"),
    ("/concepts/", 200, "The dialogue concepts"),
    ("/accessibility/", 200, "Accessibility statement"),
    ("/no-such-page/", 404, "Page not found"),
]
VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(
    ("path", "status", "heading"), PUBLIC_PAGES, ids=[path for path, *_ in PUBLIC_PAGES]
)
def test_public_page_is_accessible(new_page, path, status, heading, viewport):
    page = new_page(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    visit(page, path, status=status)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # WCAG 1.4.10 (reflow): nothing but the scrollable table regions may need sideways scrolling.
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {viewport['width']}px"


@pytest.mark.parametrize("path", ["/concepts/", "/accessibility/", "/accounts/password/reset/"])
def test_tab_first_reaches_the_skip_link_which_moves_focus_to_main(page, path):
    visit(page, path)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    # Hidden off-screen until focused: now it must be in view for a sighted keyboard user.
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert page.url.endswith("#main")
    # The next Tab continues from the main content on, past the header's navigation.
    page.keyboard.press("Tab")
    assert page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const active = document.activeElement;
            return main.contains(active)
                || Boolean(main.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    ), "After the skip link, Tab went back into the header"
    check_page(page)


def test_every_log_in_field_has_an_accessible_label(page):
    visit(page, "/accounts/login/")
    form = page.locator("main form")
    fields = form.locator("input:not([type=hidden]), select, textarea")
    assert fields.count() == 2
    for index in range(fields.count()):
        field = fields.nth(index)
        field_id = field.get_attribute("id")
        assert field_id, f"Field {index} of the log-in form has no id to tie a label to"
        label = page.locator(f'label[for="{field_id}"]')
        expect(label).to_have_count(1)
        text = label.inner_text().strip()
        assert text, f"The label of #{field_id} is empty"
        # The label is what the accessibility tree names the field by.
        assert page.get_by_label(text, exact=True).evaluate("(el) => el.id") == field_id
    # The names the accessibility tree gives them: "Email" and "Password".
    expect(page.get_by_role("textbox", name=re.compile(r"^Email:?$"))).to_have_attribute(
        "type", "email"
    )
    expect(labelled(page, "Password")).to_have_attribute("type", "password")
    # The email field is focused on load, so a keyboard user can type at once.
    expect(labelled(page, "Email")).to_be_focused()


def test_a_failed_log_in_announces_the_error_and_stays_accessible(page, browser_org):
    visit(page, "/accounts/login/")
    labelled(page, "Email").fill(browser_org.employee.email)
    labelled(page, "Password").fill("not the password")
    click_and_wait(page, page.get_by_role("button", name="Log in", exact=True))
    assert path_of(page) == "/accounts/login/"
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("The email or the password is not right")
    # site.js moves focus to the summary so that a screen reader reads it first.
    expect(summary).to_be_focused()
