"""What hostile HR files cost the import's reader (docs/reliability.md, "Hostile input").

    .venv/bin/python bench/hostile_files.py [--timeout 300]

Builds, in memory, files that weigh little and cost much, and reads each with the import's own
reader (``read_table``, which the web page, the command line and the invitee lists all call) in
a fresh process, printing the file's size, the answer (the rows read, or the problem) and the
seconds and peak memory it took:

1. ``wide-rows``: a workbook of 20,000 rows, each with one cell in the last column (XFD);
2. ``million-rows``: the same with 1,000,000 rows;
3. ``unpacks-big``: a workbook whose sheet unpacks to 100 MB of spaces;
4. ``row-number``: a workbook with one cell in row 999,999,999;
5. ``line-breaks``: a CSV of 19 MB of line breaks after its header.

Nothing touches the network or the database. A case that runs longer than ``--timeout``
seconds is stopped and reported as such.
"""

import argparse
import io
import multiprocessing
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'


def workbook(rows, padding: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in _PARTS.items():
            archive.writestr(name, xml)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData>")
            for _ in range(padding // 65536):
                sheet.write(b" " * 65536)
            sheet.write(b"</worksheet>")
    return out.getvalue()


def far_right(count: int):
    yield HEADER
    for n in range(2, count + 2):
        yield f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'


CASES = {
    "wide-rows": lambda: (workbook(far_right(20_000)), "hr.xlsx"),
    "million-rows": lambda: (workbook(far_right(1_000_000)), "hr.xlsx"),
    "unpacks-big": lambda: (workbook([HEADER], padding=100 * 1024 * 1024), "hr.xlsx"),
    "row-number": lambda: (
        workbook([HEADER, '<row r="999999999"><c r="A999999999"><v>1</v></c></row>']),
        "hr.xlsx",
    ),
    "line-breaks": lambda: (b"name;email\n" + b"\n" * (19 * 1024 * 1024), "hr.csv"),
}


def _read(name: str, answer) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogues.settings")
    import django

    django.setup()
    from dialogues.organisation.importing.errors import FileRejected
    from dialogues.organisation.importing.reading import read_table

    content, filename = CASES[name]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        outcome = f"{len(read_table(content, filename).rows):,} rows read"
    except FileRejected as rejected:
        outcome = f"refused: {rejected.problem.code}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    answer.send((len(content), outcome, seconds, max(peak, before) / 1024))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("cases", nargs="*", default=list(CASES))
    options = parser.parse_args()
    print(f"{'case':<14} {'file':>10}  {'answer':<34} {'seconds':>8} {'peak MB':>8}")
    context = multiprocessing.get_context("spawn")
    for name in options.cases:
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_read, args=(name, sending))
        process.start()
        if receiving.poll(options.timeout):
            size, outcome, seconds, peak = receiving.recv()
            print(f"{name:<14} {size / 1024:>8.0f} K  {outcome:<34} {seconds:>8.1f} {peak:>8.0f}")
        else:
            limit = f">{options.timeout:.0f}"
            print(f"{name:<14} {'':>10}  {'stopped after the timeout':<34} {limit:>8}")
        process.kill()
        process.join()


if __name__ == "__main__":
    main()
