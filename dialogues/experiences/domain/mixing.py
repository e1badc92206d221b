"""The mixer: pending responses become responses in batches, in random order (docs/anonymity.md).

A batch is written in one transaction that also touches every invitee row of the campaign, so
that on PostgreSQL neither the order of the rows, their ids, nor the transaction that wrote them
(``xmin``) ties a response to the invitee who gave it.
"""

import secrets
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dialogues.experiences.domain.anonymity import CampaignRefused
from dialogues.experiences.models import (
    Answer,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
)

__all__ = ["close_campaign", "mix", "mix_open_campaigns", "write_responses"]


def write_responses(responses: Sequence[Response], answers: Sequence[dict]) -> list[Response]:
    """Insert responses with their answers (``{question id: {"choice", "text"}}``), in order."""
    Response.objects.bulk_create(responses)
    rows = [
        Answer(response=response, question_id=int(key), choice=part["choice"], text=part["text"])
        for response, given in zip(responses, answers, strict=True)
        for key, part in given.items()
    ]
    Answer.objects.bulk_create(rows, batch_size=2000)
    return list(responses)


def mix(campaign: Campaign, force: bool = False) -> int:
    """Move the campaign's pending responses to ``Response``, shuffled; returns how many.

    Only when at least ``count_minimum`` are waiting, unless ``force`` (at the close).
    """
    if not force and (
        PendingResponse.objects.filter(campaign_id=campaign.pk).count() < campaign.count_minimum
    ):
        return 0
    with transaction.atomic():
        # One mixer at a time per campaign. FOR NO KEY UPDATE: a submit's INSERT of a pending
        # response takes FOR KEY SHARE on the campaign row (the foreign key) at its commit, and
        # must not wait for a mixer that is itself waiting for that submit's invitee row.
        locked = Campaign.objects.select_for_update(no_key=True).get(pk=campaign.pk)
        # First touch every invitee row: this waits for submits holding an invitee's lock, so
        # every submit either is committed (and read below) or sees the campaign's new state;
        # and every invitee row gets this transaction's xmin.
        CampaignInvitee.objects.filter(campaign_id=locked.pk).update(
            reminders_sent=F("reminders_sent")
        )
        pending = list(PendingResponse.objects.select_for_update().filter(campaign_id=locked.pk))
        if not pending or (not force and len(pending) < locked.count_minimum):
            return 0
        secrets.SystemRandom().shuffle(pending)
        write_responses(
            [
                Response(
                    campaign_id=locked.pk,
                    concept=row.concept,
                    reporting_unit_id=row.reporting_unit_id,
                    reporting_role_group=row.reporting_role_group,
                    source=Response.Source.QUESTIONNAIRE,
                )
                for row in pending
            ],
            [row.answers for row in pending],
        )
        PendingResponse.objects.filter(pk__in=[row.pk for row in pending]).delete()
    return len(pending)


def mix_open_campaigns() -> int:
    """The periodic mixer (run with the reminders): every open campaign with enough waiting."""
    moved = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN):
        moved += mix(campaign)
    return moved


def close_campaign(campaign: Campaign) -> int:
    """Close an open campaign: mix every pending response, delete the drafts left.

    Returns how many responses the last mix moved.
    """
    with transaction.atomic():
        locked = Campaign.objects.select_for_update(no_key=True).get(pk=campaign.pk)
        if locked.status != Campaign.Status.OPEN:
            raise CampaignRefused(_("Only an open campaign can be closed."))
        locked.status = Campaign.Status.CLOSED
        locked.save(update_fields=["status"])
    # Committed first, so a submit that waits for the mixer's invitee lock sees the close.
    campaign.status = Campaign.Status.CLOSED
    with transaction.atomic():
        moved = mix(locked, force=True)
        Draft.objects.filter(campaign_id=locked.pk).delete()
    return moved
