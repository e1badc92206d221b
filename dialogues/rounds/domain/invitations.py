"""Invite: one e-mail per invitee, in their language, with the dialogue in a calendar file.

Each invitation is marked sent right after its message went out, in the same transaction
that locks it, so a second call (after a crash or a failing mail server) sends only the rest
and nothing is marked sent that was not.
"""

import logging
from datetime import timedelta
from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from dialogues.organisation.models import Person
from dialogues.rounds.domain import calendar
from dialogues.rounds.domain.history import record
from dialogues.rounds.domain.steps import StepRefused, check_invitable
from dialogues.rounds.models import Invitation, Round

logger = logging.getLogger(__name__)


class InvitationsIncomplete(StepRefused):
    """The mail server failed part-way; the ones sent are marked, the rest wait for a retry."""

    def __init__(self, sent: int, total: int):
        super().__init__(
            _(
                "%(sent)s of %(total)s invitations were sent; "
                "the rest will be sent when you try again."
            )
            % {"sent": sent, "total": total}
        )
        self.sent, self.total = sent, total


def calendar_part(ics: str) -> MIMEPart:
    # Built by hand: EmailMessage.attach() cannot carry the method=REQUEST parameter.
    # Base64 keeps the CRLF line endings of the file exactly.
    part = MIMEPart()
    part.set_content(
        ics.encode("utf-8"),
        maintype="text",
        subtype="calendar",
        params={"method": "REQUEST", "charset": "utf-8"},
        disposition="attachment",
        filename="dialogue.ics",
    )
    return part


def invitation_message(round_: Round, person: Person) -> EmailMessage:
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "round": round_,
            "person": person,
            "concept_name": calendar.concept_name(round_, language),
            "purpose": round_.concept.purpose,
            "method": calendar.method_text(),
            "facilitator": calendar.facilitator_label(round_),
            "starts_at": timezone.localtime(round_.starts_at),
            "ends_at": timezone.localtime(round_.starts_at)
            + timedelta(minutes=round_.duration_minutes),
            "url": calendar.round_url(round_),
        }
        subject = render_to_string("rounds/email/invitation_subject.txt", context)
        body = render_to_string("rounds/email/invitation.txt", context)
        ics = calendar.round_calendar(round_, language=language, attendee=person)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[person.email],
        reply_to=[round_.manager.email],
    )
    message.attach(calendar_part(ics))
    return message


def _pending(round_: Round):
    # People who have left are not written to; they stay unmarked on the round.
    return round_.invitations.filter(person__is_active=True)


def send_invitations(round_: Round, actor) -> int:
    """Send the invitations not sent yet; return how many went out in this call."""
    check_invitable(round_)
    total = _pending(round_).count()
    pending = list(_pending(round_).filter(sent_at__isnull=True).values_list("pk", flat=True))
    sent = 0
    try:
        with mailers.default as connection:
            for pk in pending:
                with transaction.atomic():
                    invitation = (
                        Invitation.objects.select_for_update(of=("self",))
                        .select_related("person")
                        .filter(pk=pk, sent_at__isnull=True)
                        .first()
                    )
                    if invitation is None:  # sent meanwhile by a concurrent request
                        continue
                    connection.send_messages([invitation_message(round_, invitation.person)])
                    invitation.sent_at = timezone.now()
                    invitation.save(update_fields=["sent_at"])
                sent += 1
    except Exception as exc:
        logger.exception("Sending the invitations of round %s failed", round_.pk)
        done = _pending(round_).filter(sent_at__isnull=False).count()
        raise InvitationsIncomplete(done, total) from exc

    now = timezone.now()
    with transaction.atomic():
        changed = Round.objects.filter(pk=round_.pk, state=Round.State.PLANNED).update(
            state=Round.State.INVITED, invited_at=now
        )
        if changed:
            round_.state, round_.invited_at = Round.State.INVITED, now
            record(round_, actor, "invited", count=total)
    return sent
