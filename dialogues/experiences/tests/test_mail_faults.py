"""The campaign mail job against a real SMTP server on loopback, killed and refused for real.

``manage.py send_campaign_mail`` runs as its own process on the test database and sends through
an aiosmtpd server in this process (``dialogues.common.testing``), which kills the job while a
message is in flight or refuses mail the way mail servers do. What the server acknowledged is
counted per recipient: after the job runs again, everyone due a message has exactly one.
"""

import email
import email.policy
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.mail.backends import filebased
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from dialogues.common.testing.jobs import finish, restore_seed_rows, run_command, start_command
from dialogues.common.testing.smtp import MailServer, SilentServer, free_port, smtp_mailers
from dialogues.experiences.domain.answering import find_invitee, submit
from dialogues.experiences.domain.guide import visible_questions
from dialogues.experiences.domain.mailing import send_campaign_mail
from dialogues.experiences.models import CampaignInvitee
from dialogues.experiences.tests.factories import open_test_campaign

# The job runs in another process, which sees only what is committed.
pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
JOB = ("send_campaign_mail", "--date", TODAY.isoformat())
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between two messages in a file of the file backend


@pytest.fixture(autouse=True)
def _seed_rows(db):
    restore_seed_rows()


def answer(campaign, token: str) -> None:
    # By the snapshot's ids: a transactional test seeds the guide again, under new ids.
    snapshot = campaign.guide_version.snapshot
    first = next(
        question
        for question in visible_questions(snapshot, {}, concept="wellbeing")
        if question["kind"] == "open"
    )
    submit(find_invitee(token), {"wellbeing": {str(first["id"]): "fine"}}, ["wellbeing"])


@pytest.fixture
def due(org):
    """Seven messages due today, {address: Message-ID}: four invitations and three reminders.

    Eight invitees; p0 to p3 were invited a week ago and p0 has answered since.
    """
    campaign, tokens = open_test_campaign(org, count=8, opens_on=TODAY - timedelta(days=10))
    invitees = list(campaign.invitees.order_by("pk"))
    week_ago = TODAY - timedelta(days=campaign.reminder_interval_days)
    CampaignInvitee.objects.filter(pk__in=[i.pk for i in invitees[:4]]).update(invited_on=week_ago)
    answer(campaign, tokens[0])
    which = ["reminder-1"] * 4 + ["invitation"] * 4
    prefix = f"<dialogues.campaign-{campaign.pk}.invitee-"
    return {
        invitee.email: f"{prefix}{invitee.pk}.{which[n]}@localhost>"
        for n, invitee in enumerate(invitees)
        if n > 0
    }


def fail_fast_on_locks() -> None:
    """In this transaction, a lock held elsewhere is an error at once (SQLite: after 5 s)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")


def marked_sent() -> set[str]:
    """The addresses the database says were sent today's message."""
    rows = CampaignInvitee.objects.filter(Q(invited_on=TODAY) | Q(reminders_sent__gt=0))
    return set(rows.values_list("email", flat=True))


def acknowledged(deliveries) -> Counter:
    """(recipient, Message-ID) of every message the mail server took, with how often."""
    return Counter((delivery.recipients[0], delivery.message_id) for delivery in deliveries)


def exactly_once(due: dict) -> Counter:
    return Counter(due.items())


@pytest.mark.parametrize("kill_at", [1, 5, 7])
def test_a_job_killed_half_way_and_run_again_sends_everyone_exactly_one_message(due, kill_at):
    with MailServer(kill_at=kill_at) as server:
        killed = run_command(*JOB, mail_server=server)
        assert killed.killed, killed.stderr
        assert len(server.delivered) == kill_at - 1
        assert marked_sent() == {delivery.recipients[0] for delivery in server.delivered}
        server.accept_everything()
        again = run_command(*JOB, mail_server=server)
    assert again.returncode == 0, again.stderr
    assert f"Messages sent: {len(due) - (kill_at - 1)}" in again.stdout
    assert acknowledged(server.delivered) == exactly_once(due)
    assert marked_sent() == set(due)


def test_a_message_taken_just_before_the_kill_comes_again_with_the_same_message_id(due):
    """The one window no job can close: the server said 250, the job died before its commit."""
    with MailServer(kill_after_ack_at=3) as server:
        killed = run_command(*JOB, mail_server=server)
        assert killed.killed, killed.stderr
        third = server.delivered[2]
        assert len(server.delivered) == 3 and third.recipients[0] not in marked_sent()
        server.accept_everything()
        assert run_command(*JOB, mail_server=server).returncode == 0
    assert acknowledged(server.delivered) == exactly_once(due) + Counter(
        [(third.recipients[0], third.message_id)]
    )
    first, repeat = [d for d in server.delivered if d.message_id == third.message_id]
    assert repeat.body == first.body  # the same personal link
    assert marked_sent() == set(due)


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
        assert server.data_received == 5  # two taken, three refused, then the run stopped
        assert marked_sent() == {delivery.recipients[0] for delivery in server.delivered}
        assert len(marked_sent()) == 2
        server.accept_everything()
        again = run_command(*JOB, mail_server=server)
    assert again.returncode == 0, again.stderr
    assert "Messages sent: 5" in again.stdout
    assert acknowledged(server.delivered) == exactly_once(due)


@pytest.mark.django_db
def test_after_a_421_the_run_connects_again_and_only_that_message_waits_for_the_next_run(
    due, settings
):
    campaign = CampaignInvitee.objects.first().campaign
    with MailServer(refuse_data={3}) as server:
        settings.MAILERS = smtp_mailers(server.port)
        report = send_campaign_mail(campaign, TODAY)
        assert (report.sent, report.failed, report.gave_up) == (6, 1, False)
        assert server.data_received == 7 and len(server.delivered) == 6
        server.accept_everything()
        assert send_campaign_mail(campaign, TODAY).sent == 1
    assert acknowledged(server.delivered) == exactly_once(due)


def test_a_mail_server_that_is_down_is_reported_and_the_next_run_sends_everything(due):
    port = free_port()
    down = run_command(*JOB, smtp_port=port)
    assert down.returncode == 1
    assert "was not sent: Connection refused (ECONNREFUSED)." in down.stderr
    assert "The mail server seems to be down (3 failures in a row)" in down.stderr
    assert marked_sent() == set()
    with MailServer(port=port) as server:
        again = run_command(*JOB, mail_server=server)
    assert again.returncode == 0, again.stderr
    assert acknowledged(server.delivered) == exactly_once(due)


def test_while_the_job_waits_for_a_mail_server_that_hangs_it_holds_up_no_writer(due):
    """A respondent saving a draft must not wait on the mail server (on SQLite: on any writer)."""
    first = CampaignInvitee.objects.filter(invited_on__isnull=True).order_by("pk").first()
    with SilentServer() as hanging:
        job = start_command(*JOB, smtp_port=hanging.port)
        hanging.wait_for_caller()
        with transaction.atomic():
            fail_fast_on_locks()
            CampaignInvitee.objects.filter(pk=first.pk).update(language="da")
        hanging.hang_up()
        ended = finish(job)
    assert ended.returncode == 1
    assert "the mail server closed the connection" in ended.stderr
    assert marked_sent() == set()


def test_an_address_the_server_refuses_is_reported_and_retried_while_the_others_go_out(due):
    with MailServer(refused={"p2@example.org": "550 5.1.1 Mailbox unavailable"}) as server:
        first = run_command(*JOB, mail_server=server)
        assert first.returncode == 1
        assert "refused the address: 550 5.1.1 Mailbox unavailable." in first.stderr
        assert "1 message(s) could not be sent" in first.stderr
        assert marked_sent() == set(due) - {"p2@example.org"}
        server.accept_everything()
        again = run_command(*JOB, mail_server=server)
    assert again.returncode == 0, again.stderr
    assert "Messages sent: 1" in again.stdout
    assert acknowledged(server.delivered) == exactly_once(due)


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
    assert len(written) == 2 and marked_sent() == {str(message["To"]) for message in written}
    settings.MAILERS = file_backend(filebased.__name__ + ".EmailBackend", tmp_path / "later")
    call_command(*JOB, stdout=StringIO())
    every = written + messages_in(tmp_path / "later")
    assert Counter((str(m["To"]), m["Message-ID"]) for m in every) == exactly_once(due)


@pytest.mark.django_db
def test_over_smtp_the_invitation_speaks_the_invitees_language_and_reminds_only_the_silent(
    org, settings
):
    campaign, tokens = open_test_campaign(org, count=5, language="da")
    CampaignInvitee.objects.filter(email="p2@example.org").update(language="en")
    week = TODAY + timedelta(days=campaign.reminder_interval_days)
    with MailServer() as server:
        settings.MAILERS = smtp_mailers(server.port)
        assert send_campaign_mail(campaign, TODAY).sent == 5
        answer(campaign, tokens[0])
        assert send_campaign_mail(campaign, week).sent == 4
    links = {
        f"p{n}@example.org": f"{settings.SITE_URL}/experiences/answer/{token}/"
        for n, token in enumerate(tokens)
    }
    invitations, reminders = server.delivered[:5], server.delivered[5:]
    assert [d.recipients for d in invitations] == [[address] for address in links]
    assert [d.recipients for d in reminders] == [[address] for address in list(links)[1:]]
    for delivery in server.delivered:
        (address,) = delivery.recipients
        assert str(delivery.message["To"]) == address
        assert links[address] in delivery.body
        assert [a for a in links.values() if a in delivery.body] == [links[address]]
    danish, english = invitations[0], invitations[2]
    assert danish.subject == "Dine erfaringer med dialogerne: Experiences"
    assert "Dit personlige link:" in danish.body and "Your personal link" not in danish.body
    assert english.subject == "Your experiences with the dialogues: Experiences"
    assert "Your personal link:" in english.body
    assert reminders[0].subject == "Påmindelse: Experiences"
    assert "Dette er en påmindelse: du har ikke delt dine erfaringer endnu." in reminders[0].body
    assert reminders[1].subject == "Reminder: Experiences"
    english_invitee = CampaignInvitee.objects.get(email="p2@example.org")
    assert reminders[1].message_id == (
        f"<dialogues.campaign-{campaign.pk}.invitee-{english_invitee.pk}.reminder-1@localhost>"
    )
