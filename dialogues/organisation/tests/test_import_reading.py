import codecs
import io

import pytest
from openpyxl import Workbook

from dialogues.organisation.importing import import_file
from dialogues.organisation.importing.errors import FileRejected
from dialogues.organisation.importing.reading import decode, read_table, sniff_delimiter
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.tests.factories import import_file_bytes, small_organisation

HEADER = "employee_id;name;email"


def rejected_code(content: bytes, filename: str = "hr.csv") -> str:
    with pytest.raises(FileRejected) as caught:
        read_table(content, filename)
    return caught.value.problem.code


def test_danish_excel_csv_with_bom_semicolons_and_crlf_is_read():
    content = "\ufeffemployee_id;name\r\n1;Søren Ågaard\r\n2;Åse Ørsted\r\n".encode()

    table = read_table(content, "hr.csv")

    assert table.header == ["employee_id", "name"]
    assert table.rows == [(2, ["1", "Søren Ågaard"]), (3, ["2", "Åse Ørsted"])]


def test_comma_separated_utf8_without_bom_is_read():
    table = read_table(b"employee_id,name\n7,Ann\n", "hr.csv")

    assert table.header == ["employee_id", "name"]
    assert table.rows == [(2, ["7", "Ann"])]


def test_excel_unicode_text_utf16_with_tabs_is_read():
    content = codecs.BOM_UTF16_LE + "employee_id\tname\r\n3\tBjørn Bøgh\r\n".encode("utf-16-le")

    table = read_table(content, "hr.txt")

    assert table.rows == [(2, ["3", "Bjørn Bøgh"])]


def test_windows_1252_is_read():
    content = "employee_id;name\r\n4;Ærø Ødegård\r\n".encode("cp1252")

    assert read_table(content, "hr.csv").rows == [(2, ["4", "Ærø Ødegård"])]


def test_stray_spaces_around_cells_and_headers_are_trimmed():
    content = b" Employee_ID ;  name \r\n 5 ;  Ida Holm  \r\n"

    table = read_table(content, "hr.csv")

    assert table.header == ["Employee_ID", "name"]
    assert table.rows == [(2, ["5", "Ida Holm"])]


def test_blank_rows_are_skipped_but_keep_their_row_numbers():
    table = read_table(b"a;b\r\n;\r\n\r\n1;2\r\n", "hr.csv")

    assert table.rows == [(4, ["1", "2"])]


def test_quoted_cells_may_hold_the_delimiter():
    table = read_table(b'name;roles\r\n"Holm; Ida";"manager;amr"\r\n', "hr.csv")

    assert table.rows == [(2, ["Holm; Ida", "manager;amr"])]


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row():
    table = read_table(b"sep=,\r\na;b,c\r\n1;2,3\r\n", "hr.csv")

    assert table.header == ["a;b", "c"]
    assert table.rows == [(2, ["1;2", "3"])]


def test_semicolon_wins_a_tie_with_comma():
    assert sniff_delimiter("a;b,c") == ";"
    assert sniff_delimiter("a\tb\tc,d") == "\t"
    assert sniff_delimiter("single") == ","


def test_xlsx_is_read_with_numbers_as_text_and_rows_numbered_like_excel():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["employee_id", "name"])
    sheet.append([1001, "Lene Lund"])
    sheet.append([None, None])
    sheet.append([1002.0, " Bo Bach "])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(buffer.getvalue(), "HR.XLSX")

    assert table.header == ["employee_id", "name"]
    assert table.rows == [(2, ["1001", "Lene Lund"]), (4, ["1002", "Bo Bach"])]


@pytest.mark.parametrize(
    "content",
    [
        "employee_id;name\r\n1;Ann\x01\r\n".encode("cp1252"),
        "employee_id;name\r\n".encode("utf-16-le"),  # UTF-16 without its byte-order mark
        b"employee_id;name\r\n1;\x81\x8d\r\n",  # bytes Windows-1252 does not define
    ],
)
def test_an_encoding_that_is_none_of_the_supported_ones_is_refused(content):
    with pytest.raises(FileRejected) as caught:
        decode(content)

    assert caught.value.problem.code == "wrong_encoding"


@pytest.mark.parametrize(
    "content", [b"", codecs.BOM_UTF8, b"\r\n \r\n", b" ; ; \r\n;\r\n", codecs.BOM_UTF16_LE]
)
def test_an_empty_file_is_refused(content):
    assert rejected_code(content) == "empty_file"


def test_a_file_larger_than_the_limit_is_refused(settings):
    settings.ORGANISATION_IMPORT_MAX_BYTES = 100

    with pytest.raises(FileRejected) as caught:
        read_table(b"x" * 101, "hr.csv")

    assert caught.value.problem.code == "too_large"
    assert caught.value.problem.params == {"size_mb": "0.0", "limit_mb": "0.0"}


def test_an_xlsx_that_is_not_a_workbook_is_refused():
    assert rejected_code(b"employee_id;name\r\n", "hr.xlsx") == "invalid_workbook"


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")

    assert rejected_code(buffer.getvalue(), "hr.xlsx") == "invalid_workbook"


@pytest.mark.parametrize("filename", ["hr.xls", "hr.pdf", "organisation.ods"])
def test_an_unsupported_file_type_is_refused(filename):
    with pytest.raises(FileRejected) as caught:
        read_table(b"employee_id;name\r\n", filename)

    assert caught.value.problem.code == "unsupported_file_type"
    assert caught.value.problem.params == {"extension": "." + filename.split(".")[-1]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delimiter", "encoding", "newline"),
    [
        (";", "utf-8-sig", "\r\n"),
        (",", "utf-8", "\n"),
        ("\t", "utf-16", "\r\n"),
        (";", "cp1252", "\r\n"),
    ],
)
def test_a_valid_file_imports_in_every_dialect(delimiter, encoding, newline):
    content = import_file_bytes(small_organisation(), delimiter, encoding, lineterminator=newline)

    result = import_file(content, "hr.csv")

    assert result.errors == []
    assert sorted(Unit.objects.values_list("code", flat=True)) == ["D", "G", "S", "U"]
    assert Person.objects.get(employee_id="E4").name == "Gustav Groupleader"
    assert Person.objects.count() == 6


@pytest.mark.django_db
def test_a_valid_xlsx_imports():
    workbook = Workbook()
    sheet = workbook.active
    rows = small_organisation()
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_file(buffer.getvalue(), "hr.xlsx")

    assert result.errors == []
    assert Person.objects.count() == 6
    assert RoleAssignment.objects.filter(role="manager").count() == 3


@pytest.mark.django_db
def test_the_example_files_import_and_agree():
    from django.conf import settings

    examples = settings.BASE_DIR / "examples"
    csv_result = import_file((examples / "organisation.csv").read_bytes(), "organisation.csv")
    xlsx_result = import_file((examples / "organisation.xlsx").read_bytes(), "organisation.xlsx")

    assert csv_result.problems == []
    assert csv_result.summary["people"]["counts"]["added"] == 42
    assert xlsx_result.problems == []
    assert xlsx_result.summary["people"]["counts"]["unchanged"] == 42
    assert xlsx_result.summary["roles"]["counts"] == {"added": 0, "removed": 0}
