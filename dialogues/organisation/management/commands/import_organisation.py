"""Import the organisation from an HR file: ``manage.py import_organisation FILE [--dry-run]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dialogues.organisation.importing import import_file, record_applied_import
from dialogues.organisation.importing.progress import TqdmProgress
from dialogues.organisation.importing.summary import summary_lines


class Command(BaseCommand):
    help = "Import units, people, managers and roles from a CSV or XLSX file (docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV or XLSX file exported from HR")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and show what would change"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        with TqdmProgress(tqdm, disable=options["verbosity"] == 0) as progress:
            result = import_file(content, file.name, progress=progress, dry_run=dry_run)
        for problem in result.warnings:
            self.stderr.write(self.style.WARNING(f"Notice: {problem}"))
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(result.errors)} problem(s) in {file.name}: nothing was imported."
            )
        if not dry_run:
            record_applied_import(file.name, result)
        heading = "Dry run: nothing was written." if dry_run else "Imported."
        self.stdout.write(self.style.SUCCESS(heading))
        for line in summary_lines(result.summary):
            self.stdout.write(line)
