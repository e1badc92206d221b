"""Turn an uploaded file into a header and rows of text, as real HR tools write them.

CSV comes with commas, semicolons (Danish Excel) or tabs (Excel's "Unicode text"), in
UTF-8 with or without a byte-order mark, UTF-16 with one, or Windows-1252; XLSX is read
with openpyxl in read-only mode. Row numbers are the spreadsheet's: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings

from dialogues.organisation.importing.errors import FileRejected, error

TEXT_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
WORKBOOK_EXTENSIONS = frozenset({".xlsx"})
DELIMITERS = (";", "\t", ",")
# A workbook is a zip, and a few MB can unpack to GBs; a cell far to the right makes openpyxl
# fill every row up to it, and a high row number makes it yield every row before it. These
# bound the work a hostile workbook can cause. An honest workbook of 10,000 people is 0.5 MB
# and unpacks to 6 MB, so the default limit (twice 20 MB) takes some 70,000 people.
WORKBOOK_UNPACKED_FACTOR = 2  # of ORGANISATION_IMPORT_MAX_BYTES
WORKBOOK_MAX_COLUMNS = 100  # cells further right are not read
WORKBOOK_MAX_ROWS = 200_000  # rows with a value
EXCEL_MAX_ROWS = 1_048_576
# Control characters other than tab, LF and CR.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)


@dataclass
class Table:
    """The header cells and the non-blank rows, each with its spreadsheet row number."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_row: int = 1


def read_table(content: bytes, filename: str) -> Table:
    """Read a CSV or XLSX file; raise ``FileRejected`` when it cannot be read at all."""
    limit = settings.ORGANISATION_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise FileRejected(
            error(
                "too_large",
                size_mb=_megabytes(len(content)),
                limit_mb=_megabytes(limit),
            )
        )
    extension = PurePath(filename or "").suffix.lower()
    if extension and extension not in TEXT_EXTENSIONS | WORKBOOK_EXTENSIONS:
        raise FileRejected(error("unsupported_file_type", extension=extension))
    if extension in WORKBOOK_EXTENSIONS or zipfile.is_zipfile(io.BytesIO(content)):
        if extension in WORKBOOK_EXTENSIONS and not content:
            raise FileRejected(error("empty_file"))
        rows = _workbook_rows(content)
    else:
        rows = _text_rows(decode(content))
    return _table(rows)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def decode(content: bytes) -> str:
    """Decode as UTF-8 (BOM or not), UTF-16 (with a BOM) or, failing those, Windows-1252.

    A decoding counts only if it gives no control characters other than tab, CR and LF.
    """
    if content.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Text with control characters was decoded wrongly (UTF-16 without its BOM, say).
        if not _has_control_characters(text):
            return text
    raise FileRejected(error("wrong_encoding"))


def _has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def sniff_delimiter(line: str) -> str:
    """The delimiter used most in the header line; semicolon wins a tie (Danish Excel)."""
    counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _text_rows(text: str) -> list[tuple[int, list[str]]]:
    # Lines are read one at a time, and blank rows dropped as they come: a file of 20 MB of
    # line breaks must not become 20 million rows in memory.
    lines = io.StringIO(text, newline=None)
    delimiter = None
    skip = 0
    top = lines.readline()
    # Excel understands a first line "sep=;" and does not show it as a row.
    match = _SEP_LINE.match(top)
    if match:
        delimiter, skip = match.group(1), 1
        top = ""
    first = top if top.strip() else next((line for line in lines if line.strip()), "")
    delimiter = delimiter or sniff_delimiter(first.rstrip("\n"))
    stream = io.StringIO(text, newline="")
    for _ in range(skip):
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter, skipinitialspace=True, strict=False)
    rows = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                rows.append((number, stripped))
    except csv.Error as exc:
        raise FileRejected(error("unreadable_csv", row=number + 1)) from exc
    return rows


def _check_unpacked_size(content: bytes) -> None:
    """Refuse a workbook that unpacks to far more than any HR file (a "zip bomb").

    The sizes are those the zip declares; reading a member never gives more than declared.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRejected(error("invalid_workbook")) from exc
    limit = WORKBOOK_UNPACKED_FACTOR * settings.ORGANISATION_IMPORT_MAX_BYTES
    if unpacked > limit:
        raise FileRejected(
            error(
                "workbook_too_large",
                size_mb=_megabytes(unpacked),
                limit_mb=_megabytes(limit),
            )
        )


def _sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    """The rows with a value (blank ones are dropped here, before any work is spent on them)."""
    rows = []
    values_only = sheet.iter_rows(max_col=WORKBOOK_MAX_COLUMNS, values_only=True)
    for number, values in enumerate(values_only, start=1):
        if number > EXCEL_MAX_ROWS:
            raise FileRejected(error("invalid_workbook"))
        if values.count(None) == len(values):
            continue
        if len(rows) == WORKBOOK_MAX_ROWS:
            raise FileRejected(error("too_many_rows", limit=WORKBOOK_MAX_ROWS))
        rows.append((number, [_cell_text(value) for value in values]))
    return rows


def _workbook_rows(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_unpacked_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # any failure to parse an uploaded workbook means the same
        raise FileRejected(error("invalid_workbook")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRejected(error("empty_file"))
        # Some tools write a wrong <dimension>; ignore it and read what is there.
        sheet.reset_dimensions()
        return _sheet_rows(sheet)
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected(error("invalid_workbook")) from exc
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _table(rows: list[tuple[int, list[str]]]) -> Table:
    filled = [(number, _trim(cells)) for number, cells in rows if any(cells)]
    if not filled:
        raise FileRejected(error("empty_file"))
    (header_row, header), *body = filled
    return Table(header=header, rows=body, header_row=header_row)


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]
