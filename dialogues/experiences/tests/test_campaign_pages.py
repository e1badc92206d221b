"""HR runs a campaign on its pages: define, invite, open (invitations go out), follow, close."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dialogues.experiences.domain.answering import find_invitee, submit
from dialogues.experiences.domain.campaigns import response_rates
from dialogues.experiences.models import Campaign, CampaignInvitee, Response
from dialogues.experiences.tests.factories import open_test_campaign

pytestmark = pytest.mark.django_db


def campaign_data(org, **changes):
    today = timezone.localdate()
    data = {
        "name": "Spring experiences",
        "concepts": ["wellbeing", "leadership"],
        "units": [org.university.pk],
        "role_groups": ["employee", "manager", "representative", "committee", "hr"],
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=21)).isoformat(),
        "invitation_text_da": "Fortæl os om dialogerne.",
        "invitation_text_en": "Tell us about the dialogues.",
        "reminder_limit": 2,
        "reminder_interval_days": 7,
        "count_minimum": 5,
        "comment_minimum": 10,
        "sensitive_minimum": 20,
    }
    return data | changes


def invitee_list(rows: list[str]) -> SimpleUploadedFile:
    text = "email;unit;role group;language\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("list.csv", text.encode("utf-8"), content_type="text/csv")


def test_hr_creates_a_campaign_adds_a_list_opens_it_and_everyone_is_mailed(
    client, org, django_capture_on_commit_callbacks
):
    client.force_login(org.hr_admin)
    response = client.post(reverse("experiences:campaign_create"), campaign_data(org))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.is_draft
    rows = [f"guest{n}@partner.example;S;employee;{'da' if n % 2 else 'en'}" for n in range(6)]
    rows.append(f"{org.employee.email.upper()};;;")  # known: matched by e-mail, any case
    url = reverse("experiences:campaign_invite_list", args=[campaign.pk])
    response = client.post(url, {"file": invitee_list(rows)})
    assert response.status_code == 302
    assert campaign.invitees.count() == 7
    assert campaign.invitees.get(person=org.employee).language == org.employee.preferred_language

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("experiences:campaign_open", args=[campaign.pk]))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN and campaign.guide_version is not None
    assert len(mail.outbox) == 7
    danish = next(m for m in mail.outbox if m.to == ["guest1@partner.example"])
    assert "Fortæl os om dialogerne." in danish.body
    token = re.search(r"/experiences/answer/([^/\s]+)/", danish.body)[1]
    assert client.get(reverse("experiences:answer", args=[token])).status_code == 200

    page = client.get(reverse("experiences:campaign", args=[campaign.pk]))
    assert page.status_code == 200
    assert "fewer than 5" in page.content.decode()  # nobody has answered yet


def test_a_list_with_problems_adds_nobody_and_names_each_row(client, org):
    client.force_login(org.hr_admin)
    client.post(reverse("experiences:campaign_create"), campaign_data(org))
    campaign = Campaign.objects.get()
    rows = [
        "good@partner.example;S;employee;da",
        "not-an-address;S;employee;da",
        "nobody@partner.example;NOPE;employee;da",
        "other@partner.example;S;boss;da",
        "good@partner.example;S;employee;da",
        "unknown-unit@partner.example;;;",
    ]
    url = reverse("experiences:campaign_invite_list", args=[campaign.pk])
    response = client.post(url, {"file": invitee_list(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    for row in (3, 4, 5, 6, 7):
        assert f"Row {row}:" in text
    assert "Row 2:" not in text
    assert not campaign.invitees.exists()


def test_a_list_outside_the_campaign_units_or_role_groups_is_refused(client, org):
    client.force_login(org.hr_admin)
    data = campaign_data(org, units=[org.department.pk], role_groups=["employee"])
    client.post(reverse("experiences:campaign_create"), data)
    campaign = Campaign.objects.get()
    rows = ["a@partner.example;T;employee;da", "b@partner.example;S;manager;da"]
    url = reverse("experiences:campaign_invite_list", args=[campaign.pk])
    response = client.post(url, {"file": invitee_list(rows)})
    text = response.content.decode()
    assert "not in the campaign&#x27;s units" in text and "not asked in this campaign" in text
    assert not campaign.invitees.exists()


def test_bad_dates_and_a_lowered_minimum_are_refused_next_to_their_fields(client, org):
    client.force_login(org.hr_admin)
    today = timezone.localdate()
    data = campaign_data(org, closes_on=today.isoformat(), count_minimum=2, concepts=[])
    response = client.post(reverse("experiences:campaign_create"), data)
    assert response.status_code == 200 and not Campaign.objects.exists()
    errors = response.context["form"].errors
    assert set(errors) >= {"closes_on", "count_minimum", "concepts"}


def test_an_open_campaign_can_no_longer_be_edited(client, org):
    campaign, _tokens = open_test_campaign(org)
    client.force_login(org.hr_admin)
    url = reverse("experiences:campaign_edit", args=[campaign.pk])
    response = client.post(url, campaign_data(org, name="Changed"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Experiences"


def test_response_rates_show_nothing_while_the_whole_campaign_is_under_the_minimum(org):
    campaign, tokens = open_test_campaign(org, count=7)
    for token in tokens[:4]:
        submit(find_invitee(token), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    rates = response_rates(campaign)
    assert [group.answered for group in rates.groups] == [None]
    assert rates.answered is None
    submit(find_invitee(tokens[4]), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    rates = response_rates(campaign)
    assert [group.answered for group in rates.groups] == [5] and rates.answered == 5


def test_a_small_group_is_counted_with_its_role_group_above_never_alone(org):
    """Section S has 3 answers of 6, its sibling S2 4 of 6: both count at the department."""
    campaign, tokens = open_test_campaign(org, count=12)
    invitees = list(campaign.invitees.order_by("pk"))
    for invitee in invitees[6:]:
        invitee.reporting_unit = org.sibling
    CampaignInvitee.objects.bulk_update(invitees[6:], ["reporting_unit"])
    for invitee in invitees[:6]:
        invitee.reporting_unit = org.section
    CampaignInvitee.objects.bulk_update(invitees[:6], ["reporting_unit"])
    by_pk = {invitee.pk: token for invitee, token in zip(invitees, tokens, strict=True)}
    for invitee in invitees[:3] + invitees[6:10]:
        submit(find_invitee(by_pk[invitee.pk]), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    rates = response_rates(campaign)
    assert [(g.unit, g.answered, g.invited, g.groups) for g in rates.groups] == [
        (org.department, 7, 12, 2)
    ]
    assert rates.answered == 7


def test_the_rates_page_never_shows_a_hidden_count(client, org):
    campaign, tokens = open_test_campaign(org, count=7)
    for token in tokens[:3]:
        submit(find_invitee(token), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    client.force_login(org.hr_partner)
    text = client.get(reverse("experiences:campaign", args=[campaign.pk])).content.decode()
    table = text[text.index("<table") : text.index("</table>")]
    assert ">3<" not in table and "43 %" not in table
    assert "Fewer than 5 of 7 invited have answered so far." in text


def test_closing_asks_first_then_stops_the_links(client, org):
    campaign, tokens = open_test_campaign(org)
    client.force_login(org.hr_admin)
    url = reverse("experiences:campaign_close", args=[campaign.pk])
    assert client.get(url).status_code == 200
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    client.post(url)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert client.get(reverse("experiences:answer", args=[tokens[0]])).status_code == 410


def test_an_hr_partner_records_a_group_interview_in_their_units_only(client, org):
    campaign, _tokens = open_test_campaign(org)
    client.force_login(org.hr_partner)  # partner of the department D
    url = reverse("experiences:campaign_interview", args=[campaign.pk]) + "?concept=wellbeing"
    page = client.get(url)
    assert page.status_code == 200
    units = [unit.pk for unit in page.context["form"].fields["unit"].queryset]
    assert org.section.pk in units and org.other_section.pk not in units
    data = {
        "concept": "wellbeing",
        "unit": org.section.pk,
        "role_groups": ["employee", "representative"],
        "participants": 6,
        "wellbeing-1-text": "<script>alert(1)</script> We talked freely.",
        "record": "record",
    }
    outside = client.post(url, data | {"unit": org.other_section.pk})
    assert outside.status_code == 400 and not Response.objects.exists()
    assert client.post(url, data).status_code == 302
    response = Response.objects.get()
    assert response.source == Response.Source.INTERVIEW and response.participants == 6
    assert response.reporting_unit == org.section and response.reporting_role_group == "all"
    assert response.answers.get().text.startswith("<script>")


def test_an_interview_without_answers_is_refused_and_nothing_is_stored(client, org):
    campaign, _tokens = open_test_campaign(org)
    client.force_login(org.hr_admin)
    url = reverse("experiences:campaign_interview", args=[campaign.pk]) + "?concept=leadership"
    data = {"concept": "leadership", "unit": org.section.pk, "role_groups": ["employee"]}
    response = client.post(url, data | {"participants": 0, "record": "record"})
    assert response.status_code == 400
    response = client.post(url, data | {"participants": 4, "record": "record"})
    assert response.status_code == 400
    assert "Answer at least one question" in response.content.decode()
    assert not Response.objects.exists()


def test_invitees_from_rounds_are_added_only_to_a_draft(client, org):
    campaign, _tokens = open_test_campaign(org)
    client.force_login(org.hr_admin)
    before = CampaignInvitee.objects.count()
    client.post(reverse("experiences:campaign_invite_rounds", args=[campaign.pk]))
    client.post(reverse("experiences:campaign_remove_invitees", args=[campaign.pk]))
    assert CampaignInvitee.objects.count() == before
