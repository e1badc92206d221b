"""Every row of every table, read straight through the database driver: the tests' own eyes.

The backup and upgrade tests compare databases with these readers rather than with the code
they test. A scratch database (a SQLite file, or a PostgreSQL database created and dropped here)
receives the restore or the old release; ``manage`` runs this checkout's ``manage.py`` (or an
old release's) against it in a subprocess, as an operator would.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections import Counter
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.db import connection
from psycopg import sql

REPO = Path(__file__).resolve().parents[3]


@dataclass
class ScratchDatabase:
    vendor: str
    url: str
    path: Path | None = None  # SQLite's file
    conninfo: str = ""  # PostgreSQL's

    @property
    def settings_dict(self) -> dict:
        """A Django database setting for it, as the backup's vendor modules take."""
        if self.vendor == "sqlite":
            return {"NAME": str(self.path)}
        return {**connection.settings_dict, "NAME": self.conninfo_dict["dbname"]}

    @property
    def conninfo_dict(self) -> dict:
        return psycopg.conninfo.conninfo_to_dict(self.conninfo)

    @contextmanager
    def connect(self):
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.path)) as conn:
                yield conn
        else:
            with psycopg.connect(self.conninfo, autocommit=True) as conn:
                yield conn


@contextmanager
def scratch_database(tmp_path: Path, name: str):
    """An empty database of the vendor the suite runs on; a PostgreSQL one is dropped after."""
    if connection.vendor == "sqlite":
        path = tmp_path / f"{name}.sqlite3"
        yield ScratchDatabase("sqlite", f"sqlite:///{path}", path=path)
        return
    database = f"dialogues_{name}_{uuid.uuid4().hex[:8]}"
    settings = connection.settings_dict
    admin = _conninfo(settings, "postgres")
    with psycopg.connect(admin, autocommit=True) as maintenance:
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        base = urlsplit(os.environ["DATABASE_URL"])
        url = urlunsplit(base._replace(path=f"/{database}"))
        yield ScratchDatabase("postgresql", url, conninfo=_conninfo(settings, database))
    finally:
        with psycopg.connect(admin, autocommit=True) as maintenance:
            maintenance.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )


def suite_database() -> ScratchDatabase:
    """The suite's own test database, seen through the driver like a scratch one."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(settings["NAME"])
        return ScratchDatabase("sqlite", f"sqlite:///{path}", path=path)
    return ScratchDatabase("postgresql", "", conninfo=_conninfo(settings, settings["NAME"]))


def _conninfo(settings: dict, database: str) -> str:
    parts = {
        "dbname": database,
        "host": settings.get("HOST"),
        "port": settings.get("PORT"),
        "user": settings.get("USER"),
        "password": settings.get("PASSWORD"),
    }
    return psycopg.conninfo.make_conninfo(
        "", **{key: str(value) for key, value in parts.items() if value}
    )


def manage(
    database: ScratchDatabase, *args: str, tmp_path: Path, cwd: Path = REPO, check: bool = True
) -> subprocess.CompletedProcess:
    """``manage.py *args`` of the tree at ``cwd`` against ``database``, as in production."""
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    env.update(DATABASE_URL=database.url, DIALOGUES_VAR_DIR=str(tmp_path / "var"))
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check:
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


# --- reading every row -------------------------------------------------------------------------


@dataclass
class Table:
    columns: list[str]
    key: list[str]  # the primary key's columns; empty when there is none
    rows: list[tuple]  # ordered by the key (by every column without one)

    @property
    def fingerprint(self) -> tuple[int, str]:
        """The row count and a SHA-256 of the rows in order."""
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(repr(row).encode())
            digest.update(b"\n")
        return len(self.rows), digest.hexdigest()

    def by_key(self) -> dict[tuple, dict[str, object]]:
        key = [self.columns.index(column) for column in self.key]
        return {
            tuple(row[i] for i in key): dict(zip(self.columns, row, strict=True))
            for row in self.rows
        }

    def multiset_of(self, columns: list[str]) -> Counter:
        """The rows, as counts of their values in ``columns``: for tables without a key."""
        where = [self.columns.index(column) for column in columns]
        return Counter(tuple(row[i] for i in where) for row in self.rows)


def read_tables(database: ScratchDatabase) -> dict[str, Table]:
    with database.connect() as conn:
        if database.vendor == "sqlite":
            return {name: _sqlite_table(conn, name) for name in _sqlite_names(conn)}
        return {name: _pg_table(conn, name) for name in _pg_names(conn)}


def fingerprints(database: ScratchDatabase) -> dict[str, tuple[int, str]]:
    return {name: table.fingerprint for name, table in read_tables(database).items()}


def _sqlite_names(conn) -> list[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in conn.execute(query)]


def _sqlite_table(conn, name: str) -> Table:
    info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
    columns = [row[1] for row in info]
    key = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
    order = ", ".join(f'"{column}"' for column in key or columns)
    rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY {order}').fetchall()  # noqa: S608
    return Table(columns, key, rows)


def _pg_names(conn) -> list[str]:
    query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    return [name for (name,) in conn.execute(query)]


def _pg_table(conn, name: str) -> Table:
    columns = [
        column
        for (column,) in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum",
            [f'public."{name}"'],
        )
    ]
    key = [
        column
        for (column,) in conn.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)",
            [f'public."{name}"'],
        )
    ]
    # Columns without an ordering (json) cannot sort a table without a key: cast them to text.
    order = sql.SQL(", ").join(
        [sql.Identifier(column) for column in key]
        or [sql.SQL("{}::text").format(sql.Identifier(column)) for column in columns]
    )
    query = sql.SQL("SELECT {} FROM public.{} ORDER BY {}").format(
        sql.SQL(", ").join(sql.Identifier(column) for column in columns),
        sql.Identifier(name),
        order,
    )
    return Table(columns, key, conn.execute(query).fetchall())
