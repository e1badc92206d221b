"""Compile the .po catalogues to .mo without GNU gettext, and check they are complete."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every locale/<lang>/LC_MESSAGES/django.po; with --check, fail on gaps."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail if a message is untranslated or fuzzy.",
        )

    def handle(self, *args, check=False, **options):
        problems = []
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                missing = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
                fuzzy = [e.msgid for e in catalogue.fuzzy_entries() if not e.obsolete]
                if missing or fuzzy:
                    problems.append((po_path, missing, fuzzy))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")
        if check and problems:
            for path, missing, fuzzy in problems:
                for msgid in missing:
                    self.stderr.write(f"{path}: untranslated: {msgid!r}")
                for msgid in fuzzy:
                    self.stderr.write(f"{path}: fuzzy: {msgid!r}")
            raise CommandError("The translations are incomplete.")
