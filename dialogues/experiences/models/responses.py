"""Answers: the respondent's draft, submitted answers waiting to be mixed, and the mixed responses.

docs/anonymity.md fixes what may be stored. ``Draft`` is the respondent's own (keyed by the
link's hash, deleted in the transaction that submits). ``PendingResponse``, ``Response`` and
``Answer`` — the *response tables* — hold no person, invitee, token, IP address or time, and
their keys are random UUIDs, never sequences; ``tests/test_unlinkable.py`` proves it.
"""

import uuid

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogues.experiences.models.guide import Choice
from dialogues.experiences.rolegroups import REPORTING_ROLE_GROUP_CHOICES

# The longest text an answer (an open answer or a "why") may have.
ANSWER_MAX_LENGTH = 5000


def concept_choices():
    from dialogues.concepts.models import Concept

    return Concept.Kind.choices


class Draft(models.Model):
    """The answers typed so far through one personal link; deleted when they are submitted.

    ``answers`` is ``{concept kind: {question id: answer}}`` as the page sends it (see
    ``domain.answering``); it may hold a text over the limit, so that nothing typed is lost.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    campaign = models.ForeignKey(
        "experiences.Campaign", on_delete=models.CASCADE, related_name="drafts"
    )
    answers = models.JSONField(default=dict, blank=True)
    concepts = models.JSONField(default=list, blank=True)
    # The respondent's own row, gone at the submit or the close: a time here links nothing.
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft answer")
        verbose_name_plural = _("draft answers")

    def __str__(self) -> str:
        return f"draft for {self.campaign}"


class ReportedAnswers(models.Model):
    """What a stored answer carries besides its campaign: a concept and a reporting group.

    A random key and nothing that points to a person, an invitation or a time.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    concept = models.CharField(_("concept"), max_length=20, choices=concept_choices)
    reporting_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporting_role_group = models.CharField(
        _("reporting role group"), max_length=16, choices=REPORTING_ROLE_GROUP_CHOICES
    )

    class Meta:
        abstract = True


class PendingResponse(ReportedAnswers):
    """One concept's submitted answers, waiting for the mixer (``domain.mixing.mix``).

    The answers stay JSON here (``{question id: {"choice": ..., "text": ...}}``): a submission
    is then one INSERT per concept, and only the mixer, in its batch, writes ``Answer`` rows.
    """

    campaign = models.ForeignKey(
        "experiences.Campaign", on_delete=models.CASCADE, related_name="pending_responses"
    )
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("response waiting to be mixed")
        verbose_name_plural = _("responses waiting to be mixed")

    def __str__(self) -> str:
        return f"{self.campaign}: {self.concept} (pending)"


class Response(ReportedAnswers):
    """One concept's answers from a questionnaire or a group interview, after mixing.

    No date: a response belongs to its campaign, whose close date is the only date it has.
    """

    class Source(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        INTERVIEW = "interview", _("Group interview")

    campaign = models.ForeignKey(
        "experiences.Campaign", on_delete=models.PROTECT, related_name="responses"
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.QUESTIONNAIRE
    )
    # Interviews only: how many people took part, and their role groups (no one is named).
    participants = models.PositiveSmallIntegerField(_("participants"), null=True, blank=True)
    role_groups_present = models.JSONField(_("role groups present"), default=list, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["campaign", "concept"], name="response_campaign_concept")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="questionnaire") & Q(participants__isnull=True))
                | (Q(source="interview") & Q(participants__gte=1)),
                name="response_participants_only_for_interviews",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.concept} ({self.source})"


class Answer(models.Model):
    """The answer to one question of the campaign's frozen guide version.

    Rows rather than JSON on the response: the summaries count choices and gather texts per
    question, group and concept, which is a plain GROUP BY over this table (and the texts can
    be read question by question without loading whole questionnaires).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # The question's id in the frozen snapshot (GuideVersion.snapshot), not a foreign key:
    # the guide's live questions may change or go; the snapshot does not.
    question_id = models.PositiveIntegerField(_("question"))
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices, blank=True)
    text = models.TextField(
        _("text"),
        max_length=ANSWER_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)],
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_id"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice or self.text[:40]}"
