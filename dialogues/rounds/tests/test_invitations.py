from smtplib import SMTPServerDisconnected

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from dialogues.rounds.domain.invitations import InvitationsIncomplete, send_invitations
from dialogues.rounds.domain.steps import StepRefused
from dialogues.rounds.models import Round

pytestmark = pytest.mark.django_db
FAILING = "dialogues.rounds.tests.test_invitations.FailOnThirdBackend"


class FailOnThirdBackend(EmailBackend):
    """Delivers like the test outbox, but the third message of the test fails."""

    attempts = 0

    def send_messages(self, messages):
        for _message in messages:
            type(self).attempts += 1
            if type(self).attempts == 3:
                raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def failing_mail(settings):
    FailOnThirdBackend.attempts = 0
    settings.MAILERS = {"default": {"BACKEND": FAILING}}


def calendar_of(message) -> tuple[str, str, bytes]:
    (part,) = list(message.message().iter_attachments())
    return part.get_content_type(), part.get_param("method"), part.get_payload(decode=True)


def test_each_invitee_gets_one_email_with_a_calendar_file(leadership_round, rounds_org):
    count = send_invitations(leadership_round, rounds_org.manager)
    assert count == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "amr@example.org",
        "employee@example.org",
        "tr@example.org",
    ]
    message = next(m for m in mail.outbox if m.to == ["employee@example.org"])
    assert message.reply_to == ["manager@example.org"]
    content_type, method, ics = calendar_of(message)
    assert (content_type, method) == ("text/calendar", "REQUEST")
    assert ics.startswith(b"BEGIN:VCALENDAR\r\nPRODID:")
    assert f"UID:round-{leadership_round.pk}@127.0.0.1\r\n".encode() in ics
    assert b'ATTENDEE;CN="Employee"' in ics


def test_the_email_says_what_when_where_who_facilitates_and_links_the_round(
    leadership_round, rounds_org
):
    send_invitations(leadership_round, rounds_org.manager)
    message = next(m for m in mail.outbox if m.to == ["employee@example.org"])
    assert message.subject.startswith("Invitation: Leadership dialogue on ")
    assert leadership_round.concept.purpose_en in message.body
    assert "Building 101, room 2" in message.body
    assert "Who facilitates: Hr Partner\n" in message.body
    assert "small groups without the leader come first" in message.body
    assert f"http://127.0.0.1:8000/rounds/{leadership_round.pk}/" in message.body


def test_each_invitee_is_written_to_in_their_own_language(leadership_round, rounds_org):
    rounds_org.employee.preferred_language = "da"
    rounds_org.employee.save()
    send_invitations(leadership_round, rounds_org.manager)
    danish = next(m for m in mail.outbox if m.to == ["employee@example.org"])
    english = next(m for m in mail.outbox if m.to == ["tr@example.org"])
    assert "Ledelsesdialog" in danish.subject
    assert leadership_round.concept.purpose_da in danish.body
    assert b"SUMMARY:Ledelsesdialog" in calendar_of(danish)[2]
    assert "Leadership dialogue" in english.subject
    assert "Ledelsesdialog" not in english.body
    assert b"SUMMARY:Leadership dialogue" in calendar_of(english)[2]


def test_the_round_shows_who_was_invited_and_when(leadership_round, rounds_org):
    send_invitations(leadership_round, rounds_org.manager)
    leadership_round.refresh_from_db()
    assert leadership_round.state == Round.State.INVITED
    assert leadership_round.invited_at is not None
    sent = list(leadership_round.invitations.values_list("person__email", "sent_at"))
    assert len(sent) == 3
    assert all(when is not None and when <= leadership_round.invited_at for _, when in sent)
    event = leadership_round.events.get(action="invited")
    assert (event.actor, event.details) == (rounds_org.manager, {"count": 3})


def test_inviting_twice_is_refused_and_sends_nothing_more(leadership_round, rounds_org):
    send_invitations(leadership_round, rounds_org.manager)
    with pytest.raises(StepRefused, match="already been sent"):
        send_invitations(leadership_round, rounds_org.manager)
    assert len(mail.outbox) == 3


def test_a_failing_mail_server_marks_only_the_sent_and_a_retry_sends_the_rest(
    leadership_round, rounds_org, failing_mail
):
    with pytest.raises(InvitationsIncomplete) as refused:
        send_invitations(leadership_round, rounds_org.manager)
    assert str(refused.value.message) == (
        "2 of 3 invitations were sent; the rest will be sent when you try again."
    )
    first = [m.to[0] for m in mail.outbox]
    assert len(first) == 2
    marked = set(
        leadership_round.invitations.filter(sent_at__isnull=False).values_list(
            "person__email", flat=True
        )
    )
    assert marked == set(first)
    leadership_round.refresh_from_db()
    assert leadership_round.state == Round.State.PLANNED
    assert not leadership_round.events.filter(action="invited").exists()

    assert send_invitations(leadership_round, rounds_org.manager) == 1
    everyone = sorted(m.to[0] for m in mail.outbox)
    assert everyone == ["amr@example.org", "employee@example.org", "tr@example.org"]
    leadership_round.refresh_from_db()
    assert leadership_round.state == Round.State.INVITED
    assert not leadership_round.invitations.filter(sent_at__isnull=True).exists()


def test_the_manager_sends_the_invitations_from_the_round_page(leadership_round, rounds_org, login):
    client = login(rounds_org.manager)
    response = client.post(reverse("rounds:invite", args=[leadership_round.pk]))
    assert response.status_code == 302
    assert response.url == reverse("rounds:detail", args=[leadership_round.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Invitations sent to 3 people."
    ]
    assert len(mail.outbox) == 3


def test_a_refused_step_is_shown_as_an_error_on_the_round_page(leadership_round, rounds_org, login):
    send_invitations(leadership_round, rounds_org.manager)
    client = login(rounds_org.manager)
    response = client.post(reverse("rounds:invite", args=[leadership_round.pk]))
    assert response.status_code == 302
    messages = list(get_messages(response.wsgi_request))
    assert [(m.level_tag, str(m)) for m in messages] == [
        ("error", "The invitations have already been sent.")
    ]
    assert len(mail.outbox) == 3


def test_an_employee_cannot_send_the_invitations(leadership_round, rounds_org, login):
    response = login(rounds_org.employee).post(reverse("rounds:invite", args=[leadership_round.pk]))
    assert response.status_code == 403
    assert mail.outbox == []


def test_sending_the_invitations_needs_a_post(leadership_round, rounds_org, login):
    response = login(rounds_org.manager).get(reverse("rounds:invite", args=[leadership_round.pk]))
    assert response.status_code == 405
    assert mail.outbox == []


def test_an_invitee_downloads_the_dialogue_as_a_calendar_file(leadership_round, rounds_org, login):
    response = login(rounds_org.employee).get(
        reverse("rounds:calendar", args=[leadership_round.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dialogue.ics"'
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert f"UID:round-{leadership_round.pk}@127.0.0.1\r\n".encode() in response.content


def test_someone_outside_the_round_cannot_download_its_calendar_file(
    leadership_round, rounds_org, login
):
    response = login(rounds_org.outsider).get(
        reverse("rounds:calendar", args=[leadership_round.pk])
    )
    assert response.status_code == 403
