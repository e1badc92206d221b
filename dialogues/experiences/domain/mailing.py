"""Invitations and reminders of a campaign: a personal link by e-mail, in the invitee's language.

Each message is sent inside a transaction that locks its invitee and is committed only after
the mail server took the message, with ``invited_on`` or the reminder count set in it: a run
that is killed or meets a failing mail server leaves the rest unmarked, and the next run sends
exactly those. The one repeat a crash can cause (the server took the message, the run died
before its commit) carries the same link, which is derived, and the same Message-ID, which
names the campaign, the invitee and the message (``invitation``, ``reminder-1``, …), so that
mail systems can drop it (``dialogues.common.outbox``).
Reminders go only to invitees who have not answered, at most ``reminder_limit`` of them,
``reminder_interval_days`` apart, and never after the close date.
"""

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from dialogues.common.outbox import Outbox, message_id
from dialogues.concepts.models import Concept
from dialogues.experiences.domain.links import current_link, link_url
from dialogues.experiences.models import Campaign, CampaignInvitee

Progress = Callable[[str, int, int], None]

__all__ = [
    "MailReport",
    "due_reminders",
    "invitation_message",
    "send_campaign_mail",
    "send_invitations",
    "send_reminders",
    "unsent_invitations",
]


@dataclass
class MailReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # answered, or no address, by the time their turn came
    gave_up: bool = False

    def __iadd__(self, other: "MailReport") -> "MailReport":
        self.sent += other.sent
        self.failed += other.failed
        self.skipped += other.skipped
        self.gave_up = self.gave_up or other.gave_up
        return self


def _address(invitee: CampaignInvitee) -> str:
    if invitee.person_id is not None:
        return invitee.person.email if invitee.person.is_active else ""
    return invitee.email


def _concept_names(campaign: Campaign) -> list[str]:
    names = {concept.kind: concept.name for concept in Concept.objects.all()}
    return [names.get(kind, kind) for kind in campaign.concepts]


def _message(invitee: CampaignInvitee, kind: str, today: date) -> EmailMessage:
    campaign = invitee.campaign
    with translation.override(invitee.language or settings.LANGUAGE_CODE):
        context = {
            "kind": kind,
            "campaign": campaign,
            "name": invitee.person.name if invitee.person_id else "",
            "concepts": _concept_names(campaign),
            "invitation_text": campaign.invitation_text,
            "closes_on": date_format(campaign.closes_on, "DATE_FORMAT"),
            "days_left": (campaign.closes_on - today).days,
            "url": link_url(current_link(invitee)),
        }
        subject = render_to_string("experiences/email/campaign_subject.txt", context)
        body = render_to_string("experiences/email/campaign.txt", context)
    # Under the invitee's lock: a repeat of this message after a crash gets the same id.
    which = kind if kind == "invitation" else f"reminder-{invitee.reminders_sent + 1}"
    identity = message_id(f"campaign-{campaign.pk}", f"invitee-{invitee.pk}", which)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[_address(invitee)],
        headers={"Message-ID": identity},
    )


def invitation_message(invitee: CampaignInvitee, today: date | None = None) -> EmailMessage:
    return _message(invitee, "invitation", today or timezone.localdate())


def _sendable(campaign: Campaign, today: date) -> bool:
    is_open = campaign.status == Campaign.Status.OPEN
    return is_open and campaign.opens_on <= today <= campaign.closes_on


def unsent_invitations(campaign: Campaign):
    return campaign.invitees.filter(invited_on__isnull=True, answered=False)


def due_reminders(campaign: Campaign, today: date):
    """The invitees to remind on ``today``: invited, not answered, and their turn has come."""
    if not _sendable(campaign, today):
        return campaign.invitees.none()
    latest = today - timedelta(days=campaign.reminder_interval_days)
    return (
        campaign.invitees.filter(
            answered=False, invited_on__isnull=False, reminders_sent__lt=campaign.reminder_limit
        )
        .annotate(last_mail=Coalesce("last_reminded_on", "invited_on"))
        .filter(last_mail__lte=latest)
    )


def _this_or_a_new(outbox: Outbox | None):
    """The caller's outbox (left open for it), or one of our own for this call."""
    return nullcontext(outbox) if outbox is not None else Outbox()


def _send_each(
    campaign: Campaign,
    pending: list[int],
    claim: Q,
    kind: str,
    mark: dict,
    today: date,
    progress: Progress | None,
    outbox: Outbox | None,
) -> MailReport:
    report = MailReport()
    label = "invitations" if kind == "invitation" else "reminders"
    with _this_or_a_new(outbox) as outbox:
        for done, pk in enumerate(pending, start=1):
            try:
                outbox.open()
                with transaction.atomic():
                    invitee = (
                        CampaignInvitee.objects.select_for_update(of=("self",))
                        .select_related("person", "campaign")
                        .filter(claim, pk=pk, answered=False)
                        .first()
                    )
                    if invitee is None or not _address(invitee):
                        report.skipped += 1
                        continue
                    outbox.send(_message(invitee, kind, today))
                    CampaignInvitee.objects.filter(pk=pk).update(**mark)
            except Exception as error:
                outbox.failed(f"The {kind} of campaign {campaign.pk} to invitee {pk}", error)
                report.failed += 1
                if outbox.gave_up:
                    report.gave_up = True
                    break
            else:
                outbox.sent()
                report.sent += 1
            finally:
                if progress:
                    progress(label, done, len(pending))
    return report


def send_invitations(
    campaign: Campaign,
    today: date | None = None,
    progress: Progress | None = None,
    outbox: Outbox | None = None,
) -> MailReport:
    """Send every invitation not sent yet (an open campaign, from its open to its close date).

    A run that sends more than this passes its ``outbox``, so that failures in a row count
    across all it sends.
    """
    today = today or timezone.localdate()
    if not _sendable(campaign, today):
        return MailReport()
    pending = list(unsent_invitations(campaign).order_by("pk").values_list("pk", flat=True))
    return _send_each(
        campaign,
        pending,
        Q(invited_on__isnull=True),
        "invitation",
        {"invited_on": today},
        today,
        progress,
        outbox,
    )


def send_reminders(
    campaign: Campaign,
    today: date | None = None,
    progress: Progress | None = None,
    outbox: Outbox | None = None,
) -> MailReport:
    """Remind everyone whose turn has come (see ``due_reminders``)."""
    today = today or timezone.localdate()
    due = due_reminders(campaign, today)
    pending = list(due.order_by("pk").values_list("pk", flat=True))
    # Checked again under the lock: a second run, or an answer, may have come in between.
    still_due = Q(pk__in=due.values("pk"))
    return _send_each(
        campaign,
        pending,
        still_due,
        "reminder",
        {"reminders_sent": F("reminders_sent") + 1, "last_reminded_on": today},
        today,
        progress,
        outbox,
    )


def send_campaign_mail(
    campaign: Campaign,
    today: date | None = None,
    progress: Progress | None = None,
    outbox: Outbox | None = None,
) -> MailReport:
    """Invitations not sent yet, then the reminders due: what the periodic job runs."""
    with _this_or_a_new(outbox) as outbox:
        report = send_invitations(campaign, today, progress, outbox)
        if not report.gave_up:
            report += send_reminders(campaign, today, progress, outbox)
    return report
