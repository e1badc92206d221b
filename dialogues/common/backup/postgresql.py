"""PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``, the binaries matching the server.

A Debian or Ubuntu machine may hold several client versions (``/usr/lib/postgresql/<major>/
bin``); ``pg_dump`` refuses a server newer than itself, and an older ``pg_restore`` cannot read a
newer dump. So the programs are taken from the server's major version where installed, else the
nearest newer one, else the ``PATH``; ``--pg-bindir`` chooses a directory by hand.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import pq, sql
from psycopg.conninfo import make_conninfo

from dialogues.common.backup import BackupRefused, Found, last_migrations

DEBIAN_CLIENTS = Path("/usr/lib/postgresql")
_LIBPQ_KEYWORDS = {option.keyword.decode() for option in pq.Conninfo.get_defaults()}


def backup(settings_dict: dict, partial: Path, *, bindir: str | None) -> Found:
    conninfo, env = _libpq(settings_dict)
    with _connect(conninfo, settings_dict) as connection:
        major = connection.info.server_version // 10000
        pg_dump, tool = _program("pg_dump", major, bindir)
        # The counts and the dump read the same snapshot: the manifest says exactly what the
        # file holds, however busy the application is meanwhile.
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = _counts(connection)
        migrations = _migrations(connection)
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={partial}",
                f"--dbname={conninfo}",
            ],
            env,
        )
        connection.execute("ROLLBACK")
    return Found(describe(settings_dict), tool, tables, migrations)


def counts_in(settings_dict: dict) -> dict[str, int]:
    """Every table of the database (any schema but the system's) and its row count."""
    conninfo, _env = _libpq(settings_dict)
    with _connect(conninfo, settings_dict) as connection:
        return _counts(connection)


def restore(path: Path, settings_dict: dict, *, replace: bool, bindir: str | None) -> Found:
    conninfo, env = _libpq(settings_dict)
    with _connect(conninfo, settings_dict) as connection:
        major = connection.info.server_version // 10000
    pg_restore, tool = _program("pg_restore", major, bindir)
    command = [
        pg_restore,
        "--no-password",
        # Owners and grants of the machine the backup came from mean nothing here: the
        # restored objects belong to the user the application connects as.
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={conninfo}",
    ]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(path)], env)
    with _connect(conninfo, settings_dict) as connection:
        tables = _counts(connection)
    return Found(describe(settings_dict), tool, tables, replaced=replace)


def _libpq(settings_dict: dict) -> tuple[str, dict[str, str]]:
    """The connection string for libpq's programs, and their environment with the password.

    The password goes in the environment, not the command line, where ``ps`` would show it.
    """
    options = {
        key: value
        for key, value in (settings_dict.get("OPTIONS") or {}).items()
        if key in _LIBPQ_KEYWORDS
    }
    parts = {
        "dbname": settings_dict.get("NAME") or "postgres",
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        "user": settings_dict.get("USER") or None,
        **options,
    }
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return make_conninfo("", **{k: v for k, v in parts.items() if v is not None}), env


def _connect(conninfo: str, settings_dict: dict) -> psycopg.Connection:
    # Autocommit: the backup opens its snapshot's transaction itself, with the isolation it needs.
    return psycopg.connect(
        conninfo, password=settings_dict.get("PASSWORD") or None, autocommit=True
    )


def describe(settings_dict: dict) -> str:
    host = settings_dict.get("HOST") or "the local socket"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f'PostgreSQL "{settings_dict.get("NAME")}" on {host}{port}'


def _tables(connection: psycopg.Connection) -> list[tuple[str, str]]:
    return connection.execute(
        "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "AND schemaname NOT LIKE 'pg\\_%' ORDER BY schemaname, tablename"
    ).fetchall()


def _counts(connection: psycopg.Connection) -> dict[str, int]:
    counts = {}
    for schema, table in _tables(connection):
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)
        )
        name = table if schema == "public" else f"{schema}.{table}"
        counts[name] = connection.execute(query).fetchone()[0]
    return counts


def _migrations(connection: psycopg.Connection) -> dict[str, str]:
    if ("public", "django_migrations") not in _tables(connection):
        return {}
    return last_migrations(
        connection.execute("SELECT app, name FROM public.django_migrations ORDER BY id")
    )


def _program(name: str, server_major: int, bindir: str | None) -> tuple[str, str]:
    """The path of ``name`` for a server of ``server_major``, and the path with its version."""
    if bindir:
        candidates = [Path(bindir) / name]
    else:
        installed = sorted(
            (int(path.parts[-3]), path)
            for path in DEBIAN_CLIENTS.glob(f"*/bin/{name}")
            if path.parts[-3].isdigit()
        )
        candidates = [path for major, path in installed if major >= server_major][:1]
        if on_path := shutil.which(name):
            candidates.append(Path(on_path))
    for candidate in candidates:
        if not candidate.is_file():
            continue
        version = _run([str(candidate), "--version"], dict(os.environ)).strip()
        found = re.search(r"\) ((\d+)[.\w]*)", version)
        if found and int(found.group(2)) >= server_major:
            return str(candidate), f"{candidate} {found.group(1)}"
    raise BackupRefused(
        f"No {name} of PostgreSQL {server_major} or newer was found "
        f"(looked in {bindir or f'{DEBIAN_CLIENTS}/*/bin and the PATH'}). Install the client "
        f"programs of the server's version (Debian: postgresql-client-{server_major}) or name "
        "their directory with --pg-bindir."
    )


def _run(command: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as error:
        raise BackupRefused(f"Could not run {command[0]}: {error}") from None
    if done.returncode != 0:
        program = Path(command[0]).name
        raise BackupRefused(f"{program} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout
