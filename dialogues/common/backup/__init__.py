"""Backing up the database and restoring it (docs/backup.md).

``backup_database`` writes one file, made by the database's own tool, and a manifest beside it
(``PATH.json``: when, from where, the file's SHA-256, every table's row count and the last
migration of each app). ``restore_database`` checks the file against its manifest, refuses a
database that already holds tables unless forced, restores, and counts every table again.

- SQLite: the online backup API (``sqlite3.Connection.backup``) in one step, which reads one
  consistent snapshot while the application keeps writing (WAL mode); the copy is checked with
  ``PRAGMA integrity_check`` and switched to a single file (no ``-wal`` beside it).
- PostgreSQL: ``pg_dump --format=custom`` inside a snapshot that the row counts are read from,
  so the manifest describes exactly what the dump holds; ``pg_restore`` in a single
  transaction, all or nothing (``postgresql.py``).

The files hold personal data (names, e-mail addresses, answers): they are written readable by
their owner only. The secret key is deliberately not in them (docs/backup.md says why).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

__all__ = [
    "BackupRefused",
    "Backup",
    "Manifest",
    "Restore",
    "backup_database",
    "manifest_path",
    "pending_migrations",
    "restore_database",
]

FORMAT = "dialogues-backup/1"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupRefused(Exception):
    """A backup or restore that would be wrong or unsafe; the message says why and what to do."""


@dataclass
class Manifest:
    """What a backup file holds, written beside it as ``PATH.json``."""

    vendor: str
    created_at: str
    source: str
    tool: str
    sha256: str
    size: int
    tables: dict[str, int]
    migrations: dict[str, str] = field(default_factory=dict)
    format: str = FORMAT

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def write(self, path: Path) -> None:
        text = json.dumps(asdict(self), indent=2, ensure_ascii=False, sort_keys=True)
        _private_file(manifest_path(path)).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        where = manifest_path(path)
        if not where.exists():
            return None
        data = json.loads(where.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise BackupRefused(f"{where} is not a manifest this version understands.")
        return cls(**data)


@dataclass
class Backup:
    path: Path
    manifest: Manifest


@dataclass
class Restore:
    path: Path
    target: str
    tool: str
    tables: dict[str, int]
    manifest: Manifest | None
    replaced: bool
    # (table, rows in the backup, rows restored) wherever the two differ.
    differences: list[tuple[str, int | None, int | None]]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def backup_database(path: Path, alias: str = "default", pg_bindir: str | None = None) -> Backup:
    """Back the database ``alias`` up to ``path`` (replaced only once the new file is whole)."""
    path = Path(path).absolute()
    if path.is_dir():
        raise BackupRefused(f"{path} is a directory: give the backup file's name.")
    if not path.parent.is_dir():
        raise BackupRefused(f"The directory {path.parent} does not exist.")
    connection = connections[alias]
    if connection.vendor == "sqlite" and path == Path(connection.settings_dict["NAME"]).absolute():
        raise BackupRefused(f"{path} is the database itself: give the backup another name.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _database_errors():
            found = _tool(connection.vendor).backup(
                connection.settings_dict, _private_file(partial), bindir=pg_bindir
            )
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    manifest = Manifest(
        vendor=connection.vendor,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source=found.source,
        tool=found.tool,
        sha256=file_sha256(path),
        size=path.stat().st_size,
        tables=found.tables,
        migrations=found.migrations,
    )
    manifest.write(path)
    return Backup(path, manifest)


def restore_database(
    path: Path, alias: str = "default", *, force: bool = False, pg_bindir: str | None = None
) -> Restore:
    """Restore ``path`` into the database ``alias``; refuses one with tables unless ``force``."""
    path = Path(path).absolute()
    if not path.is_file():
        raise BackupRefused(f"There is no backup file {path}.")
    manifest = Manifest.read(path)
    if manifest is not None and file_sha256(path) != manifest.sha256:
        raise BackupRefused(
            f"{path} is not the file its manifest describes (its SHA-256 differs): "
            "it is damaged or was replaced. Use another backup."
        )
    vendor = _vendor_of_file(path)
    connection = connections[alias]
    if vendor != connection.vendor:
        raise BackupRefused(
            f"{path} is a {vendor} backup and the database is {connection.vendor}: a backup is "
            "restored into the same kind of database it was made from."
        )
    tool = _tool(vendor)
    with _database_errors():
        present = tool.counts_in(connection.settings_dict)
    if present and not force:
        raise BackupRefused(
            f"The database {tool.describe(connection.settings_dict)} is not empty "
            f"({len(present)} tables, {sum(present.values()):,} rows): restoring would replace "
            "it. Restore into an empty database, or give --force to replace this one."
        )
    if connection.in_atomic_block:
        raise BackupRefused("A restore cannot run inside a transaction.")
    # The restore writes through its own connection: Django's must not hold the file or a
    # transaction meanwhile, and reconnects to the restored database afterwards.
    connection.close()
    with _database_errors():
        done = tool.restore(path, connection.settings_dict, replace=bool(present), bindir=pg_bindir)
    differences = []
    if manifest is not None:
        for table in sorted(set(manifest.tables) | set(done.tables)):
            expected, found = manifest.tables.get(table), done.tables.get(table)
            if expected != found:
                differences.append((table, expected, found))
    return Restore(path, done.source, done.tool, done.tables, manifest, done.replaced, differences)


def pending_migrations(alias: str = "default") -> tuple[list[str], list[str]]:
    """(migrations of this code not applied in the database, applied ones this code lacks)."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unknown = sorted(
        f"{app}.{name}"
        for app, name in executor.loader.applied_migrations
        if (app, name) not in executor.loader.graph.nodes
    )
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan], unknown


@dataclass
class Found:
    """What one vendor's backup or restore reports back."""

    source: str
    tool: str
    tables: dict[str, int]
    migrations: dict[str, str] = field(default_factory=dict)
    replaced: bool = False


def last_migrations(rows) -> dict[str, str]:
    """The last migration applied per app, from ``(app, name)`` rows in the order applied."""
    last: dict[str, str] = {}
    for app, name in rows:
        last[app] = name
    return dict(sorted(last.items()))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _database_errors():
    """The database's own refusals (cannot open, no such database) as a sentence, no trace."""
    try:
        yield
    except (sqlite3.Error, psycopg.Error) as error:
        raise BackupRefused(f"The database refused: {error}") from None


def _tool(vendor: str):
    """The module that backs up and restores ``vendor``'s databases."""
    if vendor == "sqlite":
        from dialogues.common.backup import sqlite

        return sqlite
    if vendor == "postgresql":
        from dialogues.common.backup import postgresql

        return postgresql
    raise BackupRefused(f"Backups of a {vendor} database are not supported.")


def _vendor_of_file(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupRefused(
        f"{path} is neither a SQLite database nor a pg_dump file in the custom format."
    )


def _private_file(path: Path) -> Path:
    """Create ``path`` empty and readable by its owner only: backups hold personal data."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    return path
