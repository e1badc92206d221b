"""Problems found in an HR file: data, rendered in the reader's language when shown.

A problem is stored as JSON on ``OrganisationImport.errors`` and turned back into a
``Problem`` for display, so that an HR administrator reading in Danish sees Danish
even if the file was checked while someone else's English was active.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

ERROR = "error"
WARNING = "warning"

MESSAGES = {
    # The file as a whole.
    "empty_file": _("The file is empty: it has no header row and no people."),
    "no_rows": _("The file has a header row but no rows with people or units."),
    "too_large": _("The file is %(size_mb)s MB; files of at most %(limit_mb)s MB can be imported."),
    "wrong_encoding": _(
        "The file has the wrong encoding. Save it as CSV UTF-8, Unicode text (UTF-16) or "
        "Windows-1252 CSV, or as an Excel workbook (.xlsx)."
    ),
    "invalid_workbook": _("The file is not a valid Excel workbook (.xlsx)."),
    "workbook_too_large": _(
        "The workbook unpacks to %(size_mb)s MB; workbooks of at most %(limit_mb)s MB unpacked "
        "can be imported. Save it again in Excel, or as CSV."
    ),
    "too_many_rows": _(
        "The workbook has more than %(limit)s rows with values; files of at most %(limit)s "
        "rows can be imported."
    ),
    "unsupported_file_type": _(
        "Files of type “%(extension)s” cannot be imported. Use a CSV file (.csv, or .txt saved "
        "by Excel as Unicode text) or an Excel workbook (.xlsx)."
    ),
    "unreadable_csv": _(
        "The file cannot be read as CSV from this row on: check for a quotation mark that is "
        "never closed."
    ),
    # The header row.
    "missing_columns": _("Required columns are missing: %(columns)s."),
    "duplicate_column": _("The column “%(column)s” appears twice (also column %(other)s)."),
    "unknown_column": _("The column “%(column)s” is not known and was ignored."),
    # One cell.
    "required": _("A value is required."),
    "too_long": _("The value is too long: at most %(max)s characters."),
    "invalid_email": _("“%(value)s” is not a valid email address."),
    "unknown_language": _("“%(value)s” is not a known language: use da or en."),
    "unknown_unit_type": _(
        "“%(value)s” is not a known unit type: use university, department, centre, section or "
        "group."
    ),
    "unknown_role": _("“%(value)s” is not a known role."),
    "duplicate_employee_id": _("The employee id %(value)s is also used in row %(other_row)s."),
    "duplicate_email": _("The email %(value)s is also used in row %(other_row)s."),
    "unit_conflict": _(
        "Unit %(code)s is defined differently in row %(other_row)s: “%(value)s” here, "
        "“%(other_value)s” there."
    ),
    "unknown_parent_unit": _("The parent unit %(value)s is not defined in the file."),
    "unit_cycle": _("The units form a cycle: %(codes)s."),
    "no_top_unit": _(
        "The file has no top unit: exactly one unit must have an empty parent unit code."
    ),
    "several_top_units": _(
        "Unit %(code)s has no parent unit, but unit %(other_code)s (row %(other_row)s) is already "
        "the top unit: exactly one unit may have an empty parent unit code."
    ),
    "unknown_manager": _("There is no person with employee id %(value)s in the file."),
    "manager_cycle": _("The managers form a cycle: %(names)s."),
    "two_managers": _(
        "Unit %(code)s has two managers: %(name)s here and %(other_name)s in row %(other_row)s."
    ),
    "hr_partner_without_units": _(
        "An HR partner needs the units they serve in the column hr_partner_units."
    ),
    "hr_partner_units_ignored": _(
        "The units in hr_partner_units were ignored because the person is not an HR partner."
    ),
    "unknown_unit": _("The unit %(value)s is not defined in the file."),
    "email_taken": _(
        "The email %(value)s already belongs to %(owner)s, who has a different employee id."
    ),
    "email_taken_local": _(
        "The email %(value)s already belongs to the local account of %(owner)s, which the "
        "import does not change."
    ),
    "manager_is_local_account": _(
        "Unit %(code)s already has a manager, %(owner)s, whose local account the import does "
        "not change."
    ),
}

# Shown to the reader when the problem is about the file rather than one row.
WHOLE_FILE = _("whole file")


def _render_param(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return " → ".join(str(item) for item in value) if value else ""
    return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth noticing) in a file; ``row`` is the spreadsheet's row."""

    code: str
    row: int | None = None
    column: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.code)
        if template is None:
            return self.code
        params = {key: _render_param(value) for key, value in self.params.items()}
        if self.code == "missing_columns":
            params["columns"] = ", ".join(self.params.get("columns", []))
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            # A translation that lost a placeholder must not break the error page.
            return str(template)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "row": self.row, "column": self.column}
        if self.params:
            data["params"] = self.params
        if self.severity != ERROR:
            data["severity"] = self.severity
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(
            code=data["code"],
            row=data.get("row"),
            column=data.get("column"),
            params=data.get("params") or {},
            severity=data.get("severity", ERROR),
        )

    def __str__(self) -> str:
        where = str(_("row %(row)s") % {"row": self.row}) if self.row else str(WHOLE_FILE)
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.message}"


def warning(code: str, row: int | None = None, column: str | None = None, /, **params) -> Problem:
    return Problem(code, row, column, params, WARNING)


def error(code: str, row: int | None = None, column: str | None = None, /, **params) -> Problem:
    return Problem(code, row, column, params, ERROR)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Whole-file problems first, then by row, then by column, keeping the order found."""
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


class FileRejected(Exception):
    """Raised by the reader when the file cannot be read at all."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem
