"""The HR import of the organisation: units, people, managers and roles from one file.

``check_file`` reads and validates a file and previews what an import would change;
``import_file`` does the same and then applies it in one transaction. The web view,
the ``import_organisation`` command, ``load_demo`` and the benchmark all call these.
The file format is described in docs/import.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from dialogues.organisation.importing.applying import apply_plan
from dialogues.organisation.importing.database import check_against_database
from dialogues.organisation.importing.errors import FileRejected, Problem, sort_problems
from dialogues.organisation.importing.reading import read_table
from dialogues.organisation.importing.validation import validate_table

Progress = Callable[[str, int, int], None]

__all__ = [
    "ImportResult",
    "Problem",
    "Progress",
    "check_file",
    "import_file",
    "problems_from",
    "record_applied_import",
]


@dataclass
class ImportResult:
    """Every problem found (errors and notices) and, when there was no error, the summary."""

    problems: list[Problem] = field(default_factory=list)
    summary: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.summary is not None

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    @property
    def changed_anything(self) -> bool:
        if self.summary is None:
            return False
        counts = [self.summary[part]["counts"] for part in ("units", "people", "roles")]
        return any(n for c in counts for name, n in c.items() if name != "unchanged")

    def problems_as_json(self) -> list[dict[str, Any]]:
        return [problem.to_dict() for problem in self.problems]


def check_file(content: bytes, filename: str, progress: Progress | None = None) -> ImportResult:
    """Validate a file against the current database; the summary previews the changes."""
    return import_file(content, filename, progress=progress, dry_run=True)


def import_file(
    content: bytes,
    filename: str,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate the whole file, then (unless ``dry_run``) apply it in one transaction.

    Nothing is written when any row has an error. The checks that depend on the
    database run again inside the transaction, so a file checked earlier is applied
    only if it still fits the organisation as it is now.
    """
    try:
        table = read_table(content, filename)
    except FileRejected as rejected:
        return ImportResult([rejected.problem])
    plan, problems = validate_table(table, progress)
    if plan is None:
        return ImportResult(sort_problems(problems))
    atomic = contextlib.nullcontext() if dry_run else transaction.atomic()
    with atomic:
        database_problems = check_against_database(plan)
        if database_problems:
            return ImportResult(sort_problems(problems + database_problems))
        summary = apply_plan(plan, progress=progress, dry_run=dry_run)
    return ImportResult(sort_problems(problems), summary)


def record_applied_import(filename: str, result: ImportResult, by=None):
    """Keep an applied import in the history that the import page shows.

    Imports from the command line and the demo are recorded as the web's are; the file
    itself is not kept (it holds personal data).
    """
    from django.utils import timezone

    from dialogues.organisation.models import OrganisationImport

    return OrganisationImport.objects.create(
        filename=filename,
        uploaded_by=by,
        status=OrganisationImport.Status.APPLIED,
        errors=result.problems_as_json(),
        summary=result.summary,
        applied_at=timezone.now(),
    )


def problems_from(data: list[dict[str, Any]]) -> list[Problem]:
    """Problems stored as JSON (``OrganisationImport.errors``) back as objects."""
    return [Problem.from_dict(item) for item in data or []]
