"""The Django admin works under the site's strict Content Security Policy, in a real browser.

The policy (``SECURE_CSP``) allows scripts and styles from the site's own files only. Django
6.1's admin is written for that: its scripts are files that read their settings from data-*
attributes. Chromium reports every script, style or handler the policy blocks, and
``assert_no_browser_problems`` fails the test on any such report or script error. (axe-core
is not run here: the admin's markup is Django's, not ours.)
"""

import pytest
from playwright.sync_api import expect

from dialogues.organisation.models import Person

from .conftest import BROWSER_DB, assert_no_browser_problems, labelled

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long admin password"


@pytest.fixture
def superuser(browser_org):
    return Person.objects.create_superuser(
        "root@example.org", "Root", PASSWORD, preferred_language="en"
    )


def open_admin(page, path: str):
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    page.wait_for_load_state("load")
    assert_no_browser_problems(page)


def test_the_admin_runs_its_scripts_under_the_strict_policy(page, browser_org, superuser):
    open_admin(page, "/admin/login/")
    labelled(page, "Email").fill(superuser.email)
    labelled(page, "Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert_no_browser_problems(page)
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    # The navigation sidebar (nav_sidebar.js) filters as one types.
    open_admin(page, "/admin/organisation/person/")
    page.locator("#nav-filter").fill("unit")
    expect(page.locator("#nav-sidebar a", has_text="Units")).to_be_visible()
    assert_no_browser_problems(page)

    # A change form with an inline and autocomplete fields (jQuery, select2, inlines.js).
    open_admin(page, f"/admin/organisation/person/{browser_org.employee.pk}/change/")
    page.locator("#id_unit").locator("xpath=following-sibling::span").first.click()
    page.locator(".select2-search__field").fill("Section")
    expect(page.locator(".select2-results__option", has_text="Section of Cases")).to_be_visible()
    page.keyboard.press("Escape")
    # The "Add another" row link exists only if inlines.js ran.
    rows = page.locator("#role_assignments-group tr.dynamic-role_assignments")
    before = rows.count()
    page.locator("#role_assignments-group .add-row a").click()
    expect(rows).to_have_count(before + 1)
    assert_no_browser_problems(page)

    # The list's actions (actions.js) and the delete confirmation page.
    open_admin(page, "/admin/organisation/unit/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("selected")
    open_admin(page, f"/admin/organisation/unit/{browser_org.other_section.pk}/delete/")
    open_admin(page, "/admin/organisation/unit/add/")
    assert_no_browser_problems(page)
