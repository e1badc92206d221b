"""Every role logs in through the real form, walks the pages its navigation offers, is
refused the pages of roles it does not hold, and logs out, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    BROWSER_DB,
    check_page,
    click_and_wait,
    log_in,
    main_nav,
    path_of,
    visit,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

ROLES = [
    "employee",
    "manager",
    "director",
    "hr_partner",
    "hr_admin",
    "amr",
    "tr",
    "lsu_member",
    "lsu_vice_chair",
    "amk_member",
]
# Who sees the people directory, and who administers (import, concepts, the statement).
SEES_PEOPLE = {"manager", "director", "hr_partner", "hr_admin"}
HR_ADMIN = {"hr_admin"}
# Who may open the other department D2: its subtree is outside everyone's scope but these.
SEES_OTHER_DEPARTMENT = {"hr_admin", "amk_member"}

# Who reads campaign results (for their own units).
READS_RESULTS = {
    "manager",
    "director",
    "hr_partner",
    "hr_admin",
    "lsu_member",
    "lsu_vice_chair",
    "amk_member",
}

# The <h1> of each page the navigation leads to.
HEADINGS = {
    "/concepts/": "The dialogue concepts",
    "/rounds/": "Dialogue rounds",
    "/organisation/": "Organisation",
    "/organisation/people/": "People",
    "/experiences/campaigns/": "Experience campaigns",
    "/results/": "Results of the experience campaigns",
    "/organisation/imports/": "Import the organisation",
    "/accounts/profile/": "Your profile",
}


def expected_nav(role: str, name: str) -> list[str]:
    labels = ["Overview", "The concepts", "Dialogue rounds", "Organisation"]
    if role in {"hr_partner", "hr_admin"}:
        labels.append("Experiences")
    if role in READS_RESULTS:
        labels.append("Results")
    if role in SEES_PEOPLE:
        labels.append("People")
    if role in HR_ADMIN:
        labels.append("Import")
    return [*labels, name]


def guarded_pages(org) -> list[tuple[str, set[str]]]:
    """(path, roles allowed): pages that some roles may open and others are refused."""
    return [
        ("/organisation/imports/", HR_ADMIN),
        ("/organisation/people/", SEES_PEOPLE),
        ("/experiences/campaigns/", {"hr_partner", "hr_admin"}),
        ("/experiences/campaigns/new/", HR_ADMIN),
        ("/concepts/wellbeing/edit/", HR_ADMIN),
        ("/accessibility/edit/", HR_ADMIN),
        (f"/organisation/units/{org.other_department.pk}/", SEES_OTHER_DEPARTMENT),
        (f"/organisation/people/{org.outsider.pk}/", HR_ADMIN),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_role_walks_its_pages_is_refused_others_and_logs_out(page, browser_org, role):
    person = browser_org.people[role]
    log_in(page, person)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {person.name}")

    # The navigation offers exactly the pages of the person's roles.
    nav = main_nav(page)
    links = nav.get_by_role("link")
    expect(links).to_have_text(expected_nav(role, person.name))
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    targets = [
        (links.nth(index).inner_text(), links.nth(index).get_attribute("href"))
        for index in range(links.count())
    ]

    # Walk every link of the navigation, clicking it as a person would.
    for label, href in targets:
        link = main_nav(page).get_by_role("link", name=label, exact=True)
        click_and_wait(page, link)
        assert path_of(page) == href, f"{label!r} led to {page.url}, not {href}"
        expect(main_nav(page).get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        heading = HEADINGS.get(href, f"Welcome, {person.name}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    # The person's own unit, linked from the overview.
    click_and_wait(page, main_nav(page).get_by_role("link", name="Overview", exact=True))
    you = page.get_by_role("region", name="You in the organisation")
    click_and_wait(page, you.get_by_role("link", name=person.unit.name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(person.unit.name)

    if role in SEES_PEOPLE:
        _search_people_and_open_a_person(page, browser_org)
    if role in HR_ADMIN:
        _open_the_editing_pages(page)

    # Pages for roles the person does not hold are refused with the 403 page.
    for path, allowed in guarded_pages(browser_org):
        if role in allowed:
            visit(page, path)
            expect(page.get_by_role("heading", level=1)).not_to_have_text("Not allowed")
        else:
            visit(page, path, status=403)
            expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")

    # Log out with the button: back on the log-in page, and the overview is closed again.
    click_and_wait(page, main_nav(page).get_by_role("button", name="Log out"))
    assert path_of(page) == "/accounts/login/"
    expect(main_nav(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(main_nav(page).get_by_role("button", name="Log out")).to_have_count(0)
    visit(page, "/")
    assert path_of(page) == "/accounts/login/", "The overview opened after logging out"


def _search_people_and_open_a_person(page, org):
    """The directory filters as one types (htmx, under the strict CSP) and opens a person."""
    click_and_wait(page, main_nav(page).get_by_role("link", name="People", exact=True))
    results = page.locator("#results")
    search = page.get_by_label(re.compile(r"^(Search|Name)"))
    with page.expect_response(lambda response: "/organisation/people/" in response.url):
        search.fill(org.employee.email)
    expect(results).to_contain_text("1 person found")
    expect(results.get_by_role("link")).to_have_text([org.employee.name])
    check_page(page)
    click_and_wait(page, results.get_by_role("link", name=org.employee.name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(org.employee.name)


def _open_the_editing_pages(page):
    """HR administrators edit the concepts and the accessibility statement."""
    click_and_wait(page, main_nav(page).get_by_role("link", name="The concepts", exact=True))
    click_and_wait(page, page.get_by_role("link", name="Edit Well-being dialogue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Well-being dialogue")
    click_and_wait(page, page.get_by_role("link", name="Accessibility statement"))
    click_and_wait(page, page.get_by_role("link", name="Edit the statement"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the accessibility statement")
