"""Time the HR import of a large organisation (docs/benchmarks.md, "Organisation import").

    python bench/import_people.py                      # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dialogues_bench python bench/import_people.py

It generates an organisation with the demo generator and times (a) validation only,
(b) the first import, (c) a re-import in which about 5% changed, 1% left and 1% joined.
The database is a throw-away one: a temporary SQLite file, or on PostgreSQL Django's
test database (``test_<name>``), created, migrated and dropped by this script.
"""

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["DIALOGUES_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DIALOGUES_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dialogues.settings"
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(workdir / "bench-test.sqlite3")


def evolve(rows: list[dict], seed: int) -> tuple[list[dict], dict]:
    """A later HR export: ~5% of people changed, ~1% left, ~1% joined."""
    rng = random.Random(seed)
    rows = [dict(row) for row in rows]
    managers = {row["manager_employee_id"] for row in rows}
    plain = [row for row in rows if not row["roles"] and row["employee_id"] not in managers]
    rng.shuffle(plain)
    count = len(rows)
    leaving = {row["employee_id"] for row in plain[: count // 100]}
    changing = plain[count // 100 : count // 100 + count * 5 // 100]
    unit_rows = {}
    unit_manager = {}
    for row in rows:
        unit_rows.setdefault(row["unit_code"], row)
        if "manager" in row["roles"]:
            unit_manager[row["unit_code"]] = row["employee_id"]
    sections = [code for code in unit_manager if unit_rows[code]["unit_type"] == "section"]
    for index, row in enumerate(changing):
        if index % 3 == 0:
            row["name"] = row["name"].rsplit(" ", 1)[0] + " Bjerregaard"
        elif index % 3 == 1:
            row["email"] = row["email"].replace("@", ".new@")
        else:
            target = unit_rows[rng.choice(sections)]
            for column in ("unit_code", "unit_name", "unit_type", "parent_unit_code"):
                row[column] = target[column]
            row["manager_employee_id"] = unit_manager[target["unit_code"]]
    rows = [row for row in rows if row["employee_id"] not in leaving]
    next_id = max(int(row["employee_id"]) for row in rows) + 1
    for number in range(count // 100):
        template = rng.choice(plain[count // 10 :])
        rows.append(
            {
                **template,
                "employee_id": str(next_id + number),
                "name": f"Ny Medarbejder {number}",
                "email": f"ny.medarbejder{number}@dialogues.example",
                "roles": "",
            }
        )
    return rows, {"changed": len(changing), "left": len(leaving), "joined": count // 100}


def database_version(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        return cursor.fetchone()[0].split(" on ")[0]


def timed(label: str, results: list, function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    seconds = time.perf_counter() - start
    results.append((label, seconds))
    print(f"{label:<48} {seconds:6.2f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dialogues-bench-") as workdir:
        setup_django(Path(workdir))
        from django.db import connection

        from dialogues.organisation.demo import generate_organisation, to_csv
        from dialogues.organisation.importing import check_file, import_file
        from dialogues.organisation.importing.database import check_against_database
        from dialogues.organisation.importing.reading import read_table
        from dialogues.organisation.importing.validation import validate_table
        from dialogues.organisation.models import Person, RoleAssignment, Unit

        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            rows = generate_organisation(options.people, options.seed)
            content = to_csv(rows).encode("utf-8-sig")
            later, changes = evolve(rows, options.seed + 1)
            later_content = to_csv(later).encode("utf-8-sig")
            print(
                f"{options.people} people, {len(content) / 1024:.0f} KiB of CSV; "
                f"{database_version(connection)}; Python {platform.python_version()}; "
                f"{os.cpu_count()} CPUs"
            )
            results: list = []

            def validate_only(data: bytes):
                plan, problems = validate_table(read_table(data, "hr.csv"))
                assert plan is not None, problems
                assert not check_against_database(plan)

            timed("(a) validation only", results, validate_only, content)
            preview = timed(
                "(a') validation + preview (the upload page)",
                results,
                check_file,
                content,
                "hr.csv",
            )
            assert preview.ok
            first = timed("(b) first import", results, import_file, content, "hr.csv")
            assert first.ok, first.errors[:5]
            print(
                f"    {Person.objects.count()} people, {Unit.objects.count()} units, "
                f"{RoleAssignment.objects.count()} role assignments"
            )
            again = timed(
                "(c) re-import: 5% changed, 1% left, 1% joined",
                results,
                import_file,
                later_content,
                "hr.csv",
            )
            assert again.ok, again.errors[:5]
            counts = again.summary["people"]["counts"]
            print(
                f"    changes made: {changes}; import saw: {counts}, "
                f"roles {again.summary['roles']['counts']}"
            )
            same = timed(
                "(d) re-import, nothing changed", results, import_file, later_content, "hr.csv"
            )
            assert same.summary["people"]["counts"]["unchanged"] == len(later)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"date: {date.today().isoformat()}")


if __name__ == "__main__":
    main()
