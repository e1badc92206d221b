"""Campaigns: validation, opening (reporting groups, tokens) and invitees from held rounds."""

import base64
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dialogues.experiences.domain.anonymity import (
    ALL_ROLE_GROUPS,
    CampaignRefused,
    RoleGroup,
    TooFewInvitees,
    invitees_from_rounds,
    open_campaign,
    role_group_of,
    token_hash,
)
from dialogues.experiences.domain.guide import freeze_guide
from dialogues.experiences.models import Campaign, CampaignInvitee
from dialogues.organisation.models import RoleAssignment
from dialogues.organisation.roles import Role
from dialogues.rounds.domain.steps import plan_round
from dialogues.rounds.models import Round
from dialogues.rounds.tests.conftest import make_plan


@pytest.fixture
def campaign(guide, org):
    made = Campaign.objects.create(
        name="Experiences 2025",
        guide_version=freeze_guide(guide),
        concepts=["wellbeing", "leadership"],
        opens_on=date(2025, 9, 1),
        closes_on=date(2025, 9, 30),
    )
    made.units.add(org.university)
    return made


def uploaded(campaign, unit, count, group=RoleGroup.EMPLOYEE, prefix="p"):
    return [
        CampaignInvitee(
            campaign=campaign, email=f"{prefix}{n}@example.org", unit=unit, role_group=group
        )
        for n in range(count)
    ]


# --- the campaign ---


def test_a_campaign_takes_its_minimums_from_the_settings(campaign, settings):
    assert (campaign.count_minimum, campaign.comment_minimum, campaign.sensitive_minimum) == (
        5,
        10,
        20,
    )
    settings.EXPERIENCES_SENSITIVE_MINIMUM = 40
    later = Campaign(name="x", opens_on=date(2025, 1, 1), closes_on=date(2025, 2, 1))
    assert later.sensitive_minimum == 40


def test_a_campaign_closes_after_it_opens_and_asks_about_a_concept(campaign):
    campaign.full_clean()
    campaign.closes_on = campaign.opens_on
    campaign.concepts = []
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert set(refused.value.message_dict) == {"closes_on", "concepts"}
    campaign.concepts = ["smalltalk"]
    with pytest.raises(ValidationError):
        campaign.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        campaign.save()


def test_a_minimum_can_be_raised_not_lowered(campaign):
    campaign.sensitive_minimum = 40
    campaign.full_clean()
    campaign.count_minimum = 3
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert set(refused.value.message_dict) == {"count_minimum"}


def test_a_person_or_an_address_is_invited_once(campaign, org):
    CampaignInvitee.objects.create(campaign=campaign, person=org.employee, unit=org.section)
    CampaignInvitee.objects.create(campaign=campaign, email="a@example.org", unit=org.section)
    for duplicate in ({"person": org.employee}, {"email": "a@example.org"}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CampaignInvitee.objects.create(campaign=campaign, unit=org.section, **duplicate)


# --- role groups ---


def test_role_groups_of_the_small_organisation(org):
    assert role_group_of(org.employee) == RoleGroup.EMPLOYEE
    assert role_group_of(org.manager) == RoleGroup.MANAGER
    assert role_group_of(org.director) == RoleGroup.MANAGER
    assert role_group_of(org.amr) == RoleGroup.REPRESENTATIVE
    assert role_group_of(org.tr) == RoleGroup.REPRESENTATIVE
    assert role_group_of(org.lsu_vice_chair) == RoleGroup.COMMITTEE
    assert role_group_of(org.amk_member) == RoleGroup.COMMITTEE
    assert role_group_of(org.hr_partner) == RoleGroup.HR
    assert role_group_of(org.hr_admin) == RoleGroup.HR


def test_in_a_round_only_its_manager_is_a_manager(org):
    class Led:
        manager_id = org.director.pk

    assert role_group_of(org.director, Led()) == RoleGroup.MANAGER
    assert role_group_of(org.manager, Led()) == RoleGroup.EMPLOYEE


# --- opening ---


def test_opening_stores_reporting_groups_and_token_hashes(campaign, org):
    invitees = (
        uploaded(campaign, org.section, 6)
        + uploaded(campaign, org.section, 2, RoleGroup.MANAGER, "m")
        + uploaded(campaign, org.sibling, 3, prefix="s")
        + uploaded(campaign, org.department, 3, prefix="d")
    )
    tokens = open_campaign(campaign, invitees)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    rows = {row.pk: row for row in CampaignInvitee.objects.filter(campaign=campaign)}
    assert set(tokens) == set(rows)
    groups = {row.email: (row.reporting_unit, row.reporting_role_group) for row in rows.values()}
    assert groups["p0@example.org"] == (org.section, RoleGroup.EMPLOYEE)  # 6 stay
    # The 2 managers go up alone, to the university, still too few: the smallest group there,
    # the department's employees (3 of its own and 3 sent up from S2), joins them as "all".
    assert groups["m0@example.org"] == (org.university, ALL_ROLE_GROUPS)
    assert groups["s0@example.org"] == (org.university, ALL_ROLE_GROUPS)
    assert groups["d0@example.org"] == (org.university, ALL_ROLE_GROUPS)
    for pk, token in tokens.items():
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
        assert rows[pk].token_hash == token_hash(token)
    assert len(set(tokens.values())) == len(tokens)


def test_the_token_is_stored_nowhere(campaign, org):
    tokens = open_campaign(campaign, uploaded(campaign, org.section, 7))
    stored = [
        str(value)
        for model in (CampaignInvitee, Campaign)
        for row in model.objects.values_list()
        for value in row
    ]
    for token in tokens.values():
        assert not any(token in value for value in stored)


def test_only_a_draft_with_a_frozen_guide_opens(campaign, org):
    invitees = uploaded(campaign, org.section, 5)
    campaign.guide_version = None
    campaign.save()
    with pytest.raises(CampaignRefused, match="frozen version"):
        open_campaign(campaign, invitees)
    assert not CampaignInvitee.objects.exists()  # nothing half-done

    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    with pytest.raises(CampaignRefused, match="draft"):
        open_campaign(campaign, invitees)


def test_too_few_invitees_leave_the_campaign_a_draft(campaign, org):
    with pytest.raises(TooFewInvitees):
        open_campaign(campaign, uploaded(campaign, org.section, 4))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not CampaignInvitee.objects.filter(token_hash__isnull=False).exists()


# --- invitees from the rounds that were held ---


@pytest.fixture
def held_rounds(org):
    RoleAssignment.objects.create(person=org.hr_partner, role=Role.HR_PARTNER, unit=org.university)
    made = [
        plan_round(make_plan(org, "leadership"), org.director),
        plan_round(make_plan(org, "wellbeing"), org.hr_partner),
    ]
    Round.objects.filter(pk__in=[r.pk for r in made]).update(
        state=Round.State.HELD,
        held_on=date(2025, 8, 20),  # before the campaign (September)
    )
    planned = plan_round(make_plan(org, "wellbeing", unit=org.other_section), org.hr_partner)
    return made + [planned]


def test_invitees_come_from_held_rounds_once_per_person(campaign, org, held_rounds):
    created = invitees_from_rounds(campaign)
    by_person = {invitee.person: invitee for invitee in created}

    assert org.outsider not in by_person  # their round is only planned
    assert len(by_person) == len(created)
    employee = by_person[org.employee]
    assert employee.preset_concepts == ["wellbeing", "leadership"]
    assert (employee.role_group, employee.unit) == (RoleGroup.EMPLOYEE, org.section)
    assert employee.source_round in held_rounds[:2]
    manager = by_person[org.manager]
    assert (manager.role_group, manager.preset_concepts) == (
        RoleGroup.MANAGER,
        ["wellbeing", "leadership"],
    )
    assert by_person[org.amr].role_group == RoleGroup.REPRESENTATIVE
    assert all(invitee.token_hash is None for invitee in created)

    assert invitees_from_rounds(campaign) == []  # already invited


def test_invitees_follow_the_campaign_concepts_and_role_groups(campaign, org, held_rounds):
    campaign.concepts = ["leadership"]
    campaign.role_groups = [RoleGroup.EMPLOYEE]
    campaign.save()
    created = invitees_from_rounds(campaign)
    assert {invitee.person for invitee in created} == {org.employee}
    assert created[0].preset_concepts == ["leadership"]


def test_a_round_held_after_the_campaign_closes_invites_nobody(campaign, org, held_rounds):
    Round.objects.filter(pk=held_rounds[0].pk).update(
        held_on=campaign.closes_on + timedelta(days=1)
    )
    created = invitees_from_rounds(campaign)
    by_person = {invitee.person: invitee for invitee in created}
    assert by_person[org.employee].preset_concepts == ["wellbeing"]  # the leadership round is later
