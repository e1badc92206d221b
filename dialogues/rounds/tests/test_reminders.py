from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from dialogues.rounds.domain.reminders import due_reminders, send_reminders
from dialogues.rounds.domain.steps import plan_round
from dialogues.rounds.models import Agreement, Round, SentReminder
from dialogues.rounds.tasks import send_reminders_task
from dialogues.rounds.tests.conftest import make_plan

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
BACKENDS = "dialogues.rounds.tests.test_reminders"


class Killed(BaseException):
    """Stands in for the process being killed: nothing in the job may catch it."""


class FailOnThirdBackend(EmailBackend):
    attempts = 0
    error: type[BaseException] = ConnectionRefusedError

    def send_messages(self, messages):
        type(self).attempts += len(messages)
        if type(self).attempts == 3:
            raise type(self).error("the mail server went away")
        return super().send_messages(messages)


class KilledOnThirdBackend(FailOnThirdBackend):
    error = Killed


def a_round(org, kind, days_ahead, state=Round.State.PLANNED, **overrides):
    round_ = plan_round(make_plan(org, kind, days_ahead=days_ahead, **overrides), org.hr_partner)
    Round.objects.filter(pk=round_.pk).update(state=state)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def overdue(rounds_org):
    """One overdue step of each kind, each with a different person or subject."""
    org = rounds_org
    invite = a_round(org, "leadership", 20)
    document = a_round(org, "wellbeing", -20, Round.State.INVITED)
    followup = a_round(org, "leadership", -70, Round.State.DOCUMENTED)
    agreement = Agreement.objects.create(
        round=followup, what="Meeting-free Fridays", owner=org.employee, due_on=TODAY - timedelta(1)
    )
    return {"invite": invite, "document": document, "followup": followup, "agreement": agreement}


def sent_reminders():
    return Counter((m.to[0], m.subject) for m in mail.outbox if "Reminder" in m.subject)


def digest_lines(partner_email: str) -> Counter:
    lines = Counter()
    for message in mail.outbox:
        if message.to == [partner_email] and message.subject.startswith("Overdue"):
            lines.update(line for line in message.body.splitlines() if line.startswith("- "))
    return lines


EXPECTED = {
    (
        "manager@example.org",
        "Reminder: send the invitations to the Leadership dialogue (Section of Cases)",
    ),
    ("hr-partner@example.org", "Reminder: document the Well-being dialogue (Section of Cases)"),
    ("manager@example.org", "Reminder: follow up the Leadership dialogue (Section of Cases)"),
    (
        "employee@example.org",
        "Reminder: an agreement from the Leadership dialogue (Section of Cases) is past its date",
    ),
}


def test_each_overdue_step_is_reminded_once_to_the_person_responsible(overdue):
    report = send_reminders(TODAY)
    assert set(sent_reminders()) == EXPECTED
    assert list(sent_reminders().values()) == [1, 1, 1, 1]
    assert (report.due, report.sent, report.already_sent, report.failed) == (4, 4, 0, 0)
    body = next(m.body for m in mail.outbox if m.to == ["employee@example.org"])
    assert '"Meeting-free Fridays"' in body
    assert f"http://127.0.0.1:8000/rounds/{overdue['followup'].pk}/" in body


def test_the_hr_partner_gets_one_digest_of_the_new_overdue_steps(overdue):
    send_reminders(TODAY)
    digests = [m for m in mail.outbox if m.subject.startswith("Overdue")]
    assert [(m.to, m.subject) for m in digests] == [
        (["hr-partner@example.org"], "Overdue in your units: 4 new steps")
    ]
    assert len(digest_lines("hr-partner@example.org")) == 4
    assert '- Section of Cases, Leadership dialogue: agreement "Meeting-free Fridays"' in (
        digests[0].body
    )


def test_running_twice_sends_nothing_the_second_time(overdue):
    send_reminders(TODAY)
    first = len(mail.outbox)
    report = send_reminders(TODAY)
    assert len(mail.outbox) == first == 5
    assert (report.sent, report.already_sent, report.digests) == (0, 4, 0)


def test_running_the_next_day_reminds_only_what_became_overdue_since(overdue, rounds_org):
    send_reminders(TODAY)
    mail.outbox.clear()
    a_round(rounds_org, "wellbeing", 31)
    assert send_reminders(TODAY + timedelta(1)).sent == 1
    assert set(sent_reminders()) == {
        (
            "manager@example.org",
            "Reminder: send the invitations to the Well-being dialogue (Section of Cases)",
        )
    }
    assert list(digest_lines("hr-partner@example.org").values()) == [1]


def test_a_step_is_not_overdue_before_its_day(rounds_org):
    a_round(rounds_org, "leadership", 31)
    a_round(rounds_org, "wellbeing", -13, Round.State.HELD)
    a_round(rounds_org, "leadership", -59, Round.State.DOCUMENTED)
    assert due_reminders(TODAY) == []
    assert [r.kind for r in due_reminders(TODAY + timedelta(1))] == [
        "invite",
        "document",
        "followup",
    ]


def test_closed_agreements_and_followed_up_rounds_are_not_reminded(rounds_org):
    round_ = a_round(rounds_org, "leadership", -400, Round.State.FOLLOWED_UP)
    for status in (Agreement.Status.DONE, Agreement.Status.DROPPED):
        Agreement.objects.create(
            round=round_,
            what=status,
            owner=rounds_org.employee,
            due_on=TODAY - timedelta(9),
            status=status,
        )
    Agreement.objects.create(
        round=round_, what="due today", owner=rounds_org.employee, due_on=TODAY
    )
    assert due_reminders(TODAY) == []


def test_a_unit_that_facilitates_itself_is_reminded_through_its_manager(rounds_org):
    a_round(rounds_org, "wellbeing", -15, Round.State.HELD, facilitation="unit", facilitator=None)
    (reminder,) = due_reminders(TODAY)
    assert (reminder.kind, reminder.recipient) == ("document", rounds_org.manager)


def test_a_moved_date_reminds_again(overdue):
    send_reminders(TODAY)
    round_ = overdue["invite"]
    Round.objects.filter(pk=round_.pk).update(starts_at=round_.starts_at + timedelta(days=3))
    mail.outbox.clear()
    report = send_reminders(TODAY)
    assert report.sent == 1
    assert list(sent_reminders()) == [
        (
            "manager@example.org",
            "Reminder: send the invitations to the Leadership dialogue (Section of Cases)",
        )
    ]


@pytest.mark.parametrize("backend", ["FailOnThirdBackend", "KilledOnThirdBackend"])
def test_a_failure_half_way_then_a_rerun_sends_every_message_exactly_once(
    overdue, settings, backend
):
    FailOnThirdBackend.attempts = 0
    settings.MAILERS = {"default": {"BACKEND": f"{BACKENDS}.{backend}"}}
    if backend == "KilledOnThirdBackend":
        with pytest.raises(Killed):
            send_reminders(TODAY)
        sent_before_the_failure = 2  # the job died at the third message
    else:
        assert send_reminders(TODAY).failed == 1
        sent_before_the_failure = 3  # one failed; the job went on with the others
    assert sum(sent_reminders().values()) == sent_before_the_failure
    assert SentReminder.objects.exclude(key__startswith="digest:").count() == sum(
        sent_reminders().values()
    )
    send_reminders(TODAY)
    assert set(sent_reminders()) == EXPECTED
    assert list(sent_reminders().values()) == [1, 1, 1, 1]
    assert list(digest_lines("hr-partner@example.org").values()) == [1, 1, 1, 1]
    assert send_reminders(TODAY).sent == 0


def test_a_danish_recipient_gets_the_reminder_in_danish(overdue, rounds_org):
    rounds_org.employee.preferred_language = "da"
    rounds_org.employee.save()
    send_reminders(TODAY)
    (message,) = [m for m in mail.outbox if m.to == ["employee@example.org"]]
    assert "Ledelsesdialog" in message.subject
    assert "Leadership dialogue" not in message.body


def test_the_command_sends_the_reminders_and_prints_the_counts(overdue):
    out = StringIO()
    call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out, stderr=StringIO())
    assert out.getvalue().splitlines() == [
        "Overdue steps: 4",
        "Reminders sent: 4",
        "Already sent before: 0",
        "Digests sent: 1",
    ]
    assert len(mail.outbox) == 5


def test_the_command_fails_when_a_message_could_not_be_sent(overdue, settings):
    FailOnThirdBackend.attempts = 0
    settings.MAILERS = {"default": {"BACKEND": f"{BACKENDS}.FailOnThirdBackend"}}
    with pytest.raises(CommandError, match="1 message"):
        call_command("send_reminders", stdout=StringIO(), stderr=StringIO())


def test_the_command_can_hand_the_job_to_the_task_worker(overdue, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()
    call_command("send_reminders", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Enqueued as task ")
    assert mail.outbox == []


def test_the_task_runs_the_same_job(overdue):
    result = send_reminders_task.call(TODAY.isoformat())
    assert (result["sent"], result["digests"]) == (4, 1)
    assert len(mail.outbox) == 5
