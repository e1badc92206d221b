"""The proof, from the schema and the data, that an answer cannot be traced to its author.

docs/anonymity.md: the response tables hold no person, invitee, token, IP address or time finer
than a date; their keys are random; rows are mixed in random order; after the close no pending
response or draft remains, every invitee row carries the same transaction id (``xmin``) on
PostgreSQL, and every reporting group holds at least the counts minimum of invitees.
"""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import timezone

from dialogues.experiences.domain.anonymity import RoleGroup, open_campaign
from dialogues.experiences.domain.answering import find_invitee, save_draft, submit
from dialogues.experiences.domain.guide import freeze_guide
from dialogues.experiences.domain.mixing import close_campaign
from dialogues.experiences.models import (
    Answer,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
)
from dialogues.insights.models import AnswerVector, Redaction, Theme, ThemeAssignment
from dialogues.organisation.models import Person, Unit

RESPONSE_TABLES = [PendingResponse, Response, Answer]
FORBIDDEN_MODELS = {Person, CampaignInvitee, Draft, get_user_model()}
FORBIDDEN_IN_NAMES = ("token", "invitee", "person", "email", "address", "user")
TIME_FIELDS = (models.DateTimeField, models.TimeField, models.DurationField)
# An HR analyst's work on closed campaigns' written answers: themes and redactions.
ANALYSIS_TABLES = [ThemeAssignment, Redaction, AnswerVector]


@pytest.mark.parametrize("model", RESPONSE_TABLES, ids=lambda model: model.__name__)
def test_the_schema_of_the_response_tables_links_to_no_one(model):
    for field in model._meta.get_fields(include_hidden=True):
        related = field.related_model
        if related is not None:
            assert related not in FORBIDDEN_MODELS, field
            assert related._meta.label != settings.AUTH_USER_MODEL, field
            assert related in {Campaign, Unit, Response, Answer, *ANALYSIS_TABLES}, field
        assert not isinstance(field, TIME_FIELDS), field
        assert not isinstance(field, models.DateField), field  # not even a date
        assert not isinstance(field, models.GenericIPAddressField), field
        name = field.name.lower()
        assert not any(word in name for word in FORBIDDEN_IN_NAMES), field
        # "ip" as a word ("participants" is a count of people, not an address).
        assert "ip" not in name.split("_"), field
    pk = model._meta.pk
    assert isinstance(pk, models.UUIDField) and pk.default is uuid.uuid4
    assert not any(isinstance(field, models.AutoField) for field in model._meta.concrete_fields)


@pytest.mark.parametrize("model", ANALYSIS_TABLES, ids=lambda model: model.__name__)
def test_the_analysis_of_an_answer_names_only_the_analyst(model):
    """A theme or a redaction of an answer points at the answer and the analyst, no one else."""
    for field in model._meta.get_fields(include_hidden=True):
        related = field.related_model
        if related is None:
            continue
        assert related not in {Person, CampaignInvitee, Draft} or field.name == "by", field
        assert related in {Answer, Theme, get_user_model()}, field
        if related is get_user_model():
            assert field.name == "by", field


@pytest.mark.django_db
def test_the_response_tables_have_no_sequence():
    with connection.cursor() as cursor:
        for model in RESPONSE_TABLES:
            table = model._meta.db_table
            columns = connection.introspection.get_table_description(cursor, table)
            if connection.vendor == "postgresql":  # SQLite lists any primary key here
                assert connection.introspection.get_sequences(cursor, table, columns) == []
            assert "int" not in model._meta.pk.db_type(connection).lower()


def _distinct_xmin(campaign) -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM experiences_campaigninvitee WHERE campaign_id = %s",
            [campaign.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def test_after_the_close_nothing_links_an_answer_to_its_author(guide, org):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Experiences",
        guide_version=freeze_guide(guide),
        concepts=["wellbeing", "leadership"],
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=14),
    )
    campaign.units.add(org.university)
    spread = [
        (org.section, RoleGroup.EMPLOYEE, 12),
        (org.section, RoleGroup.MANAGER, 2),
        (org.sibling, RoleGroup.EMPLOYEE, 6),
        (org.other_section, RoleGroup.EMPLOYEE, 5),
        (org.other_section, RoleGroup.MANAGER, 3),
        (org.other_department, RoleGroup.HR, 3),
    ]
    invitees = [
        CampaignInvitee(
            campaign=campaign, email=f"{unit.code}-{group}-{n}@x.org", unit=unit, role_group=group
        )
        for unit, group, count in spread
        for n in range(count)
    ]
    *tokens, late = list(open_campaign(campaign, invitees).values())
    campaign.refresh_from_db()
    assert len(tokens) == 30

    # 30 invitees answer in a known order; the first one about both concepts (so that one
    # response is still pending at the close), one more keeps a draft and never submits.
    for number, token in enumerate(tokens):
        concepts = ["wellbeing", "leadership"] if number == 0 else ["wellbeing"]
        answers = {
            kind: {"1": f"answer number {number:02d}", "2": {"choice": "yes", "why": "It helped"}}
            for kind in concepts
        }
        submit(find_invitee(token), answers, concepts)
    save_draft(find_invitee(late), {"wellbeing": {"1": "half typed"}}, ["wellbeing"])
    is_postgres = connection.vendor == "postgresql"
    if is_postgres:
        assert len(_distinct_xmin(campaign)) > 1  # the last submit is visible before the close

    close_campaign(campaign)

    assert not PendingResponse.objects.exists()
    assert not Draft.objects.exists()
    assert Response.objects.filter(campaign=campaign).count() == 31

    # Ids are random: ordered by pk, the responses are not in the order they were submitted.
    order = [
        int(text.removeprefix("answer number "))
        for text in Answer.objects.filter(question_id=1, response__concept="wellbeing")
        .order_by("response_id")
        .values_list("text", flat=True)
    ]
    assert sorted(order) == list(range(30))
    assert order != list(range(30)) and order != list(range(29, -1, -1))

    # Every reporting group of a response holds at least the minimum of invitees.
    group_sizes = Counter(
        CampaignInvitee.objects.filter(campaign=campaign).values_list(
            "reporting_unit_id", "reporting_role_group"
        )
    )
    for group in Response.objects.values_list("reporting_unit_id", "reporting_role_group"):
        assert group_sizes[group] >= campaign.count_minimum, group

    # No token reached a response.
    texts = list(Answer.objects.values_list("text", flat=True))
    assert all(token not in text for token in [*tokens, late] for text in texts)

    if is_postgres:
        assert len(_distinct_xmin(campaign)) == 1
        # Even the physical order of the rows does not follow the submissions.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.text FROM experiences_answer a JOIN experiences_response r "
                "ON r.id = a.response_id WHERE a.question_id = 1 AND r.concept = 'wellbeing' "
                "ORDER BY r.ctid"
            )
            physical = [int(row[0].removeprefix("answer number ")) for row in cursor.fetchall()]
        assert physical != list(range(30))
