"""Answering through a personal link: refused links, drafts, validation, submitting once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dialogues.experiences.domain.anonymity import RoleGroup, open_campaign
from dialogues.experiences.domain.answering import (
    AnswersInvalid,
    LinkExpired,
    LinkForged,
    LinkUsed,
    find_invitee,
    load_draft,
    record_interview,
    save_draft,
    submit,
)
from dialogues.experiences.domain.guide import freeze_guide
from dialogues.experiences.domain.mixing import close_campaign, mix, mix_open_campaigns
from dialogues.experiences.models import (
    Answer,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
)


def make_campaign(guide, org, count=7, **fields):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Experiences",
        guide_version=freeze_guide(guide),
        concepts=["wellbeing", "leadership"],
        opens_on=fields.pop("opens_on", today - timedelta(days=1)),
        closes_on=fields.pop("closes_on", today + timedelta(days=14)),
        **fields,
    )
    campaign.units.add(org.university)
    invitees = [
        CampaignInvitee(
            campaign=campaign,
            email=f"p{n}@example.org",
            unit=org.section,
            role_group=RoleGroup.EMPLOYEE,
        )
        for n in range(count)
    ]
    tokens = open_campaign(campaign, invitees)
    campaign.refresh_from_db()
    return campaign, list(tokens.values())


@pytest.fixture
def opened(guide, org):
    return make_campaign(guide, org)


def test_a_forged_link_is_refused(opened):
    with pytest.raises(LinkForged):
        find_invitee("not-a-token")
    with pytest.raises(LinkForged):
        find_invitee("")


def test_a_link_before_the_opening_or_after_the_close_has_expired(guide, org):
    campaign, tokens = make_campaign(guide, org)
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(opens_on=today + timedelta(days=1))
    with pytest.raises(LinkExpired) as refused:
        find_invitee(tokens[0])
    assert refused.value.not_yet
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=today - timedelta(days=9), closes_on=today - timedelta(days=1)
    )
    with pytest.raises(LinkExpired) as refused:
        find_invitee(tokens[0])
    assert not refused.value.not_yet
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=today + timedelta(days=1))
    assert find_invitee(tokens[0]).campaign == campaign
    close_campaign(campaign)
    with pytest.raises(LinkExpired) as refused:
        find_invitee(tokens[0])
    assert "closed" in str(refused.value)


def test_a_draft_is_saved_and_resumed_through_the_same_link(opened, org):
    campaign, tokens = opened
    invitee = find_invitee(tokens[0])
    assert load_draft(invitee) == ({}, [])
    long_text = "x" * 6000  # kept as typed in the draft; only submitting refuses it
    save_draft(invitee, {"wellbeing": {"1": "So far so good", "3": long_text}}, ["wellbeing"])
    save_draft(invitee, {"wellbeing": {"1": "Good", "3": long_text}}, ["wellbeing", "bogus"])
    assert Draft.objects.count() == 1
    answers, concepts = load_draft(find_invitee(tokens[0]))
    assert answers == {"wellbeing": {"1": "Good", "3": long_text}}
    assert concepts == ["wellbeing"]


def test_submitting_validates_and_names_the_question(opened):
    campaign, tokens = opened
    invitee = find_invitee(tokens[0])
    save_draft(invitee, {"wellbeing": {"1": "draft"}}, ["wellbeing"])
    with pytest.raises(AnswersInvalid) as refused:
        submit(invitee, {"wellbeing": {"1": "ok", "3": "y" * 5001}}, ["wellbeing"])
    assert list(refused.value.errors) == [("wellbeing", 3)]
    message = refused.value.errors[("wellbeing", 3)]
    assert "How have you experienced the collaboration with HR" in message
    assert "5,000" in message
    with pytest.raises(AnswersInvalid) as refused:
        submit(invitee, {"wellbeing": {"2": {"choice": "maybe", "why": ""}}}, ["wellbeing"])
    assert list(refused.value.errors) == [("wellbeing", 2)]
    with pytest.raises(AnswersInvalid):
        submit(invitee, {"wellbeing": {}}, ["wellbeing"])
    with pytest.raises(AnswersInvalid):
        submit(invitee, {"wellbeing": {"1": "ok"}}, [])
    assert not PendingResponse.objects.exists() and not Response.objects.exists()
    assert Draft.objects.count() == 1
    invitee.refresh_from_db()
    assert not invitee.answered


def test_submitting_stores_pending_responses_once(opened):
    campaign, tokens = opened
    invitee = find_invitee(tokens[0])
    save_draft(invitee, {"wellbeing": {"1": "draft"}}, ["wellbeing"])
    answers = {
        "wellbeing": {
            "1": "  <script>alert(1)</script>  ",
            "2": {"choice": "yes", "why": "It helped"},
        },
        "leadership": {"1": "Useful", "4": "Not asked about leadership"},
    }
    assert submit(invitee, answers, ["wellbeing", "leadership"]) == 2
    pending = {row.concept: row for row in PendingResponse.objects.all()}
    assert set(pending) == {"wellbeing", "leadership"}
    assert pending["wellbeing"].answers == {
        "1": {"choice": "", "text": "<script>alert(1)</script>"},
        "2": {"choice": "yes", "text": "It helped"},
    }
    assert pending["leadership"].answers == {"1": {"choice": "", "text": "Useful"}}
    assert pending["wellbeing"].reporting_unit == invitee.reporting_unit
    assert pending["wellbeing"].reporting_role_group == invitee.reporting_role_group
    assert not Draft.objects.exists()
    assert CampaignInvitee.objects.get(pk=invitee.pk).answered
    # A resent form with a stale invitee object is refused by the locked re-read.
    stale = CampaignInvitee.objects.get(pk=invitee.pk)
    stale.answered = False
    with pytest.raises(LinkUsed):
        submit(stale, answers, ["wellbeing"])
    with pytest.raises(LinkUsed):
        find_invitee(tokens[0])
    assert PendingResponse.objects.count() == 2


def test_answers_to_hidden_follow_ups_are_dropped(opened):
    campaign, tokens = opened
    follow_up = {"choice": "yes", "why": "Talked to my TR"}
    submit(
        find_invitee(tokens[0]),
        {"wellbeing": {"6": {"choice": "yes", "why": ""}, "7": follow_up}},
        ["wellbeing"],
    )
    submit(
        find_invitee(tokens[1]),
        {"wellbeing": {"6": {"choice": "no", "why": ""}, "7": follow_up}},
        ["wellbeing"],
    )
    stored = sorted(sorted(row.answers) for row in PendingResponse.objects.all())
    assert stored == [["6"], ["6", "7"]]  # "yes" hides the follow-up; its answer is dropped


def test_the_mixer_waits_for_the_minimum_and_closing_moves_the_rest(opened):
    campaign, tokens = opened
    for token in tokens[:4]:
        submit(find_invitee(token), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    assert PendingResponse.objects.count() == 4 and not Response.objects.exists()
    assert mix(campaign) == 0  # fewer than the minimum of 5 waiting
    submit(find_invitee(tokens[4]), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    assert not Response.objects.exists()  # a submit never mixes: the periodic job does
    assert mix_open_campaigns() == 5
    assert Response.objects.count() == 5 and not PendingResponse.objects.exists()
    assert Answer.objects.count() == 5
    submit(find_invitee(tokens[5]), {"wellbeing": {"1": "fine"}}, ["wellbeing"])
    save_draft(find_invitee(tokens[6]), {"wellbeing": {"1": "half"}}, ["wellbeing"])
    assert close_campaign(campaign) == 1
    assert Response.objects.count() == 6
    assert not PendingResponse.objects.exists() and not Draft.objects.exists()


def test_a_group_interview_goes_straight_to_the_responses(opened, org):
    campaign, _tokens = opened
    response = record_interview(
        campaign,
        concept="leadership",
        unit=org.department,
        role_groups=[RoleGroup.EMPLOYEE, RoleGroup.MANAGER],
        participants=7,
        answers={"1": "We liked it", "2": {"choice": "partly", "why": "Some did"}},
    )
    assert response.source == Response.Source.INTERVIEW
    assert response.participants == 7
    assert response.reporting_role_group == "all"
    assert sorted(response.role_groups_present) == ["employee", "manager"]
    assert {(a.question_id, a.choice, a.text) for a in response.answers.all()} == {
        (1, "", "We liked it"),
        (2, "partly", "Some did"),
    }
