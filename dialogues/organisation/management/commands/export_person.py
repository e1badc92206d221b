"""Everything stored about one person, as JSON: ``manage.py export_person EMAIL_OR_EMPLOYEE_ID``.

For a person's access request (GDPR article 15; docs/privacy.md). Writes to standard output, or
to ``--output FILE``; the export is written to the access log that HR administrators read.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dialogues.organisation.privacy import (
    PersonNotFound,
    as_json,
    find_person,
    personal_data,
    record_export,
)


class Command(BaseCommand):
    help = "Export everything stored about a person (their access request) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("person", help="the person's e-mail address or employee id")
        parser.add_argument(
            "--output", "-o", type=Path, help="write the JSON to this file instead of stdout"
        )

    def handle(self, *args, person: str, output: Path | None, **options):
        try:
            found = find_person(person)
        except PersonNotFound:
            raise CommandError(
                f"No one has the e-mail address or employee id “{person}”."
            ) from None
        text = as_json(personal_data(found))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        record_export(found, None, via="command")
        if output is not None:
            self.stderr.write(f"The data about {found.name} was written to {output}.")
