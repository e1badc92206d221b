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
    lines = text.splitlines()
    delimiter = None
    skip = 0
    first = next((line for line in lines if line.strip()), "")
    # Excel understands a first line "sep=;" and does not show it as a row.
    match = _SEP_LINE.match(lines[0]) if lines else None
    if match:
        delimiter, skip = match.group(1), 1
        first = next((line for line in lines[1:] if line.strip()), "")
    delimiter = delimiter or sniff_delimiter(first)
    stream = io.StringIO(text, newline="")
    for _ in range(skip):
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter, skipinitialspace=True, strict=False)
    rows = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        raise FileRejected(error("unreadable_csv", row=number + 1)) from exc
    return rows


def _workbook_rows(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

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
        return [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
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
