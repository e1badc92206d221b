"""The reminders job against a real SMTP server on loopback, killed and refused for real.

``manage.py send_reminders`` runs as its own process on the test database and sends through an
aiosmtpd server in this process (``dialogues.common.testing``), which kills the job while a
message is in flight or refuses mail. What the server acknowledged is counted per recipient and
Message-ID: after the job runs again, every reminder and digest went out exactly once.
"""

import email
import email.policy
import re
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.mail.backends import filebased
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from dialogues.common.testing.jobs import finish, restore_seed_rows, run_command, start_command
from dialogues.common.testing.smtp import MailServer, SilentServer, free_port, smtp_mailers
from dialogues.rounds.domain.reminders import due_reminders, send_reminders
from dialogues.rounds.domain.steps import plan_round
from dialogues.rounds.models import Agreement, Round, SentReminder
from dialogues.rounds.tests.conftest import make_plan

# The job runs in another process, which sees only what is committed.
pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
JOB = ("send_reminders", "--date", TODAY.isoformat())
PARTNER = "hr-partner@example.org"
DIGEST = re.compile(r"<dialogues\.digest\.\d+\.[0-9a-f]{20}@localhost>")
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between two messages in a file of the file backend


@pytest.fixture(autouse=True)
def _seed_rows(db):
    restore_seed_rows()


def a_round(org, kind, days_ahead, state=Round.State.PLANNED):
    round_ = plan_round(make_plan(org, kind, days_ahead=days_ahead), org.hr_partner)
    Round.objects.filter(pk=round_.pk).update(state=state)
    round_.refresh_from_db()
    return round_


def reminder_id(kind: str, subject, about) -> str:
    return f"<dialogues.reminder.{kind}.{subject.pk}.{about.isoformat()}@localhost>"


@pytest.fixture
def due(rounds_org):
    """Four overdue steps, {(address, Message-ID)}, and the HR partner's digest to come."""
    org = rounds_org
    invite = a_round(org, "leadership", 20)
    document = a_round(org, "wellbeing", -20, Round.State.INVITED)
    followup = a_round(org, "leadership", -70, Round.State.DOCUMENTED)
    agreement = Agreement.objects.create(
        round=followup, what="Meeting-free Fridays", owner=org.employee, due_on=TODAY - timedelta(1)
    )

    def on(round_):
        return timezone.localdate(round_.starts_at)

    return {
        ("manager@example.org", reminder_id("invite", invite, on(invite))),
        (PARTNER, reminder_id("document", document, on(document))),
        ("manager@example.org", reminder_id("followup", followup, on(followup))),
        ("employee@example.org", reminder_id("agreement", agreement, agreement.due_on)),
    }


def acknowledged(deliveries) -> Counter:
    """(recipient, Message-ID) of every reminder the mail server took, with how often."""
    return Counter(
        (delivery.recipients[0], delivery.message_id)
        for delivery in deliveries
        if not DIGEST.fullmatch(delivery.message_id)
    )


def digests(deliveries) -> list:
    return [d for d in deliveries if DIGEST.fullmatch(d.message_id) and d.recipients == [PARTNER]]


def digest_lines(deliveries) -> Counter:
    return Counter(
        line for d in digests(deliveries) for line in d.body.splitlines() if line.startswith("- ")
    )


def claimed_reminders() -> int:
    return SentReminder.objects.exclude(key__startswith="digest:").count()


@pytest.mark.parametrize("kill_at", [2, 5])
def test_a_job_killed_half_way_and_run_again_sends_every_reminder_exactly_once(due, kill_at):
    with MailServer(kill_at=kill_at) as server:
        killed = run_command(*JOB, mail_server=server)
        assert killed.killed, killed.stderr
        assert len(server.delivered) == kill_at - 1
        assert claimed_reminders() == len(acknowledged(server.delivered))
        server.accept_everything()
        again = run_command(*JOB, mail_server=server)
    assert again.returncode == 0, again.stderr
    assert acknowledged(server.delivered) == Counter(due)
    assert len(digests(server.delivered)) == 1
    assert list(digest_lines(server.delivered).values()) == [1, 1, 1, 1]
    assert len(server.delivered) == 5


@pytest.mark.parametrize("taken_at", [2, 5])
def test_a_message_taken_just_before_the_kill_comes_again_with_the_same_message_id(due, taken_at):
    """The one window no job can close: the server said 250, the job died before its commit."""
    with MailServer(kill_after_ack_at=taken_at) as server:
        killed = run_command(*JOB, mail_server=server)
        assert killed.killed, killed.stderr
        assert len(server.delivered) == taken_at
        last = server.delivered[-1]
        server.accept_everything()
        assert run_command(*JOB, mail_server=server).returncode == 0
    repeated = [d for d in server.delivered if d.message_id == last.message_id]
    assert len(repeated) == 2 and repeated[0].body == repeated[1].body
    assert len({d.message_id for d in server.delivered}) == 5
    assert set(acknowledged(server.delivered)) == due


@pytest.mark.parametrize(
    "answer", ["421 4.3.2 Service shutting down", "451 4.3.0 Local error in processing"]
)
def test_a_mail_server_that_refuses_mail_is_reported_and_a_later_run_sends_exactly_the_rest(
    due, answer
):
    with MailServer(refuse_data=range(3, 100), data_answer=answer) as server:
        refused = run_command(*JOB, mail_server=server)
        assert refused.returncode == 1
        assert f"was not sent: the mail server answered {answer}." in refused.stderr
        assert "The mail server seems to be down (3 failures in a row)" in refused.stderr
        # Two reminders taken; two refused, then the digest of those two: three in a row.
        assert server.data_received == 5 and len(server.delivered) == 2
        assert SentReminder.objects.count() == 2
        server.accept_everything()
        again = run_command(*JOB, mail_server=server)
    assert again.returncode == 0, again.stderr
    assert acknowledged(server.delivered) == Counter(due)
    assert list(digest_lines(server.delivered).values()) == [1, 1, 1, 1]


def test_a_mail_server_that_is_down_is_reported_and_the_next_run_sends_everything(due):
    port = free_port()
    down = run_command(*JOB, smtp_port=port)
    assert down.returncode == 1
    assert "was not sent: Connection refused (ECONNREFUSED)." in down.stderr
    assert "The mail server seems to be down (3 failures in a row)" in down.stderr
    assert not SentReminder.objects.exists()
    with MailServer(port=port) as server:
        again = run_command(*JOB, mail_server=server)
    assert again.returncode == 0, again.stderr
    assert acknowledged(server.delivered) == Counter(due)
    assert len(digests(server.delivered)) == 1


def test_while_the_job_waits_for_a_mail_server_that_hangs_it_holds_up_no_writer(due, rounds_org):
    """Nothing is claimed, so nothing locked, until the mail server has answered the call."""
    first = due_reminders(TODAY)[0]
    with SilentServer() as hanging:
        job = start_command(*JOB, smtp_port=hanging.port)
        hanging.wait_for_caller()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
            # The key the job claims first: taken by a run in flight, this would wait for it.
            SentReminder.objects.create(key=first.key, recipient=rounds_org.manager)
        SentReminder.objects.all().delete()
        hanging.hang_up()
        ended = finish(job)
    assert ended.returncode == 1
    assert "the mail server closed the connection" in ended.stderr
    assert not SentReminder.objects.exists()


def test_an_address_the_server_refuses_is_reported_and_retried_while_the_others_go_out(due):
    refused = {"employee@example.org": "550 5.1.1 Mailbox unavailable"}
    with MailServer(refused=refused) as server:
        first = run_command(*JOB, mail_server=server)
        assert first.returncode == 1
        assert "refused the address: 550 5.1.1 Mailbox unavailable." in first.stderr
        assert "1 message(s) could not be sent" in first.stderr
        assert {address for address, _id in acknowledged(server.delivered)} == {
            "manager@example.org",
            PARTNER,
        }
        server.accept_everything()
        again = run_command(*JOB, mail_server=server)
    assert again.returncode == 0, again.stderr
    assert "Reminders sent: 1" in again.stdout
    assert acknowledged(server.delivered) == Counter(due)
    # The agreement reaches the partner in a second digest, when it was reminded.
    assert list(digest_lines(server.delivered).values()) == [1, 1, 1, 1]
    assert len(digests(server.delivered)) == 2


FULL = "/dev/full"


class DiskFillsUp(filebased.EmailBackend):
    """The demo's file backend on a disk with room for two messages; then the kernel's ENOSPC."""

    room = 2
    written = 0

    def write_message(self, message):
        if type(self).written >= self.room and self.stream.name != FULL:
            self.stream.close()
            self.stream = open(FULL, "ab")  # noqa: SIM115 (the backend closes it)
        super().write_message(message)
        type(self).written += 1


def file_backend(backend: str, path: Path) -> dict:
    return {"default": {"BACKEND": backend, "OPTIONS": {"file_path": str(path)}}}


def messages_in(folder: Path) -> list:
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return found


@pytest.mark.django_db
def test_a_full_disk_is_reported_nothing_is_marked_and_a_later_run_sends_the_rest(
    due, settings, tmp_path, caplog
):
    DiskFillsUp.written = 0
    settings.MAILERS = file_backend(f"{__name__}.DiskFillsUp", tmp_path / "filling")
    with pytest.raises(CommandError, match=r"seems to be down \(3 failures in a row\)"):
        call_command(*JOB, stdout=StringIO())
    assert "was not sent: No space left on device (ENOSPC)." in caplog.text
    written = messages_in(tmp_path / "filling")
    assert len(written) == 2 and SentReminder.objects.count() == 2
    settings.MAILERS = file_backend(filebased.__name__ + ".EmailBackend", tmp_path / "later")
    call_command(*JOB, stdout=StringIO())
    every = Counter(
        (str(m["To"]), m["Message-ID"]) for m in written + messages_in(tmp_path / "later")
    )
    assert {key: n for key, n in every.items() if not DIGEST.fullmatch(key[1])} == Counter(due)
    assert sum(n for (to, key), n in every.items() if DIGEST.fullmatch(key)) == 1


@pytest.mark.django_db
def test_over_smtp_a_danish_owner_is_reminded_in_danish_and_the_partner_gets_the_digest(
    due, rounds_org, settings
):
    rounds_org.employee.preferred_language = "da"
    rounds_org.employee.save()
    with MailServer() as server:
        settings.MAILERS = smtp_mailers(server.port)
        report = send_reminders(TODAY)
    assert (report.sent, report.digests, report.failed) == (4, 1, 0)
    (danish,) = server.to("employee@example.org")
    assert danish.subject == (
        "Påmindelse: En aftale fra dialogen (Ledelsesdialog, Section of Cases) har overskredet "
        "fristen"
    )
    assert danish.body.startswith("Hej Employee")
    assert "Aftalen ”Meeting-free Fridays” fra dialogen i Section of Cases" in danish.body
    (digest,) = digests(server.delivered)
    assert digest.subject == "Overdue in your units: 4 new steps"
    assert acknowledged(server.delivered) == Counter(due)
