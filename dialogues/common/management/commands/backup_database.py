"""Back the database up to a file: ``manage.py backup_database PATH`` (docs/backup.md).

SQLite through its online backup, PostgreSQL through ``pg_dump --format=custom``; a manifest
(``PATH.json``) beside the file lets ``restore_database`` check what it restores.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dialogues.common.backup import BackupRefused, backup_database, manifest_path


class Command(BaseCommand):
    # The checks query the database; a restore's target may not hold a table yet.
    requires_system_checks = []
    help = (
        "Back the database up to PATH (SQLite: online backup; PostgreSQL: pg_dump, custom "
        "format) with a manifest PATH.json of its tables' row counts. Safe while the "
        "application runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file to write (replaced if there)")
        parser.add_argument("--database", default="default", help="the database alias")
        parser.add_argument(
            "--pg-bindir",
            default=None,
            help="the directory of pg_dump (default: the server's version under "
            "/usr/lib/postgresql, else the PATH)",
        )

    def handle(self, *args, path: Path, database: str, pg_bindir, **options):
        try:
            done = backup_database(path, database, pg_bindir=pg_bindir)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        manifest = done.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest.source} with {manifest.tool} to {done.path}: "
                f"{len(manifest.tables)} tables, {manifest.rows:,} rows, "
                f"{manifest.size / 1e6:,.1f} MB."
            )
        )
        self.stdout.write(
            f"Manifest (row counts and SHA-256, checked by restore_database): "
            f"{manifest_path(done.path)}"
        )
        self.stdout.write(
            f"Not in this file: the secret key ({_secret_key_source()}) and the configuration "
            "(the environment). Keep them safe apart from it: docs/backup.md."
        )
        media = _media_files()
        if media:
            self.stderr.write(
                self.style.WARNING(
                    f"{settings.MEDIA_ROOT} holds {media} files that are not in this backup: "
                    "copy them too."
                )
            )


def _secret_key_source() -> str:
    for name in ("DIALOGUES_SECRET_KEY_FILE", "DIALOGUES_SECRET_KEY"):
        if os.environ.get(name):
            return f"from {name}"
    return f"kept in {settings.VAR_DIR / 'secret_key'}"


def _media_files() -> int:
    root = Path(settings.MEDIA_ROOT)
    return sum(1 for item in root.rglob("*") if item.is_file()) if root.is_dir() else 0
