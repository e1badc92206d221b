"""Real-browser tests: Debian's Chromium driven by Playwright's sync API against a live server.

Every page a test opens is checked twice over with ``check_page``:

* axe-core (shipped in the axe-playwright-python package) for WCAG 2.1 A and AA, with zero
  violations allowed, and
* the browser's own reports: a Content Security Policy refusal (older Chromium writes
  "Refused to ...", Chromium 156 "... violates the following Content Security Policy
  directive ..."), an uncaught JavaScript error (the "pageerror" event) or a script, style
  or image that failed to load fails the test.

The browser is launched once per test session; each test gets a fresh context and page.
Tests run against pytest-django's ``live_server`` with a transactional database, which is
emptied after each test: the rows the migrations seed (the two concepts, the accessibility
statement) are put back before each test by running the migrations' own seed functions.

Playwright's sync API marks its event loop as running in the test thread between calls.
Django then refuses database access unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and keeps the
test thread's connection in a context variable instead of a thread-local; so the connection
that Django's serialized rollback relies on is not the one the test sees, and the seed rows
are restored explicitly instead.
"""

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, sync_playwright

from conftest import PASSWORD, SmallOrganisation

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(
    encoding="utf-8"
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}

# Browser tests change the database from the live server's thread: they need real
# transactions (and the seed rows put back before each test, see _seed_rows).
BROWSER_DB = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="package", autouse=True)
def _allow_django_in_playwrights_loop():
    """Playwright's sync API runs an event loop in the test thread: tell Django it is safe.

    Set in os.environ for the browser tests only (this package), from before the first
    database fixture until after the last teardown, and removed afterwards: a subprocess
    started by another test (``manage.py check --deploy``) must not inherit it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(django_db_setup):
    # After the test database is set up, so that it is closed before the database is torn
    # down: Django refuses database work while Playwright's loop is marked as running.
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "The browser tests need Debian's Chromium (apt-get install chromium); "
            "they never download a browser of their own."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class PageReports:
    """What the browser said about a page: CSP refusals, script errors, failed files."""

    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def on_console(self, message):
        if message.text.startswith("Refused to") or "Content Security Policy" in message.text:
            where = message.location.get("url") or "inline"
            self.csp.append(f"{message.text} ({where})")

    def on_page_error(self, error):
        self.errors.append(f"{error.name}: {error.message}")

    def on_response(self, response):
        # The page itself may rightly be a 403 or 404; its scripts, styles and images may not.
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed.append(f"{response.status} {response.url}")

    def problems(self) -> list[str]:
        return (
            [f"Content Security Policy violation: {text}" for text in self.csp]
            + [f"JavaScript error: {text}" for text in self.errors]
            + [f"Failed to load: {text}" for text in self.failed]
        )


_REPORTS: dict[int, PageReports] = {}


def _watch(page: Page) -> PageReports:
    reports = PageReports()
    page.on("console", reports.on_console)
    page.on("pageerror", reports.on_page_error)
    page.on("response", reports.on_response)
    _REPORTS[id(page)] = reports
    return reports


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context and page: ``new_page(locale="da-DK", viewport=PHONE)``."""
    contexts = []
    watched = []

    def open_page(locale="en-GB", viewport=None, **options) -> Page:
        context = browser.new_context(
            locale=locale,
            viewport=viewport or DESKTOP,
            base_url=live_server.url,
            **options,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        watched.append((page, _watch(page)))
        return page

    yield open_page
    try:
        # Anything the browser reported after the last check still fails the test.
        for page, reports in watched:
            assert not reports.problems(), _format_problems(page, reports.problems())
    finally:
        for page, _ in watched:
            _REPORTS.pop(id(page), None)
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A desktop page in a British English browser (the site's default is Danish)."""
    return new_page()


# --- the data ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _seed_rows(transactional_db):
    """Put back what the data migrations seed: a transactional test empties every table."""
    for migration in (
        "dialogues.concepts.migrations.0002_seed_concepts",
        "dialogues.common.migrations.0002_seed_accessibility_statement",
        "dialogues.experiences.migrations.0002_seed_guide",
    ):
        import_module(migration).seed(django_apps, None)


@pytest.fixture
def browser_org(transactional_db, _seed_rows):
    """The conftest's SmallOrganisation, in a database the live server's thread can see."""
    return SmallOrganisation()


# --- checks --------------------------------------------------------------------------------


def _format_problems(page: Page, problems: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return f"The browser reported problems on {page.url}:\n{lines}"


def assert_no_browser_problems(page: Page) -> None:
    reports = _REPORTS.get(id(page))
    if reports is None:
        return
    problems = reports.problems()
    # Reported once: the end-of-test check only reports what came after.
    reports.csp.clear()
    reports.errors.clear()
    reports.failed.clear()
    assert not problems, _format_problems(page, problems)


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.1 A/AA; return the violations, simplified."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: allowed under the site's strict CSP,
        # which forbids the inline <script> that add_script_tag would insert.
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return results.violations.map((violation) => ({
                id: violation.id,
                impact: violation.impact,
                help: violation.help,
                helpUrl: violation.helpUrl,
                nodes: violation.nodes.map((node) => ({
                    target: node.target,
                    html: node.html,
                    summary: node.failureSummary,
                })),
            }));
        }""",
        WCAG_TAGS,
    )


def format_violations(page: Page, violations: list[dict]) -> str:
    lines = [
        f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url} "
        f"({page.title()!r}):"
    ]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(json.dumps(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            summary = (node.get("summary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail, naming rule, help and elements, when axe finds a WCAG 2.1 A/AA violation."""
    violations = axe_violations(page)
    assert not violations, format_violations(page, violations)


def check_page(page: Page) -> None:
    """The checks every visited page passes: no browser problems and no axe violations."""
    assert_no_browser_problems(page)
    assert_accessible(page)
    assert_no_browser_problems(page)


def visit(page: Page, path: str, status: int = 200) -> None:
    """Open a path on the live server, check its status, then check the page."""
    response = page.goto(path)
    assert response is not None, f"No response for {path}"
    assert response.status == status, f"{path} answered {response.status}, expected {status}"
    check_page(page)


def click_and_wait(page: Page, locator) -> None:
    """Click something that loads a new page (link or form button), wait for it, check it."""
    with page.expect_navigation():
        locator.click()
    check_page(page)


def log_in(page: Page, person, password: str = PASSWORD) -> None:
    """Log in through the real form and land on the overview."""
    visit(page, "/accounts/login/")
    labelled(page, "Email").fill(person.email)
    labelled(page, "Password").fill(password)
    click_and_wait(page, page.get_by_role("button", name="Log in", exact=True))
    assert path_of(page) == "/", f"Logging in as {person.email} landed on {page.url}"


def labelled(page: Page, label: str):
    """The form field labelled ``label`` (Django's forms add a colon after the label)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def main_nav(page: Page):
    return page.locator('nav[aria-label="Main"]')
