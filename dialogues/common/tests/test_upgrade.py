"""An upgrade from the previous release keeps every row (docs/backup.md, "Upgrading").

There are no release tags yet: the previous release is commit ``2dfebc4``. Its tree is taken
from git (``git archive``) into a temporary directory; ITS ``manage.py migrate`` and demo
loader fill a fresh database (SQLite, or a PostgreSQL database made for the test), and a short
script of its own adds what the demo leaves empty (themes, redactions, API tokens, the access
log, …). Then THIS checkout's ``manage.py migrate`` upgrades that database, and every row that
was there before must still be there, keyed by its primary key, with the same value in every
column it had (columns the new migrations add are not compared). The test names no migration:
whatever migrations this checkout has on top of the release are the upgrade.
"""

import subprocess
import tarfile
from pathlib import Path

import pytest

from dialogues.common.tests.table_rows import REPO, Table, manage, read_tables, scratch_database

PREVIOUS_RELEASE = "2dfebc4"

# Run by the previous release's own code (``manage.py shell``), so written for ITS models:
# what its demo leaves empty, so that the upgrade has rows to keep in every app.
FILL_THE_PREVIOUS_RELEASE = """
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from dialogues.experiences.models import Answer, Campaign
from dialogues.insights.models import (
    AnswerVector, ApiToken, ExportLog, Redaction, Theme, ThemeAssignment, ThemeEdit,
)
from dialogues.insights.tasks import find_themes_task
from dialogues.organisation.models import Person
from dialogues.rounds.models import SentReminder

hr = Person.objects.get(email="hr-admin@dialogues.example")
campaign = Campaign.objects.get(status="closed")
written = list(
    Answer.objects.filter(response__campaign=campaign).exclude(text="").order_by("pk")[:6]
)
question = written[0].question_id
theme = Theme.objects.create(
    campaign=campaign, question_id=question, label_da="Tid", label_en="Time",
    quotes=[str(answer.pk) for answer in written[:2]],
)
merged = Theme.objects.create(
    campaign=campaign, question_id=question, label_da="Forberedelse", label_en="Preparation",
    automatic=False, renamed=True, merged_into=theme,
)
for answer in written[:4]:
    ThemeAssignment.objects.create(answer=answer, theme=theme, by_hand=answer == written[0])
ThemeEdit.objects.create(
    campaign=campaign, question_id=question, action="merge",
    details={"from": merged.pk, "into": theme.pk}, by=hr,
)
Redaction.objects.create(answer=written[4], text="[navn fjernet]", by=hr)
Redaction.objects.create(answer=written[5], cleared=True, by=hr)
for answer in written:
    AnswerVector.objects.create(answer=answer, vector=bytes(range(256)))
ApiToken.issue(hr, "Power BI")
for kind in ("pdf", "xlsx", "csv", "api"):
    ExportLog.objects.create(user=hr, campaign=campaign, kind=kind, what={"unit": None})
SentReminder.objects.create(key="round:1:documentation:overdue", recipient=hr)
session = SessionStore()
session["_auth_user_id"] = str(hr.pk)
session.create()
group = Group.objects.create(name="Analysts")
group.permissions.add(*Permission.objects.filter(codename__startswith="view_")[:3])
hr.groups.add(group)
LogEntry.objects.log_actions(hr.pk, [campaign], ADDITION, single_object=True)
find_themes_task.enqueue(campaign.pk, question)
"""
MUST_HOLD_ROWS = [
    "rounds_round",
    "rounds_agreement",
    "rounds_planningnote",
    "experiences_campaign",
    "experiences_campaigninvitee",
    "experiences_response",
    "experiences_answer",
    "experiences_draft",
    "insights_theme",
    "insights_themeassignment",
    "insights_redaction",
    "insights_answervector",
    "insights_apitoken",
    "insights_exportlog",
    "django_tasks_database_dbtaskresult",
]


def _previous_release(tmp_path: Path) -> Path:
    """The previous release's tree, from this clone's git history."""
    try:
        found = subprocess.run(
            ["git", "cat-file", "-t", PREVIOUS_RELEASE],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        pytest.fail("The upgrade test needs git, to take the previous release from the history.")
    if found.stdout.strip() != "commit":
        pytest.fail(
            f"The upgrade test needs the previous release, commit {PREVIOUS_RELEASE}, in this "
            f"clone's history, and git cannot find it ({found.stderr.strip() or found.stdout}). "
            "A shallow clone lacks it: fetch the history (git fetch --unshallow, or a checkout "
            "with fetch-depth 0) and run again."
        )
    archive = tmp_path / "release.tar"
    subprocess.run(
        ["git", "archive", f"--output={archive}", PREVIOUS_RELEASE], cwd=REPO, check=True
    )
    tree = tmp_path / "release"
    with tarfile.open(archive) as release:
        release.extractall(tree, filter="data")
    return tree


def lost_in_the_upgrade(before: dict[str, Table], after: dict[str, Table]) -> list[str]:
    """Every table, column and row of ``before`` that ``after`` lacks or holds differently."""
    problems = []
    for name, old in before.items():
        new = after.get(name)
        if new is None:
            problems.append(f"{name}: the table is gone, with its {len(old.rows)} rows")
            continue
        gone = [column for column in old.columns if column not in new.columns]
        if gone:
            problems.append(f"{name}: the columns {gone} are gone")
        kept = [column for column in old.columns if column in new.columns]
        if old.key and old.key == new.key:
            rows = new.by_key()
            for key, row in old.by_key().items():
                if key not in rows:
                    problems.append(f"{name} {key}: the row is gone")
                    continue
                changed = [column for column in kept if rows[key][column] != row[column]]
                if changed:
                    values = {column: (row[column], rows[key][column]) for column in changed}
                    problems.append(f"{name} {key}: changed (before, after): {values}")
        else:
            old_rows = old.multiset_of(kept)
            missing = old_rows - new.multiset_of(kept)
            if missing:
                problems.append(f"{name}: {sum(missing.values())} rows are gone or changed")
    return problems


def test_an_upgrade_from_the_previous_release_keeps_every_row(tmp_path):
    release = _previous_release(tmp_path)
    with scratch_database(tmp_path, "upgrade") as database:
        manage(database, "migrate", "--noinput", cwd=release, tmp_path=tmp_path)
        manage(database, "load_demo", "--people", "60", cwd=release, tmp_path=tmp_path)
        manage(database, "shell", "-c", FILL_THE_PREVIOUS_RELEASE, cwd=release, tmp_path=tmp_path)
        before = read_tables(database)
        empty = [table for table in MUST_HOLD_ROWS if not before[table].rows]
        assert not empty, f"the previous release's database has no rows in {empty}"

        manage(database, "migrate", "--noinput", tmp_path=tmp_path)

        after = read_tables(database)
        problems = lost_in_the_upgrade(before, after)
        assert not problems, "The upgrade lost or changed data:\n" + "\n".join(problems[:50])
        # Every migration of this checkout is applied: the upgrade went the whole way.
        manage(database, "migrate", "--check", tmp_path=tmp_path)


def test_the_upgrade_check_notices_a_lost_row_and_a_changed_value():
    before = {
        "t": Table(["id", "name"], ["id"], [(1, "a"), (2, "b")]),
        "plain": Table(["x"], [], [("a",), ("a",)]),
        "gone": Table(["id"], ["id"], [(1,)]),
    }
    after = {
        "t": Table(["id", "name", "added"], ["id"], [(1, "changed", None)]),
        "plain": Table(["x"], [], [("a",)]),
    }
    assert lost_in_the_upgrade(before, after) == [
        "t (1,): changed (before, after): {'name': ('a', 'changed')}",
        "t (2,): the row is gone",
        "plain: 1 rows are gone or changed",
        "gone: the table is gone, with its 1 rows",
    ]
