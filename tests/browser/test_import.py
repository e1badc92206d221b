"""The HR administrator imports the organisation through the Import page in a real browser:
upload, preview, confirm; a broken file is refused with its row errors and changes nothing.

The administrator is a local account without an employee id, as the first administrator of
an installation is: an import never changes such accounts (docs/import.md). The org fixture's
HR administrator has an employee id and would be deactivated by a file that does not list them.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conftest import PASSWORD
from dialogues.organisation.models import OrganisationImport, Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role

from .conftest import BROWSER_DB, check_page, click_and_wait, log_in, main_nav, path_of

pytestmark = [pytest.mark.browser, BROWSER_DB]

EXAMPLE = Path(settings.BASE_DIR) / "examples" / "organisation.csv"
EXAMPLE_PEOPLE = 42
EXAMPLE_UNITS = 15


@pytest.fixture
def hr_admin(transactional_db):
    admin = Person.objects.create_user(
        email="hilde.admin@example.org",
        name="Hilde Admin",
        password=PASSWORD,
        employee_id=None,
        preferred_language="en",
    )
    RoleAssignment.objects.create(person=admin, role=Role.HR_ADMIN, unit=None)
    return admin


def open_import_page(page, admin):
    log_in(page, admin)
    click_and_wait(page, main_nav(page).get_by_role("link", name="Import", exact=True))
    assert path_of(page) == "/organisation/imports/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Import the organisation")


def upload(page, files):
    page.get_by_label(re.compile(r"^HR file")).set_input_files(files)
    click_and_wait(page, page.get_by_role("button", name="Check the file"))


def counts_row(page, what):
    """The cells of one row of the "Changes in numbers" table: added, changed, ..."""
    table = page.get_by_role("table", name="Changes in numbers")
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=what))


def test_hr_admin_uploads_previews_and_confirms_the_example_file(page, hr_admin):
    open_import_page(page, hr_admin)
    upload(page, EXAMPLE)

    # The preview: checked, nothing changed yet.
    assert re.fullmatch(r"/organisation/imports/\d+/", path_of(page)), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of organisation.csv")
    expect(page.get_by_role("heading", name="What the import will change")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Checked, waiting for confirmation")
    expect(counts_row(page, "People").get_by_role("cell").first).to_have_text(str(EXAMPLE_PEOPLE))
    expect(counts_row(page, "Units").get_by_role("cell").first).to_have_text(str(EXAMPLE_UNITS))
    assert Person.objects.count() == 1
    assert Unit.objects.count() == 0
    record = OrganisationImport.objects.get()
    assert record.status == OrganisationImport.Status.READY

    # Confirm: the organisation is imported and the page says so.
    click_and_wait(page, page.get_by_role("button", name="Import now"))
    assert path_of(page) == f"/organisation/imports/{record.pk}/"
    expect(page.get_by_role("status")).to_contain_text("The organisation was imported.")
    expect(page.get_by_role("heading", name="What the import changed")).to_be_visible()
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)

    record.refresh_from_db()
    assert record.status == OrganisationImport.Status.APPLIED
    assert record.content is None, "The file's personal data must not be kept after import"
    assert Person.objects.filter(employee_id__isnull=False, is_active=True).count() == (
        EXAMPLE_PEOPLE
    )
    assert Unit.objects.filter(is_active=True).count() == EXAMPLE_UNITS
    giulia = Person.objects.select_related("unit", "manager").get(employee_id="1025")
    assert giulia.name == "Giulia Rossi"
    assert giulia.email == "giulia.rossi@ntu.example"
    assert giulia.preferred_language == "en"
    assert giulia.unit.code == "COMPUTE-ALG"
    assert giulia.manager.employee_id == "1022"
    assert giulia.role_assignments.filter(role=Role.LSU_VICE_CHAIR).exists()
    hr_admin.refresh_from_db()
    assert hr_admin.is_active, "The local administrator must survive the import"

    # The import is listed among the recent imports, and the organisation is browsable.
    click_and_wait(page, page.get_by_role("link", name="Back to the imports"))
    recent = page.get_by_role("region", name="Recent imports")
    expect(recent).to_contain_text("organisation.csv")
    expect(recent).to_contain_text("Imported")
    click_and_wait(page, main_nav(page).get_by_role("link", name="Organisation", exact=True))
    expect(page.locator("main")).to_contain_text("Nordisk Teknisk Universitet")


def test_a_broken_file_shows_its_row_errors_and_imports_nothing(page, hr_admin):
    # Søren Dahl (row 8: the header is row 1) serves a unit that the file does not define.
    content = EXAMPLE.read_bytes()
    broken = content.replace(b"hr_partner;COMPUTE|PHYS", b"hr_partner;COMPUTE|MARS")
    assert broken != content
    open_import_page(page, hr_admin)
    upload(page, {"name": "broken.csv", "mimeType": "text/csv", "buffer": broken})

    expect(page.get_by_role("heading", level=1)).to_have_text("Import of broken.csv")
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    expect(summary).to_contain_text("The file has 1 problem.")
    # Focus moves to the summary, so a screen reader announces it first.
    expect(summary).to_be_focused()
    problems = page.get_by_role("table", name="Problems in the file")
    rows = problems.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("cell")).to_have_text(
        ["8", "hr_partner_units", re.compile(r"MARS")]
    )
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)

    record = OrganisationImport.objects.get()
    assert record.status == OrganisationImport.Status.INVALID
    assert record.content is None, "A rejected file must not be stored"
    assert Person.objects.count() == 1
    assert Unit.objects.count() == 0

    # The way back leads to the upload form again.
    click_and_wait(page, page.get_by_role("link", name="Upload a corrected file"))
    assert path_of(page) == "/organisation/imports/"


def test_a_file_that_is_not_a_table_is_refused_on_the_upload_page(page, hr_admin):
    open_import_page(page, hr_admin)
    upload(page, {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"})
    assert path_of(page) == "/organisation/imports/"
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Choose a CSV file (.csv) or an Excel workbook (.xlsx).")
    expect(summary).to_be_focused()
    # The error links to the field, and the field says it is invalid.
    summary.get_by_role("link").click()
    field = page.get_by_label(re.compile(r"^HR file"))
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    check_page(page)
    assert OrganisationImport.objects.count() == 0


def test_discarding_a_checked_file_changes_nothing(page, hr_admin):
    open_import_page(page, hr_admin)
    upload(page, EXAMPLE)
    click_and_wait(page, page.get_by_role("button", name="Discard"))
    assert path_of(page) == "/organisation/imports/"
    expect(page.get_by_role("status")).to_contain_text("The import was discarded.")
    record = OrganisationImport.objects.get()
    assert record.status == OrganisationImport.Status.DISCARDED
    assert record.content is None
    assert Person.objects.count() == 1
    assert Unit.objects.count() == 0
