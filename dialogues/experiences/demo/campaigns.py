"""The demo's two experience campaigns, built through the real steps (see ``demo/__init__``)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dialogues.experiences.demo.answers import LD, WB, Answerer, as_typed, respondent
from dialogues.experiences.domain.anonymity import (
    HELD_STATES,
    TooFewInvitees,
    invitees_from_rounds,
    open_campaign,
    role_group_of,
    token_hash,
)
from dialogues.experiences.domain.answering import record_interview, save_draft, submit
from dialogues.experiences.domain.guide import freeze_guide
from dialogues.experiences.domain.mixing import close_campaign, write_responses
from dialogues.experiences.models import (
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    QuestionGuide,
    Response,
)
from dialogues.experiences.rolegroups import ALL_ROLE_GROUPS, RoleGroup
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.rounds.models import Round

# The fixed link's token: public on purpose (the README shows it), for one demo invitee.
DEMO_ANSWER_TOKEN = "demo-answer-link"  # noqa: S105
DEMO_EMPLOYEE_EMAIL = "employee@dialogues.example"
HR_ADMIN_EMAIL = "hr-admin@dialogues.example"
# An invitee that takes the fixed link over once it was used: an address, not a person.
DEMO_LINK_EMAIL = "demo-answer-link-{number}@dialogues.example"
CLOSED_NAME = "Erfaringer med dialogkoncepterne – hele universitetet"
OPEN_NAME = "Erfaringer fra årets dialoger – enheder med afholdte dialoger"
CLOSED_INVITATION = (
    "Kære kollega\n\nI løbet af året har vi holdt trivsels- og ledelsesdialoger i hele "
    "universitetet. Nu vil vi gerne høre om dine erfaringer: hvad virkede, og hvad skal vi "
    "justere? Det tager omkring ti minutter. Dine svar er anonyme og kan ikke føres tilbage "
    "til dig.\n\nVenlig hilsen\nHR",
    "Dear colleague\n\nDuring the year we have held well-being and leadership dialogues across "
    "the university. Now we would like to hear about your experience: what worked, and what "
    "should we adjust? It takes about ten minutes. Your answers are anonymous and cannot be "
    "traced back to you.\n\nKind regards\nHR",
)
OPEN_INVITATION = (
    "Kære kollega\n\nDu har for nylig deltaget i en trivsels- eller ledelsesdialog. Fortæl os, "
    "hvordan du oplevede den, så vi kan gøre den næste endnu bedre. Dine svar er anonyme.\n\n"
    "Venlig hilsen\nHR",
    "Dear colleague\n\nYou recently took part in a well-being or leadership dialogue. Tell us "
    "how you experienced it, so that we can make the next one even better. Your answers are "
    "anonymous.\n\nKind regards\nHR",
)
# Who answers, by role group (others 0.82); about three in four in all.
ANSWER_RATES = {RoleGroup.MANAGER: 0.85, RoleGroup.HR: 0.9, RoleGroup.EMPLOYEE: 0.73}


def demo_link_url() -> str:
    return settings.SITE_URL + reverse("experiences:answer", args=[DEMO_ANSWER_TOKEN])


# --- the summary ------------------------------------------------------------------------------


@dataclass
class CampaignCounts:
    name: str
    status: str
    opens_on: date
    closes_on: date
    invited: int
    answered: int
    responses: int
    interviews: int
    pending: int
    created: bool

    @classmethod
    def of(cls, campaign: Campaign, created: bool) -> CampaignCounts:
        sources = Counter(campaign.responses.values_list("source", flat=True))
        return cls(
            campaign.name,
            campaign.status,
            campaign.opens_on,
            campaign.closes_on,
            campaign.invitees.count(),
            campaign.invitees.filter(answered=True).count(),
            sources[Response.Source.QUESTIONNAIRE],
            sources[Response.Source.INTERVIEW],
            PendingResponse.objects.filter(campaign=campaign).count(),
            created,
        )


@dataclass
class DemoCampaigns:
    """What ``create_demo_campaigns`` left: counts per campaign and the demo link."""

    closed: CampaignCounts | None = None
    open: CampaignCounts | None = None
    link: str | None = None
    link_moved: bool = False
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = []
        if closed := self.closed:
            lines.append(
                f"Experience campaign “{closed.name}” ({closed.status}, {closed.opens_on} to "
                f"{closed.closes_on}): {closed.invited:,} invited, {closed.answered:,} answered, "
                f"{closed.responses:,} responses and {closed.interviews} group interviews"
                + ("." if closed.created else " (there already).")
            )
        if opened := self.open:
            lines.append(
                f"Experience campaign “{opened.name}” ({opened.status} until {opened.closes_on}): "
                f"{opened.invited:,} invited, {opened.answered:,} answered so far"
                + ("." if opened.created else " (there already).")
            )
        if self.link:
            moved = " (it had been used: it now opens a fresh questionnaire)"
            lines.append(
                f"Answer the open campaign as a respondent: {self.link}"
                + (moved if self.link_moved else "")
            )
        return lines + self.problems


# --- shared steps ------------------------------------------------------------------------------


def _units() -> dict[int, Unit]:
    return {unit.pk: unit for unit in Unit.objects.only("pk", "parent_id", "code", "lineage")}


def _roles_by_person() -> dict[int, set[str]]:
    roles: dict[int, set[str]] = defaultdict(set)
    held = RoleAssignment.objects.filter(unit__isnull=True) | RoleAssignment.objects.filter(
        unit__is_active=True
    )
    for person_id, role in held.values_list("person_id", "role"):
        roles[person_id].add(role)
    return roles


def _invitee(campaign: Campaign, person: Person, roles, **fields) -> CampaignInvitee:
    return CampaignInvitee(
        campaign=campaign,
        person=person,
        language=person.preferred_language,
        unit_id=person.unit_id,
        role_group=role_group_of(person, roles=roles[person.pk]),
        **fields,
    )


def _new_campaign(name, version, opens_on, closes_on, texts) -> Campaign:
    return Campaign.objects.create(
        name=name,
        created_by=Person.objects.filter(email=HR_ADMIN_EMAIL, is_active=True).first(),
        guide_version=version,
        concepts=[WB, LD],
        opens_on=opens_on,
        closes_on=closes_on,
        invitation_text_da=texts[0],
        invitation_text_en=texts[1],
    )


# --- the closed campaign ---------------------------------------------------------------------


def spring(today: date) -> tuple[date, date]:
    """Some eight months back, a Monday to the Friday of its fourth week (2–27 March 2026)."""
    start = today - timedelta(days=268)
    start -= timedelta(days=start.weekday())
    return start, start + timedelta(days=25)


def _create_closed(rng, version, today, answer_rate, interviews, seed) -> Campaign | None:
    roots = list(Unit.objects.filter(parent=None, is_active=True))
    if not roots:
        return None
    campaign = _new_campaign(CLOSED_NAME, version, *spring(today), CLOSED_INVITATION)
    campaign.units.set(roots)
    from_rounds = {row.person_id for row in invitees_from_rounds(campaign)}
    roles = _roles_by_person()
    people = (
        Person.objects.filter(is_active=True, unit__is_active=True)
        .exclude(pk__in=from_rounds)
        .only("pk", "unit_id", "preferred_language")
        .order_by("pk")
    )
    open_campaign(campaign, [_invitee(campaign, person, roles) for person in people])
    answerer = Answerer(version.snapshot, _units(), seed)
    rows = list(campaign.invitees.order_by("pk"))
    responses, answers, answered = [], [], []
    for invitee in rows:
        if rng.random() >= ANSWER_RATES.get(invitee.role_group, 0.82) * answer_rate / 0.75:
            continue
        answered.append(invitee.pk)
        who = respondent(rng, invitee, campaign.concepts)
        for concept in who.concepts:
            given, _themes = answerer.for_invitee(rng, invitee, who, concept)
            # What an answer carries: its campaign, concept and the invitee's reporting group.
            responses.append(
                Response(
                    campaign=campaign,
                    concept=concept,
                    reporting_unit_id=invitee.reporting_unit_id,
                    reporting_role_group=invitee.reporting_role_group,
                    source=Response.Source.QUESTIONNAIRE,
                )
            )
            answers.append(given)
    order = list(range(len(responses)))
    rng.shuffle(order)  # as the mixer writes them: in random order
    write_responses([responses[i] for i in order], [answers[i] for i in order])
    _mark_invited(rng, campaign, answered)
    _interviews(rng, campaign, answerer, rows, interviews)
    close_campaign(campaign)
    return campaign


def _mark_invited(rng: random.Random, campaign: Campaign, answered: list[int]) -> None:
    """Invited on the opening day; some answered after a reminder, the rest were reminded."""
    invitees = campaign.invitees
    invitees.update(invited_on=campaign.opens_on)
    invitees.filter(pk__in=answered).update(answered=True)
    week = timedelta(days=campaign.reminder_interval_days)
    late = rng.sample(answered, len(answered) // 3)
    invitees.filter(pk__in=late[: len(late) // 3]).update(
        reminders_sent=2, last_reminded_on=campaign.opens_on + 2 * week
    )
    invitees.filter(pk__in=late[len(late) // 3 :]).update(
        reminders_sent=1, last_reminded_on=campaign.opens_on + week
    )
    invitees.filter(answered=False).update(
        reminders_sent=campaign.reminder_limit,
        last_reminded_on=campaign.opens_on + campaign.reminder_limit * week,
    )


def _interviews(rng, campaign, answerer: Answerer, rows, count: int) -> None:
    """Group interviews recorded by HR, each under a reporting group that the campaign has."""
    members: dict[tuple, Counter] = defaultdict(Counter)
    for row in rows:
        members[(row.reporting_unit_id, row.reporting_role_group)][row.role_group] += 1
    eligible = [
        (unit_id, group, sorted(groups))
        for (unit_id, group), groups in sorted(members.items())
        if sum(groups.values()) >= campaign.count_minimum
        and (group != ALL_ROLE_GROUPS or len(groups) > 1)
        and answerer.units[unit_id].parent_id is not None
    ]
    for unit_id, group, groups in rng.sample(eligible, min(count, len(eligible))):
        present = [group]
        if group == ALL_ROLE_GROUPS:  # employees, and a manager or representatives with them
            others = [other for other in groups if other != RoleGroup.EMPLOYEE]
            first = [RoleGroup.EMPLOYEE] if RoleGroup.EMPLOYEE in groups else others[:1]
            others = [other for other in others if other not in first]
            present = first + rng.sample(others, rng.randint(1, min(2, len(others))))
        concept = rng.choice(campaign.concepts)
        language = "da" if rng.random() < 0.8 else "en"
        given, _themes = answerer.for_interview(rng, unit_id, present[0], concept, language)
        record_interview(
            campaign,
            concept=concept,
            unit=answerer.units[unit_id],
            role_groups=present,
            participants=rng.randint(4, 9),
            answers=as_typed(given),
        )


# --- the open campaign ----------------------------------------------------------------------


def _topmost(units: list[Unit]) -> list[Unit]:
    return [
        unit
        for unit in units
        if not any(other.pk != unit.pk and unit.is_within(other) for other in units)
    ]


def _create_open(rng, version, today, answer_rate, seed) -> Campaign | None:
    employee = Person.objects.filter(email=DEMO_EMPLOYEE_EMAIL, is_active=True).first()
    held = Unit.objects.filter(
        pk__in=Round.objects.filter(state__in=HELD_STATES).values("unit_id"), is_active=True
    )
    scope = _topmost(list(held)) or ([employee.unit] if employee and employee.unit else [])
    if not scope:
        return None
    campaign = _new_campaign(
        OPEN_NAME, version, today - timedelta(days=7), today + timedelta(days=21), OPEN_INVITATION
    )
    campaign.units.set(scope)
    invitees_from_rounds(campaign)
    roles = _roles_by_person()
    if employee is not None and employee.unit_id:
        mine = campaign.invitees.filter(person=employee).first()
        mine = mine or _invitee(campaign, employee, roles)
        mine.preset_concepts = list(campaign.concepts)
        mine.save()
    _fill_up(campaign, scope, roles)
    open_campaign(campaign)
    campaign.invitees.update(invited_on=campaign.opens_on)  # as if the invitations went out
    holder, _moved = restore_demo_link(campaign)
    _answer_some(rng, campaign, Answerer(version.snapshot, _units(), seed), answer_rate, holder)
    return campaign


def _fill_up(campaign: Campaign, scope: list[Unit], roles) -> None:
    """Too few invitees from the rounds to open: invite more people of the same units."""
    missing = campaign.count_minimum - campaign.invitees.count()
    if missing <= 0:
        return
    within = Unit.objects.none()
    for unit in scope:
        within |= Unit.objects.subtree_of(unit)
    taken = campaign.invitees.exclude(person=None).values("person_id")
    people = Person.objects.filter(is_active=True, unit__in=within).exclude(pk__in=taken)
    CampaignInvitee.objects.bulk_create(
        _invitee(campaign, person, roles, preset_concepts=list(campaign.concepts))
        for person in people.order_by("pk")[:missing]
    )


def _answer_some(rng, campaign, answerer: Answerer, answer_rate: float, holder) -> None:
    """Some invitees answer through the questionnaire's ``submit``; two keep a draft."""
    if not campaign.opens_on <= timezone.localdate() <= campaign.closes_on:
        return  # submit() goes by the real date
    others = [
        row for row in campaign.invitees.order_by("pk") if holder is None or row.pk != holder.pk
    ]
    chosen = rng.sample(others, min(len(others), round(answer_rate * len(others))))
    picked = {row.pk for row in chosen}
    drafting = [row for row in others if row.pk not in picked][:2]
    for invitee in chosen + drafting:
        invitee.campaign = campaign
        who = respondent(rng, invitee, campaign.concepts)
        typed = {
            concept: as_typed(answerer.for_invitee(rng, invitee, who, concept)[0])
            for concept in who.concepts
        }
        if invitee in drafting:  # half-way through the first concept
            first = who.concepts[0]
            half = dict(list(typed[first].items())[: max(1, len(typed[first]) // 2)])
            save_draft(invitee, {first: half}, who.concepts)
        else:
            submit(invitee, typed, who.concepts)


# --- the fixed link -------------------------------------------------------------------------


def restore_demo_link(campaign: Campaign) -> tuple[CampaignInvitee | None, bool]:
    """Make ``DEMO_ANSWER_TOKEN`` open ``campaign``'s questionnaire; ``(holder, moved)``.

    The link belongs to the demo employee's invitee. Once someone has answered through it, it
    moves to a fresh invitee (an address, not a person) in the same reporting group, and the
    invitee who answered keeps ``answered`` without a link. Its holder gets no reminders (a
    reminder would give it a link of its own). Nothing changes while the link is unused.
    """
    demo_hash = token_hash(DEMO_ANSWER_TOKEN)
    with transaction.atomic():
        holder = CampaignInvitee.objects.select_for_update().filter(token_hash=demo_hash).first()
        if holder is not None and holder.campaign_id != campaign.pk:
            return None, False
        if holder is not None and not holder.answered:
            return holder, False
        if campaign.status != Campaign.Status.OPEN:
            return None, False
        if holder is None:  # the first time, or a reminder replaced the link
            holder = campaign.invitees.filter(person__email=DEMO_EMPLOYEE_EMAIL).first()
            if holder is None:
                return None, False
            if not holder.answered:
                _give_link(holder, demo_hash)
                return holder, False
        else:
            holder.token_hash, holder.link_salt = None, ""
            holder.save(update_fields=["token_hash", "link_salt"])
        number = 1
        while campaign.invitees.filter(email=DEMO_LINK_EMAIL.format(number=number)).exists():
            number += 1
        fresh = CampaignInvitee(
            campaign=campaign,
            email=DEMO_LINK_EMAIL.format(number=number),
            language=holder.language,
            unit_id=holder.unit_id,
            preset_concepts=holder.preset_concepts,
            source_round_id=holder.source_round_id,
            role_group=holder.role_group,
            reporting_unit_id=holder.reporting_unit_id,
            reporting_role_group=holder.reporting_role_group,
            invited_on=holder.invited_on,
        )
        _give_link(fresh, demo_hash)
        return fresh, True


def _give_link(invitee: CampaignInvitee, demo_hash: str) -> None:
    if invitee.token_hash:  # a draft follows its link
        Draft.objects.filter(token_hash=invitee.token_hash).update(token_hash=demo_hash)
    invitee.token_hash, invitee.link_salt = demo_hash, ""
    invitee.reminders_sent = invitee.campaign.reminder_limit
    invitee.save()


# --- both ----------------------------------------------------------------------------------


def _refusing(summary: DemoCampaigns, create, *args) -> Campaign | None:
    """``create(*args)`` all or nothing; a campaign too small to open is noted, not raised."""
    try:
        with transaction.atomic():
            return create(*args)
    except TooFewInvitees as refusal:
        summary.problems.append(f"No demo experience campaign: {refusal}")
        return None


def create_demo_campaigns(
    today: date | None = None,
    *,
    seed: int = 2025,
    answer_rate: float = 0.75,
    open_answer_rate: float = 0.3,
    interviews: int = 12,
) -> DemoCampaigns:
    """The demo's two experience campaigns; nothing new when they exist (found by name)."""
    today = today or timezone.localdate()
    summary = DemoCampaigns()
    guide = QuestionGuide.objects.filter(slug=QuestionGuide.DEFAULT_SLUG).first()
    if guide is None or not Person.objects.filter(is_active=True).exists():
        return summary

    closed = Campaign.objects.filter(name=CLOSED_NAME).first()
    created = closed is None
    if created:
        rng = random.Random(f"dialogues-demo-campaigns:{seed}:closed")
        closed = _refusing(
            summary, _create_closed, rng, freeze_guide(guide), today, answer_rate, interviews, seed
        )
    if closed is not None:
        summary.closed = CampaignCounts.of(closed, created)

    opened = Campaign.objects.filter(name=OPEN_NAME).first()
    created = opened is None
    if created:
        rng = random.Random(f"dialogues-demo-campaigns:{seed}:open")
        opened = _refusing(
            summary, _create_open, rng, freeze_guide(guide), today, open_answer_rate, seed
        )
    if opened is not None:
        holder, summary.link_moved = restore_demo_link(opened)
        summary.link = demo_link_url() if holder is not None else None
        summary.open = CampaignCounts.of(opened, created)
    return summary
