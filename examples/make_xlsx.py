"""Build examples/organisation.xlsx from examples/organisation.csv (the same rows).

Run from the repository root: python examples/make_xlsx.py
"""

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent


def main() -> None:
    with (HERE / "organisation.csv").open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source, delimiter=";"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Organisation"
    for row in rows:
        sheet.append(row)  # every cell as text, so that employee ids keep leading zeros
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 50)
    workbook.save(HERE / "organisation.xlsx")


if __name__ == "__main__":
    main()
