"""Invitations and reminders: personal links in the invitee's language, each message once."""

import re
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from dialogues.experiences.domain.answering import find_invitee, save_draft, submit
from dialogues.experiences.domain.links import current_link
from dialogues.experiences.domain.mailing import (
    due_reminders,
    send_campaign_mail,
    send_invitations,
    send_reminders,
)
from dialogues.experiences.models import CampaignInvitee, Draft
from dialogues.experiences.tests.factories import open_test_campaign

pytestmark = pytest.mark.django_db
FAILING = "dialogues.experiences.tests.test_mailing.FailFromThirdBackend"


class FailFromThirdBackend(EmailBackend):
    """Delivers like the test outbox until the third message; then the server is gone."""

    attempts = 0

    def send_messages(self, messages):
        for _message in messages:
            type(self).attempts += 1
            if type(self).attempts >= 3:
                raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def link_in(message) -> str:
    (token,) = re.findall(r"/experiences/answer/([^/\s]+)/", message.body)
    return token


@pytest.fixture
def opened(org):
    return open_test_campaign(org, count=6, language="da")


def test_every_invitee_gets_one_invitation_in_their_language_with_their_own_link(opened):
    campaign, tokens = opened
    report = send_invitations(campaign)
    assert report.sent == 6 and len(mail.outbox) == 6
    assert sorted(link_in(message) for message in mail.outbox) == sorted(tokens)
    message = mail.outbox[0]
    assert "Dit personlige link" in message.body and "anonym" in message.body
    assert campaign.name in message.subject
    assert not CampaignInvitee.objects.filter(invited_on__isnull=True).exists()
    # A second run sends nothing.
    assert send_invitations(campaign).sent == 0 and len(mail.outbox) == 6


def test_the_link_is_stored_only_as_a_hash(opened):
    campaign, tokens = opened
    stored = set()
    for row in CampaignInvitee.objects.values():
        stored |= {str(value) for value in row.values()}
    assert not stored & set(tokens)


def test_an_invitee_who_answered_or_has_left_gets_no_mail(opened, org):
    campaign, tokens = opened
    submit(find_invitee(tokens[0]), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    left = CampaignInvitee.objects.create(
        campaign=campaign, person=org.outsider, unit=org.section, token_hash="x" * 64
    )
    org.outsider.is_active = False
    org.outsider.save()
    report = send_invitations(campaign)
    assert report.sent == 5 and report.skipped == 1
    left.refresh_from_db()
    assert left.invited_on is None


def test_no_invitation_before_the_campaign_opens(org):
    today = timezone.localdate()
    campaign, _tokens = open_test_campaign(
        org, opens_on=today + timedelta(days=2), closes_on=today + timedelta(days=9)
    )
    assert send_invitations(campaign).sent == 0
    assert send_invitations(campaign, today=today + timedelta(days=2)).sent == 7


def test_a_failing_mail_server_marks_only_what_was_sent_and_the_next_run_sends_the_rest(
    opened, settings
):
    campaign, tokens = opened
    FailFromThirdBackend.attempts = 0
    settings.MAILERS = {"default": {"BACKEND": FAILING}}
    report = send_invitations(campaign)
    assert report.sent == 2 and report.failed == 3 and report.gave_up
    assert CampaignInvitee.objects.filter(invited_on__isnull=False).count() == 2
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_invitations(campaign).sent == 4
    assert sorted(link_in(message) for message in mail.outbox) == sorted(tokens)


def test_reminders_go_only_to_those_who_have_not_answered_within_the_limit(opened):
    campaign, tokens = opened
    today = timezone.localdate()
    send_invitations(campaign)
    submit(find_invitee(tokens[0]), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    mail.outbox.clear()
    assert send_reminders(campaign, today=today).sent == 0  # too soon
    week = today + timedelta(days=campaign.reminder_interval_days)
    report = send_reminders(campaign, today=week)
    assert report.sent == 5
    assert sorted(link_in(message) for message in mail.outbox) == sorted(tokens[1:])
    assert "påmindelse" in mail.outbox[0].subject.lower()
    assert send_reminders(campaign, today=week).sent == 0  # once per turn
    assert send_reminders(campaign, today=week + timedelta(days=6)).sent == 0
    assert send_reminders(campaign, today=week + timedelta(days=7)).sent == 5
    # The limit (2) is reached, whatever the date.
    assert due_reminders(campaign, week + timedelta(days=14)).count() == 0
    assert set(CampaignInvitee.objects.values_list("reminders_sent", flat=True)) == {0, 2}


def test_no_reminder_after_the_close_date(opened):
    campaign, _tokens = opened
    send_invitations(campaign)
    after = campaign.closes_on + timedelta(days=1)
    assert send_campaign_mail(campaign, today=after).sent == 0


def test_after_a_key_rotation_the_old_link_still_works_and_reminders_repeat_it(opened, settings):
    campaign, tokens = opened
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    invitee = find_invitee(tokens[0])
    assert current_link(invitee) == tokens[0]


def test_when_no_key_gives_the_link_a_new_one_is_issued_and_the_draft_moves(opened, settings):
    campaign, tokens = opened
    invitee = find_invitee(tokens[0])
    save_draft(invitee, {"wellbeing": {"1": "half-way"}}, ["wellbeing"])
    settings.SECRET_KEY = "a-new-secret-key-" + "y" * 40
    fresh = current_link(invitee)
    assert fresh != tokens[0]
    assert find_invitee(fresh).pk == invitee.pk
    assert Draft.objects.get().answers == {"wellbeing": {"1": "half-way"}}
    assert current_link(find_invitee(fresh)) == fresh
