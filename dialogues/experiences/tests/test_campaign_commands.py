"""The campaign commands: create from a file, send the mail, close."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from dialogues.experiences.models import Campaign, Response
from dialogues.experiences.tests.factories import open_test_campaign

pytestmark = pytest.mark.django_db


def definition(tmp_path, org, **changes):
    today = timezone.localdate()
    lines = {
        "name": '"From a file"',
        "concepts": '["wellbeing", "leadership"]',
        "units": '["U"]',
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "invitation_text_en": '"Please tell us."',
    } | changes
    (tmp_path / "people.csv").write_text(
        "email,unit,language\n" + "".join(f"person{n}@partner.example,S,en\n" for n in range(6)),
        encoding="utf-8",
    )
    text = "\n".join(f"{key} = {value}" for key, value in lines.items())
    text += '\n[invitees]\nlist = "people.csv"\n'
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_create_campaign_from_a_file_and_open_it_sends_the_invitations(tmp_path, org):
    out = StringIO()
    call_command("create_campaign", str(definition(tmp_path, org)), "--open", stdout=out)
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.OPEN and campaign.invitees.count() == 6
    assert len(mail.outbox) == 6 and "Please tell us." in mail.outbox[0].body
    assert "Invitations sent: 6" in out.getvalue()


def test_a_bad_file_creates_nothing_and_says_what_is_wrong(tmp_path, org):
    path = definition(tmp_path, org, units='["NOPE"]', opens_on='"soon"')
    with pytest.raises(CommandError) as raised:
        call_command("create_campaign", str(path), stdout=StringIO())
    assert "NOPE" in str(raised.value) and "opens_on" in str(raised.value)
    assert not Campaign.objects.exists()


def test_send_campaign_mail_sends_once_and_closes_what_is_past_its_date(org):
    campaign, _tokens = open_test_campaign(org)
    call_command("send_campaign_mail", stdout=StringIO())
    call_command("send_campaign_mail", stdout=StringIO())
    assert len(mail.outbox) == 7
    after = (campaign.closes_on + timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("send_campaign_mail", "--date", after, stdout=out)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED and "Closed (past their close date): 1" in (
        out.getvalue()
    )


def test_close_campaign_mixes_the_last_answers(org):
    from dialogues.experiences.domain.answering import find_invitee, submit

    campaign, tokens = open_test_campaign(org)
    submit(find_invitee(tokens[0]), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    call_command("close_campaign", str(campaign.pk), stdout=StringIO())
    assert Response.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("close_campaign", str(campaign.pk), stdout=StringIO())
