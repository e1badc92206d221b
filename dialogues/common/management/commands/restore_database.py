"""Restore a backup made by ``backup_database``: ``manage.py restore_database PATH``.

Into an empty database only, unless ``--force``; the file is checked against its manifest
before, and every table's rows are counted after (docs/backup.md).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dialogues.common.backup import BackupRefused, pending_migrations, restore_database


class Command(BaseCommand):
    # The checks query the database; a restore's target may not hold a table yet.
    requires_system_checks = []
    help = (
        "Restore PATH (made by backup_database) into the configured database, which must be "
        "empty unless --force; then compare every table's rows with the backup's manifest. "
        "Stop the application first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file")
        parser.add_argument("--database", default="default", help="the database alias")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds tables",
        )
        parser.add_argument(
            "--pg-bindir",
            default=None,
            help="the directory of pg_restore (default: the server's version under "
            "/usr/lib/postgresql, else the PATH)",
        )

    def handle(self, *args, path: Path, database: str, force: bool, pg_bindir, **options):
        try:
            done = restore_database(path, database, force=force, pg_bindir=pg_bindir)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        made = f" (made {done.manifest.created_at} from {done.manifest.source})"
        self.stdout.write(
            f"Restored {done.path}{made if done.manifest else ''} into {done.target} "
            f"with {done.tool}" + (", replacing what it held" if done.replaced else "") + "."
        )
        if done.manifest is None:
            self.stderr.write(
                self.style.WARNING(
                    f"No manifest beside the file: {len(done.tables)} tables and "
                    f"{done.rows:,} rows restored, not compared with the backup."
                )
            )
        elif done.differences:
            for table, expected, found in done.differences:
                self.stderr.write(f"  {table}: {_n(expected)} in the backup, {_n(found)} restored")
            raise CommandError(
                f"{len(done.differences)} tables differ from the backup's manifest (above)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Every table as in the backup: {len(done.tables)} tables, {done.rows:,} rows."
                )
            )
        missing, unknown = pending_migrations(database)
        if unknown:
            self.stderr.write(
                self.style.WARNING(
                    f"The backup comes from a newer release: {len(unknown)} of its migrations "
                    f"are unknown to this code ({', '.join(unknown[:5])}). Run that release."
                )
            )
        elif missing:
            self.stdout.write(
                f"This code has {len(missing)} migrations the backup has not: run "
                "manage.py migrate before starting the application."
            )
        else:
            self.stdout.write("The database's migrations match this code.")


def _n(count: int | None) -> str:
    return "no table" if count is None else f"{count:,} rows"
