"""SQLite: the online backup API, one step, from a snapshot the application keeps writing past."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from dialogues.common.backup import BackupRefused, Found, last_migrations

# How long to wait for a writer's lock before giving up, as the application does.
BUSY_SECONDS = 30


def backup(settings_dict: dict, partial: Path, *, bindir: str | None) -> Found:
    """Copy the database to ``partial``; ``bindir`` is PostgreSQL's alone."""
    source_path = _database_file(settings_dict)
    if not source_path.exists():
        raise BackupRefused(f"There is no database file {source_path}.")
    with (
        closing(sqlite3.connect(source_path, timeout=BUSY_SECONDS)) as source,
        closing(sqlite3.connect(partial)) as copy,
    ):
        # pages=-1: the whole database in one step, inside one read transaction, so the copy
        # is one consistent moment; in WAL mode the application's writers do not wait.
        source.backup(copy, pages=-1)
        _check_integrity(copy, partial)
        # A single self-contained file, whatever journal mode the source was in.
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = _counts(copy)
        migrations = _migrations(copy)
    return Found(str(source_path), f"SQLite {sqlite3.sqlite_version}", tables, migrations)


def counts_in(settings_dict: dict) -> dict[str, int]:
    """Every table of the database and its row count; empty for a database not made yet."""
    target_path = _database_file(settings_dict)
    if not target_path.exists():
        return {}
    with closing(sqlite3.connect(target_path, timeout=BUSY_SECONDS)) as target:
        return _counts(target)


def describe(settings_dict: dict) -> str:
    return str(_database_file(settings_dict))


def restore(path: Path, settings_dict: dict, *, replace: bool, bindir: str | None) -> Found:
    target_path = _database_file(settings_dict)
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as source:
        _check_integrity(source, path)
        with closing(sqlite3.connect(target_path, timeout=BUSY_SECONDS)) as target:
            source.backup(target, pages=-1)
            # The application runs in WAL mode (settings.py); the backup is a single file.
            target.execute("PRAGMA journal_mode=WAL")
            tables = _counts(target)
    return Found(str(target_path), f"SQLite {sqlite3.sqlite_version}", tables, replaced=replace)


def _database_file(settings_dict: dict) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupRefused("An in-memory SQLite database cannot be backed up or restored.")
    return Path(name).absolute()


def _check_integrity(connection: sqlite3.Connection, path: Path) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupRefused(f"{path} failed SQLite's integrity check: {'; '.join(result[:5])}")


def _tables(connection: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]


def _counts(connection: sqlite3.Connection) -> dict[str, int]:
    return {
        table: connection.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0]  # noqa: S608
        for table in _tables(connection)
    }


def _migrations(connection: sqlite3.Connection) -> dict[str, str]:
    if "django_migrations" not in _tables(connection):
        return {}
    return last_migrations(
        connection.execute("SELECT app, name FROM django_migrations ORDER BY id")
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
