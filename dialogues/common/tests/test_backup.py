"""A backup restored into an empty database holds every row of every table (docs/backup.md).

The demo (rounds in every state, agreements, planning notes, two campaigns with invitees,
answers, drafts and interviews) plus what the demo leaves empty (themes, hand coding, redactions,
answer vectors, API tokens, the access log, sent reminders, a session, groups and permissions,
log-in attempts, a queued task) is backed up with ``backup_database``, restored with
``restore_database`` into a second database, and compared table by table: the same tables, the
same row counts and the same SHA-256 of each table's rows in primary-key order. On SQLite and,
with ``DATABASE_URL=postgres://…``, on PostgreSQL with pg_dump and pg_restore.
"""

import stat
import threading
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks_db.backend import DatabaseBackend

from dialogues.common.tests.table_rows import (
    fingerprints,
    manage,
    read_tables,
    scratch_database,
    suite_database,
)
from dialogues.experiences.demo import CLOSED_NAME
from dialogues.experiences.models import (
    Answer,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
)
from dialogues.insights.models import (
    AnswerVector,
    ApiToken,
    ExportLog,
    Redaction,
    Theme,
    ThemeAssignment,
    ThemeEdit,
)
from dialogues.insights.tasks import find_themes_task
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.rounds.models import Agreement, PlanningNote, Round, RoundEvent, SentReminder

SEED_MIGRATIONS = (
    "dialogues.concepts.migrations.0002_seed_concepts",
    "dialogues.common.migrations.0002_seed_accessibility_statement",
    "dialogues.experiences.migrations.0002_seed_guide",
)
# What the populated database must hold for the comparison to mean something.
MUST_HOLD_ROWS = [
    Unit,
    Person,
    RoleAssignment,
    Round,
    RoundEvent,
    Agreement,
    PlanningNote,
    SentReminder,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
    Answer,
    Theme,
    ThemeAssignment,
    ThemeEdit,
    Redaction,
    AnswerVector,
    ApiToken,
    ExportLog,
]


@pytest.fixture
def populated(transactional_db):
    """The demo and the rest, committed: the backup reads the database from outside the test.

    A transactional test empties every table afterwards: the seeded rows are put back first.
    """
    for migration in SEED_MIGRATIONS:
        import_module(migration).seed(django_apps, None)
    call_command("load_demo", people=60, verbosity=0, stdout=StringIO())
    _what_the_demo_leaves_empty()


def _what_the_demo_leaves_empty() -> None:
    hr_admin = Person.objects.get(email="hr-admin@dialogues.example")
    campaign = Campaign.objects.get(name=CLOSED_NAME)
    written = list(
        Answer.objects.filter(response__campaign=campaign).exclude(text="").order_by("pk")[:6]
    )
    assert len(written) == 6, "the demo's closed campaign has written answers"
    question_id = written[0].question_id
    theme = Theme.objects.create(
        campaign=campaign,
        question_id=question_id,
        label_da="Tid til dialogen",
        label_en="Time for the dialogue",
        quotes=[str(answer.pk) for answer in written[:2]],
    )
    merged = Theme.objects.create(
        campaign=campaign,
        question_id=question_id,
        label_da="Forberedelse",
        label_en="Preparation",
        automatic=False,
        renamed=True,
        merged_into=theme,
    )
    for answer in written[:4]:
        ThemeAssignment.objects.create(answer=answer, theme=theme, by_hand=answer == written[0])
    ThemeEdit.objects.create(
        campaign=campaign,
        question_id=question_id,
        action=ThemeEdit.Action.MERGE,
        details={"from": merged.pk, "into": theme.pk},
        by=hr_admin,
    )
    Redaction.objects.create(answer=written[4], text="[navn fjernet] sagde …", by=hr_admin)
    Redaction.objects.create(answer=written[5], cleared=True, by=hr_admin)
    for answer in written:
        AnswerVector.objects.create(answer=answer, vector=bytes(range(256)) * 2)
    ApiToken.issue(hr_admin, "Power BI")
    ExportLog.objects.create(
        user=hr_admin, campaign=campaign, kind=ExportLog.Kind.PDF, what={"unit": None}
    )
    SentReminder.objects.create(key="round:1:documentation:overdue", recipient=hr_admin)
    session = SessionStore()
    session["_auth_user_id"] = str(hr_admin.pk)
    session.create()
    group = Group.objects.create(name="Analysts")
    group.permissions.add(*Permission.objects.filter(codename__startswith="view_")[:3])
    hr_admin.groups.add(group)
    hr_admin.user_permissions.add(Permission.objects.get(codename="view_unit"))
    LogEntry.objects.log_actions(hr_admin.pk, [campaign], ADDITION, single_object=True)
    axes = django_apps.get_app_config("axes")
    attempt = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "x@example.org"}
    attempt |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
    axes.get_model("AccessAttempt").objects.create(
        **attempt, get_data="", post_data="", failures_since_start=1
    )
    axes.get_model("AccessFailureLog").objects.create(**attempt)
    axes.get_model("AccessLog").objects.create(**attempt)
    # A theme job waiting for the worker, as the database task backend queues it.
    DatabaseBackend("default", {}).enqueue(find_themes_task, (campaign.pk, question_id), {})


def _backup(path) -> str:
    out = StringIO()
    call_command("backup_database", str(path), stdout=out)
    return out.getvalue()


def test_a_restored_backup_holds_every_row_of_every_table(populated, tmp_path):
    for model in MUST_HOLD_ROWS:
        assert model.objects.exists(), f"{model.__name__} has no rows to back up"
    source = suite_database()
    before = fingerprints(source)
    backup = tmp_path / "dialogues.backup"

    said = _backup(backup)

    assert f"to {backup}: {len(before)} tables," in said
    assert "Not in this file: the secret key" in said
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "dialogues.backup.json").stat().st_mode) == 0o600
    with scratch_database(tmp_path, "restored") as restored:
        done = manage(restored, "restore_database", str(backup), tmp_path=tmp_path)
        assert "Every table as in the backup" in done.stdout
        assert "The database's migrations match this code." in done.stdout
        after = fingerprints(restored)
        assert sorted(after) == sorted(before)
        for table, (count, checksum) in before.items():
            assert after[table] == (count, checksum), f"{table} differs after the restore"
        assert fingerprints(source) == before, "the backup changed the database it read"

        # The comparison notices a changed value; a restore refuses a database with data in
        # it, and with --force puts the backup's rows back.
        with restored.connect() as conn:
            conn.execute("UPDATE insights_apitoken SET name = 'changed'")
            conn.commit()
        changed = fingerprints(restored)
        assert [table for table in before if changed[table] != before[table]] == [
            "insights_apitoken"
        ]
        refused = manage(restored, "restore_database", str(backup), tmp_path=tmp_path, check=False)
        assert refused.returncode == 1
        assert "is not empty" in refused.stderr
        forced = manage(restored, "restore_database", str(backup), "--force", tmp_path=tmp_path)
        assert "replacing what it held" in forced.stdout
        assert fingerprints(restored) == before

        # The sequences came back too: a new row takes a key after the largest restored one.
        largest = max(row[0] for row in read_tables(restored)["rounds_sentreminder"].rows)
        with restored.connect() as conn:
            new = conn.execute(
                "INSERT INTO rounds_sentreminder (key, sent_at) "
                "VALUES ('after the restore', CURRENT_TIMESTAMP) RETURNING id"
            ).fetchone()[0]
            conn.commit()
        assert new > largest


@pytest.mark.django_db
def test_restore_refuses_the_database_the_application_holds(tmp_path):
    backup = tmp_path / "seeded.backup"
    _backup(backup)
    with pytest.raises(CommandError, match="is not empty .* give --force"):
        call_command("restore_database", str(backup))


@pytest.mark.django_db
def test_restore_refuses_a_file_its_manifest_does_not_describe(tmp_path):
    backup = tmp_path / "seeded.backup"
    _backup(backup)
    damaged = bytearray(backup.read_bytes())
    damaged[-100] ^= 0xFF
    backup.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match="its SHA-256 differs"):
        call_command("restore_database", str(backup), "--force")


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a database")
    with pytest.raises(CommandError, match="neither a SQLite database nor a pg_dump file"):
        call_command("restore_database", str(stranger), "--force")


@pytest.mark.django_db
def test_a_backup_into_a_missing_directory_is_refused(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        _backup(tmp_path / "nowhere" / "x.backup")


def test_the_postgresql_programs_of_the_servers_version_are_chosen(tmp_path, monkeypatch):
    from dialogues.common.backup import BackupRefused, postgresql

    for major in (13, 15, 17):
        program = tmp_path / str(major) / "bin" / "pg_dump"
        program.parent.mkdir(parents=True)
        program.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {major}.2'\n")
        program.chmod(0o755)
    monkeypatch.setattr(postgresql, "DEBIAN_CLIENTS", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    assert postgresql._program("pg_dump", 15, None)[0] == str(tmp_path / "15/bin/pg_dump")
    # No 16 installed: the nearest newer one reads a 16 server; an older one would refuse.
    assert postgresql._program("pg_dump", 16, None)[0] == str(tmp_path / "17/bin/pg_dump")
    with pytest.raises(BackupRefused, match="postgresql-client-18"):
        postgresql._program("pg_dump", 18, None)
    with pytest.raises(BackupRefused, match="No pg_dump of PostgreSQL 15"):
        postgresql._program("pg_dump", 15, str(tmp_path / "13" / "bin"))


def test_a_backup_taken_while_the_application_writes_is_one_moment(tmp_path):
    """A writer adds a row to two tables in each transaction while the backup runs: the backup
    holds as many rows in one table as in the other, and restores to exactly what it counted."""
    from dialogues.common.backup import postgresql, sqlite

    tool = postgresql if connection.vendor == "postgresql" else sqlite
    with scratch_database(tmp_path, "busy") as busy, scratch_database(tmp_path, "back") as back:
        with busy.connect() as conn:
            if busy.vendor == "sqlite":
                conn.execute("PRAGMA journal_mode=WAL")  # as the application runs it
            for table in ("a", "b"):
                conn.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, pad text)")
            conn.commit()
        stop, written = threading.Event(), []
        mark = "?" if busy.vendor == "sqlite" else "%s"

        def write():
            with busy.connect() as conn:
                while not stop.is_set():
                    number = len(written) + 1
                    with conn if busy.vendor == "sqlite" else conn.transaction():
                        for table in ("a", "b"):
                            conn.execute(
                                f"INSERT INTO {table} VALUES ({mark}, {mark})",  # noqa: S608
                                (number, "x" * 2000),
                            )
                    written.append(number)

        writer = threading.Thread(target=write)
        writer.start()
        try:
            while len(written) < 500 and writer.is_alive():
                stop.wait(0.01)
            copy = tmp_path / "busy.backup"
            found = tool.backup(busy.settings_dict, copy, bindir=None)
        finally:
            stop.set()
            writer.join()
        assert found.tables["a"] == found.tables["b"] >= 500
        restored = tool.restore(copy, back.settings_dict, replace=False, bindir=None)
        assert restored.tables == found.tables
