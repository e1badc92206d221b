"""Hostile files for the organisation import, through ``check_file``/``import_file`` and the page.

Random bytes, CSV with hostile cells (unicode, NUL and other control characters, cells far
over the limits), wrong headers, workbooks that are not zips or that unpack to far more than
they weigh, and a 50 MB upload. Whatever arrives: never a server error, always a message that
says what is wrong, and the organisation (units, people, roles) exactly as it was unless the
whole file was imported.

Each hypothesis example runs in a savepoint that is rolled back; the organisation is imported
once per test, from the same valid file the other import tests use.
"""

import io
import zipfile
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dialogues.organisation.importing import check_file, import_file, problems_from
from dialogues.organisation.importing.columns import COLUMNS, MAX_LENGTHS
from dialogues.organisation.importing.reading import (
    WORKBOOK_MAX_COLUMNS,
    WORKBOOK_UNPACKED_FACTOR,
    read_table,
)
from dialogues.organisation.models import OrganisationImport, Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.tests.factories import (
    PersonFactory,
    import_file_bytes,
    small_organisation,
)

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAYLOAD = "<script>window.__pwned=1</script>"
NASTY = [
    PAYLOAD,
    '<img src=x onerror="window.__pwned=1">',
    "\u202eevil\u202c",
    "\u200f\u200e\u061c",
    "\u200b\ufeff",
    "👩‍👩‍👧‍👦",
    "Z̴̡̛͎a̷̧͝l̸̪̈́g̵o̶",
    '=HYPERLINK("http://x")',
    "+1-2",
    "@SUM(A1)",
    "Ærø Øst-Åby",
    "'; DROP TABLE organisation_person;--",
    '"quoted";semi,comma|pipe',
    "line\nbreak",
    "\\x00",
]
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f"]
EXTENSIONS = ["hr.csv", "hr.txt", "hr.tsv", "hr.xlsx", "hr.pdf", "hr", "hr.CSV", ".xlsx", "h.r.xls"]


class _RolledBack(Exception):
    pass


@contextmanager
def rolled_back():
    """Run an example in a savepoint and undo everything it stored."""
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def organisation() -> dict:
    """Everything an import may change, to compare before and after."""
    return {
        "units": list(Unit.objects.order_by("pk").values_list()),
        "people": list(
            Person.objects.order_by("pk").values_list(
                "pk", "employee_id", "name", "email", "unit_id", "manager_id", "is_active"
            )
        ),
        "roles": list(RoleAssignment.objects.order_by("pk").values_list()),
    }


@pytest.fixture
def imported(db):
    """The small organisation, imported; and an HR administrator (a local account)."""
    result = import_file(import_file_bytes(small_organisation()), "hr.csv")
    assert result.ok
    return PersonFactory(employee_id=None, name="Hilde Admin", roles=[Role.HR_ADMIN])


def hr_client(admin, language="en") -> Client:
    if admin.preferred_language != language:
        admin.preferred_language = language
        admin.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(admin)
    return client


def upload(client, content: bytes, name: str = "hr.csv"):
    return client.post(reverse("organisation:imports"), {"file": SimpleUploadedFile(name, content)})


def assert_refused_with_messages(result) -> None:
    assert not result.ok and result.errors
    for problem in result.errors:
        assert str(problem).strip() and problem.message != problem.code


# --- what gets imported --------------------------------------------------------------------------

texts = st.one_of(st.text(max_size=30), st.sampled_from(NASTY))
headers = st.lists(
    st.sampled_from([*COLUMNS, "navn", "medarbejdernr", "E-mail", "Enhedskode", "", "bogus"])
    | st.text(max_size=15),
    max_size=14,
)


@st.composite
def hostile_csvs(draw) -> tuple[bytes, str, list[dict], list[str]]:
    """The valid small file with some cells, and perhaps the header, made hostile."""
    rows = [dict(row) for row in small_organisation()]
    columns = list(COLUMNS)
    if draw(st.integers(0, 4)) == 0:
        columns = draw(headers)
    for _ in range(draw(st.integers(0, 4))):
        row = draw(st.sampled_from(rows))
        column = draw(st.sampled_from(COLUMNS))
        row[column] = draw(
            st.one_of(
                texts,
                st.sampled_from(CONTROL).map(lambda c: f"Anna{c}Berg"),
                st.integers(201, 400).map(lambda n: "y" * n),
                st.just("z" * 1024 * 1024),
            )
        )
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    encoding = draw(st.sampled_from(["utf-8-sig", "utf-8", "utf-16", "cp1252"]))
    try:
        content = import_file_bytes(rows, delimiter, encoding, columns)
    except UnicodeEncodeError:  # Windows-1252 cannot hold every character
        encoding = "utf-8"
        content = import_file_bytes(rows, delimiter, encoding, columns)
    return content, encoding, rows, columns


def fits(value: str, column: str) -> bool:
    """A name or unit name the import must take as it is."""
    has_control = any(c in value for c in CONTROL) or any(
        ord(c) < 32 and c not in "\t\n\r" for c in value
    )
    return bool(value.strip()) and not has_control and len(value.strip()) <= MAX_LENGTHS[column]


# --- the tests -----------------------------------------------------------------------------------


@EXAMPLES
@given(content=st.binary(max_size=2000), name=st.sampled_from(EXTENSIONS))
def test_random_bytes_are_refused_with_a_message_and_change_nothing(imported, content, name):
    with rolled_back():
        before = organisation()
        assert_refused_with_messages(check_file(content, name))
        assert_refused_with_messages(import_file(content, name))
        assert organisation() == before


@EXAMPLES
@given(hostile=hostile_csvs())
def test_a_hostile_csv_is_imported_whole_or_refused_whole(imported, hostile):
    content, _encoding, rows, columns = hostile
    with rolled_back():
        before = organisation()
        checked = check_file(content, "hr.csv")
        assert organisation() == before  # checking never writes
        result = import_file(content, "hr.csv")
        assert result.ok == checked.ok
        event("imported" if result.ok else "refused")
        if not result.ok:
            assert_refused_with_messages(result)
            assert organisation() == before
            return
        assert set(columns) >= {"employee_id", "name", "email", "unit_code"}
        for row in rows:
            if row["employee_id"]:
                person = Person.objects.get(employee_id=row["employee_id"])
                assert person.name == row["name"].strip()
                assert person.email == row["email"].strip().lower()
            unit = Unit.objects.get(code=row["unit_code"].strip())
            assert unit.name == row["unit_name"].strip()


@EXAMPLES
@given(name=texts.filter(lambda value: fits(value, "name")))
def test_any_name_that_fits_is_imported_as_written(imported, name):
    rows = small_organisation()
    rows[2] = rows[2] | {"name": name}
    with rolled_back():
        result = import_file(import_file_bytes(rows), "hr.csv")
        assert result.ok, [str(problem) for problem in result.errors]
        assert Person.objects.get(employee_id=rows[2]["employee_id"]).name == name.strip()


@pytest.mark.parametrize("control", CONTROL)
def test_a_control_character_refuses_the_file_as_wrongly_encoded(imported, control):
    rows = small_organisation()
    rows[3] = rows[3] | {"name": f"Emma{control}Employee"}
    before = organisation()
    result = import_file(import_file_bytes(rows), "hr.csv")
    assert_refused_with_messages(result)
    assert [problem.code for problem in result.errors] == ["wrong_encoding"]
    assert organisation() == before


@EXAMPLES
@given(
    content=st.one_of(
        st.binary(max_size=500),
        hostile_csvs().map(lambda hostile: hostile[0]),
    ),
    name=st.sampled_from(EXTENSIONS),
)
def test_a_random_upload_through_the_page_is_answered_with_its_problems(imported, content, name):
    client = hr_client(imported)
    with rolled_back():
        before = organisation()
        response = upload(client, content, name)
        assert response.status_code in (200, 302)
        if response.status_code == 200:  # refused by the form: nothing stored
            assert response.context["form"].errors["file"]
            assert not OrganisationImport.objects.exists()
        else:
            record = OrganisationImport.objects.get()
            page = client.get(response["Location"])
            assert page.status_code == 200
            html = page.content.decode()
            assert PAYLOAD not in html
            if record.status == OrganisationImport.Status.INVALID:
                assert record.content is None and record.errors
                assert "Nothing was imported" in html
                first = problems_from(record.errors)[0]
                assert escape(first.message) in html
        assert organisation() == before


def test_a_hostile_name_is_imported_through_the_page_and_shown_as_text(imported):
    client = hr_client(imported)
    rows = small_organisation()
    rows[3] = rows[3] | {"name": PAYLOAD}
    response = upload(client, import_file_bytes(rows))
    record = OrganisationImport.objects.get()
    assert record.status == OrganisationImport.Status.READY
    detail = client.get(response["Location"]).content.decode()
    assert PAYLOAD not in detail
    response = client.post(reverse("organisation:import_confirm", args=[record.pk]))
    assert response.status_code == 302
    person = Person.objects.get(employee_id=rows[3]["employee_id"])
    assert person.name == PAYLOAD
    page = client.get(reverse("organisation:person", args=[person.pk])).content.decode()
    assert PAYLOAD not in page and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page


# --- workbooks -----------------------------------------------------------------------------------

_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="HR" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
    ),
}


def workbook(rows_xml, padding: int = 0) -> bytes:
    """A workbook written by hand: its one sheet holds ``rows_xml`` (and ``padding`` spaces)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in _PARTS.items():
            archive.writestr(name, xml)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for chunk in rows_xml:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData>")
            for _ in range(padding // 65536):
                sheet.write(b" " * 65536)
            sheet.write(b"</worksheet>")
    return out.getvalue()


def cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = '<row r="1">' + cell("A1", "name") + "</row>"


def test_a_hand_made_workbook_is_read(imported):
    """The builder itself makes a workbook the import reads (so the refusals below are real)."""
    table = read_table(workbook([HEADER_ROW, '<row r="2">' + cell("A2", "Anna") + "</row>"]), "x")
    assert table.header == ["name"] and table.rows == [(2, ["Anna"])]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"employee_id;name\nE1;Anna\n", "hr.xlsx"),  # CSV renamed
        (b"PK\x03\x04 not really a zip", "hr.xlsx"),
        (b"\x00" * 4096, "hr.xlsx"),
        (workbook([HEADER_ROW])[:-200], "hr.xlsx"),  # cut short
        (workbook(['<row r="1">' + cell("A1", "a&#0;b") + "</row>"]), "hr.xlsx"),  # NUL in XML
        (workbook(['<row r="1"><c r="A1"><v>1</v></c>']), "hr.xlsx"),  # not well-formed
        (workbook([HEADER_ROW, '<row r="99999999">' + cell("A99999999", "x") + "</row>"]), "x"),
    ],
    ids=["csv", "not-a-zip", "zeros", "truncated", "nul-reference", "broken-xml", "row-99999999"],
)
def test_a_broken_workbook_is_refused_as_not_valid(imported, content, name):
    before = organisation()
    result = import_file(content, name)
    assert_refused_with_messages(result)
    assert [problem.code for problem in result.errors] == ["invalid_workbook"]
    assert organisation() == before


def test_a_zip_that_unpacks_to_far_more_than_it_weighs_is_refused_unread(imported, settings):
    limit = WORKBOOK_UNPACKED_FACTOR * settings.ORGANISATION_IMPORT_MAX_BYTES
    bomb = workbook([HEADER_ROW], padding=limit + 65536)
    assert len(bomb) < limit / 100  # it weighs little
    client = hr_client(imported)
    before = organisation()
    response = upload(client, bomb, "hr.xlsx")
    record = OrganisationImport.objects.get()
    assert record.status == OrganisationImport.Status.INVALID
    assert [problem["code"] for problem in record.errors] == ["workbook_too_large"]
    page = client.get(response["Location"]).content.decode()
    assert "The workbook unpacks to" in page and "can be imported" in page
    assert organisation() == before


def test_cells_far_to_the_right_are_not_read_into_every_row(imported):
    """A cell in the last column made openpyxl give 16,384 cells for each row."""
    rows = [HEADER_ROW] + [
        f'<row r="{n}">' + cell(f"A{n}", f"P{n}") + cell(f"XFD{n}", "x") + "</row>"
        for n in range(2, 2002)
    ]
    table = read_table(workbook(rows), "hr.xlsx")
    assert len(table.rows) == 2000
    assert max(len(cells) for _number, cells in table.rows) <= WORKBOOK_MAX_COLUMNS
    result = import_file(workbook(rows), "hr.xlsx")
    assert_refused_with_messages(result)  # no required column but name


def test_a_file_of_nothing_but_line_breaks_is_refused_as_empty(imported):
    result = import_file(b"\r\n" * (2 * 1024 * 1024), "hr.csv")
    assert [problem.code for problem in result.errors] == ["empty_file"]


# --- a 50 MB upload ------------------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The file is 50.0\xa0MB; files of at most 20.0\xa0MB can be imported."),
        ("da", "Filen fylder 50,0\xa0MB; der kan højst indlæses filer på 20,0\xa0MB."),
    ],
)
def test_a_50_mb_upload_is_refused_in_the_readers_language(imported, settings, language, message):
    settings.ORGANISATION_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    client = hr_client(imported, language)
    before = organisation()
    response = upload(client, b"x" * FIFTY_MB, "hr.csv")
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert message.replace("\xa0", "&nbsp;") in response.content.decode().replace("\xa0", "&nbsp;")
    assert not OrganisationImport.objects.exists()
    assert organisation() == before


def test_50_mb_posted_as_a_form_field_gets_a_page_in_both_languages(imported):
    client = hr_client(imported)
    before = organisation()
    response = client.post(reverse("organisation:imports"), {"file": "x" * FIFTY_MB})
    assert response.status_code == 400
    page = response.content.decode()
    assert "far more text" in page and "langt mere tekst" in page
    assert not OrganisationImport.objects.exists()
    assert organisation() == before
