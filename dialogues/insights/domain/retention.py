"""Deleting a campaign's answers when its time is up (``manage.py delete_expired_answers``).

A closed campaign keeps its answers for ``Campaign.retention_days`` after its close date (the
organisation's ``EXPERIENCES_ANSWER_RETENTION_DAYS``, or fewer if the campaign chose). From
``Campaign.answers_expire_on`` on, the periodic job deletes everything that came from the
answers: the questionnaire responses and group interviews with their answers, the analysts'
themes, theme history, hand coding and redactions, the answers' vectors, and any draft or
pending response left. The campaign row stays, with ``answers_deleted_at``, as the record that
it was held; its invitees stay too (who was invited and whether they answered, never what).

The campaign is marked first, so that no results page shows a half-deleted campaign; then the
responses go in batches, each in its own short transaction (SQLite lets one writer in at a
time, and respondents of other campaigns must not wait for a long delete). Killed half-way, the
next run finds the campaign due and deletes the rest; a run with nothing left deletes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from dialogues.experiences.models import Answer, Campaign, Draft, PendingResponse, Response
from dialogues.insights.models import AnswerVector, Redaction, Theme, ThemeAssignment, ThemeEdit

Progress = Callable[[str, int, int], None]
# Responses deleted per transaction: about 15,000 answers with a two-concept guide.
BATCH_SIZE = 500

# What is counted and reported, in this order (the keys of ``Deletion.counts``).
PARTS = (
    "responses",
    "interviews",
    "answers",
    "vectors",
    "theme_assignments",
    "redactions",
    "themes",
    "theme_edits",
    "drafts",
    "pending_responses",
)
# The model each part's rows are counted by in what ``QuerySet.delete()`` returns.
_LABELS = {
    Answer._meta.label: "answers",
    AnswerVector._meta.label: "vectors",
    ThemeAssignment._meta.label: "theme_assignments",
    Redaction._meta.label: "redactions",
    Theme._meta.label: "themes",
    ThemeEdit._meta.label: "theme_edits",
    Draft._meta.label: "drafts",
    PendingResponse._meta.label: "pending_responses",
}


@dataclass
class Deletion:
    """What was (or, in a dry run, would be) deleted of one campaign."""

    campaign: Campaign
    counts: Counter = field(default_factory=Counter)
    # True when this run marked the campaign (its answers were not deleted before).
    marked: bool = False

    @property
    def anything(self) -> bool:
        return self.marked or any(self.counts.values())


def is_due(campaign: Campaign, today: date) -> bool:
    return campaign.status == Campaign.Status.CLOSED and today >= campaign.answers_expire_on


def due_campaigns(today: date | None = None, campaigns: Iterable[Campaign] | None = None):
    """The closed campaigns whose answers are due for deletion on ``today``, oldest first."""
    today = today or timezone.localdate()
    if campaigns is None:
        campaigns = Campaign.objects.filter(status=Campaign.Status.CLOSED).order_by(
            "closes_on", "pk"
        )
    # Each campaign may have its own number of days: decided per row, over the few closed ones.
    return [campaign for campaign in campaigns if is_due(campaign, today)]


def answers_left(campaign: Campaign) -> Counter:
    """How many rows of each part the campaign still has (what a dry run reports)."""
    responses = Response.objects.filter(campaign=campaign)
    answers = {"answer__response__campaign": campaign}
    return Counter(
        {
            "responses": responses.filter(source=Response.Source.QUESTIONNAIRE).count(),
            "interviews": responses.filter(source=Response.Source.INTERVIEW).count(),
            "answers": Answer.objects.filter(response__campaign=campaign).count(),
            "vectors": AnswerVector.objects.filter(**answers).count(),
            "theme_assignments": ThemeAssignment.objects.filter(**answers).count(),
            "redactions": Redaction.objects.filter(**answers).count(),
            "themes": Theme.objects.filter(campaign=campaign).count(),
            "theme_edits": ThemeEdit.objects.filter(campaign=campaign).count(),
            "drafts": Draft.objects.filter(campaign=campaign).count(),
            "pending_responses": PendingResponse.objects.filter(campaign=campaign).count(),
        }
    )


def _add(counts: Counter, deleted: dict[str, int]) -> None:
    for label, number in deleted.items():
        if label in _LABELS:
            counts[_LABELS[label]] += number


def delete_answers(campaign: Campaign, progress: Progress | None = None, now=None) -> Deletion:
    """Delete every answer of ``campaign`` and what was made of them; keep the campaign."""
    step = progress or (lambda stage, done, total: None)
    deletion = Deletion(campaign)
    # Marked before anything goes: from here on the results pages say the answers are deleted.
    deletion.marked = bool(
        Campaign.objects.filter(pk=campaign.pk, answers_deleted_at__isnull=True).update(
            answers_deleted_at=now or timezone.now()
        )
    )
    campaign.refresh_from_db(fields=["answers_deleted_at"])
    total = Response.objects.filter(campaign=campaign).count()
    done = 0
    stage = f"{campaign.pk}: {campaign}"
    step(stage, 0, total)
    for source, part in (
        (Response.Source.QUESTIONNAIRE, "responses"),
        (Response.Source.INTERVIEW, "interviews"),
    ):
        while True:
            with transaction.atomic():
                batch = list(
                    Response.objects.filter(campaign=campaign, source=source).values_list(
                        "pk", flat=True
                    )[:BATCH_SIZE]
                )
                if not batch:
                    break
                _number, deleted = Response.objects.filter(pk__in=batch).delete()
            deletion.counts[part] += deleted.get(Response._meta.label, 0)
            _add(deletion.counts, deleted)
            done += len(batch)
            step(stage, done, max(total, done))
    with transaction.atomic():
        for rows in (
            Theme.objects.filter(campaign=campaign),
            ThemeEdit.objects.filter(campaign=campaign),
            Draft.objects.filter(campaign=campaign),
            PendingResponse.objects.filter(campaign=campaign),
        ):
            _add(deletion.counts, rows.delete()[1])
    return deletion


def delete_expired_answers(
    today: date | None = None,
    *,
    campaigns: Iterable[Campaign] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> list[Deletion]:
    """Delete the answers of every campaign that is due; returns what went, campaign by campaign.

    A campaign already deleted is looked at again (an interview recorded late, a run killed
    half-way) but is only reported when something was left. ``dry_run`` counts, deletes nothing.
    """
    found = []
    for campaign in due_campaigns(today, campaigns):
        if dry_run:
            deletion = Deletion(
                campaign, answers_left(campaign), marked=campaign.answers_deleted_at is None
            )
        else:
            deletion = delete_answers(campaign, progress)
        if deletion.anything:
            found.append(deletion)
    return found
