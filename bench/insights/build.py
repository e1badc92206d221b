"""A university through the real HR import, and a closed campaign answered as the demo answers.

Sizes are respondents (people who answered); the organisation has ``size / ANSWER_RATE``
people, all invited.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from datetime import timedelta

ANSWER_RATE = 0.75
SEED = 2025
BATCH = 5000


def import_organisation(people: int) -> None:
    """The demo generator's university of ``people``, through the real HR import."""
    from dialogues.organisation.demo import generate_organisation, to_csv
    from dialogues.organisation.importing import import_file

    content = to_csv(generate_organisation(people, SEED)).encode("utf-8-sig")
    result = import_file(content, "hr.csv")
    assert result.ok, result.errors[:5]


def invitees(campaign) -> list:
    """Every active person, in the role group they answer in (as the demo's campaign)."""
    from dialogues.experiences.domain.anonymity import role_group_of
    from dialogues.experiences.models import CampaignInvitee
    from dialogues.organisation.models import Person, RoleAssignment

    roles = defaultdict(set)
    for person_id, role in RoleAssignment.objects.values_list("person_id", "role"):
        roles[person_id].add(role)
    people = Person.objects.filter(is_active=True).exclude(unit=None).order_by("pk")
    return [
        CampaignInvitee(
            campaign=campaign,
            person=person,
            language=person.preferred_language,
            unit_id=person.unit_id,
            role_group=role_group_of(person, roles=roles[person.pk]),
        )
        for person in people.only("pk", "unit_id", "preferred_language")
    ]


def open_new_campaign():
    from django.utils import timezone

    from dialogues.experiences.demo.answers import LD, WB
    from dialogues.experiences.domain.anonymity import open_campaign
    from dialogues.experiences.domain.guide import freeze_guide
    from dialogues.experiences.models import Campaign, QuestionGuide
    from dialogues.organisation.models import Unit

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Erfaringer med dialogkoncepterne (benchmark)",
        guide_version=freeze_guide(QuestionGuide.objects.default()),
        concepts=[WB, LD],
        opens_on=today - timedelta(days=40),
        closes_on=today - timedelta(days=12),
    )
    campaign.units.set(Unit.objects.filter(parent=None))
    open_campaign(campaign, invitees(campaign))
    return campaign


def answer(campaign, rng: random.Random) -> list[int]:
    """About three in four answer, as the demo's respondents; stored as the mixer stores them.

    Returns the invitees who answered.
    """
    from dialogues.experiences.demo.answers import Answerer, respondent
    from dialogues.experiences.demo.campaigns import ANSWER_RATES, _interviews
    from dialogues.experiences.domain.mixing import write_responses
    from dialogues.experiences.models import Response
    from dialogues.organisation.models import Unit

    units = {unit.pk: unit for unit in Unit.objects.only("pk", "parent_id", "code")}
    answerer = Answerer(campaign.guide_version.snapshot, units, SEED)
    answered, batch = [], []

    def flush():
        rng.shuffle(batch)  # the mixer writes in random order
        write_responses([response for response, _ in batch], [given for _, given in batch])
        batch.clear()

    for invitee in campaign.invitees.order_by("pk"):
        if rng.random() >= ANSWER_RATES.get(invitee.role_group, 0.82):
            continue
        answered.append(invitee.pk)
        who = respondent(rng, invitee, campaign.concepts)
        for concept in who.concepts:
            given, _themes = answerer.for_invitee(rng, invitee, who, concept)
            response = Response(
                campaign=campaign,
                concept=concept,
                reporting_unit_id=invitee.reporting_unit_id,
                reporting_role_group=invitee.reporting_role_group,
                source=Response.Source.QUESTIONNAIRE,
            )
            batch.append((response, given))
        if len(batch) >= BATCH:
            flush()
    flush()
    interviews = max(6, len(answered) // 500)
    rows = list(campaign.invitees.order_by("pk"))
    # The demo's own group interviews: HR's records (``record_interview``) in eligible groups.
    _interviews(rng, campaign, answerer, rows, interviews)
    return answered


def build(size: int) -> dict:
    """The organisation and a closed campaign with about ``size`` respondents; what was made."""
    from django.db import connection

    from dialogues.experiences.domain.mixing import close_campaign
    from dialogues.experiences.models import Answer, Response

    started = time.perf_counter()
    import_organisation(round(size / ANSWER_RATE))
    campaign = open_new_campaign()
    answered = answer(campaign, random.Random(f"bench-insights:{size}"))
    invited = campaign.invitees
    invited.update(invited_on=campaign.opens_on)
    for start in range(0, len(answered), BATCH):
        invited.filter(pk__in=answered[start : start + BATCH]).update(answered=True)
    close_campaign(campaign)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    answers = Answer.objects.filter(response__campaign=campaign)
    return {
        "campaign": campaign.pk,
        "built": time.perf_counter() - started,
        "invitees": invited.count(),
        "respondents": len(answered),
        "responses": Response.objects.filter(campaign=campaign, source="questionnaire").count(),
        "interviews": Response.objects.filter(campaign=campaign, source="interview").count(),
        "answers": answers.count(),
        "comments": answers.exclude(text="").count(),
        "groups": invited.values("reporting_unit", "reporting_role_group").distinct().count(),
        **drill_targets(campaign),
    }


def drill_targets(campaign) -> dict:
    """The department (or centre) with the most invitees, its largest section, unit count."""
    from dialogues.organisation.models import Unit

    units = {u.pk: u for u in Unit.objects.only("pk", "parent_id", "kind")}
    people = Counter(campaign.invitees.values_list("unit_id", flat=True))
    below: Counter = Counter()
    for unit_id, count in people.items():
        while unit_id is not None:
            below[unit_id] += count
            unit_id = units[unit_id].parent_id

    def largest(kinds, parent=None):
        chosen = [u for u in units.values() if u.kind in kinds]
        chosen = [u for u in chosen if parent is None or u.parent_id == parent]
        return max(chosen, key=lambda u: below[u.pk]).pk

    faculty = largest({"department", "centre"})
    return {"units": len(units), "faculty": faculty, "section": largest({"section"}, faculty)}
