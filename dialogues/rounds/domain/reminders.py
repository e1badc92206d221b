"""Reminders for overdue steps: one e-mail per step to the person responsible, and a digest
of the new ones to each HR partner.

A reminder's key (step, round or agreement, and the date it is about) is claimed in
``SentReminder`` inside a transaction that is committed only after the message went out.
A second run finds the key and skips it; a crash or a mail error rolls the claim back so the
next run sends it. Concurrent runs wait on the unique key instead of sending twice. The one
repeat a crash can cause (the server took the message, the run died before its commit) carries
the same Message-ID, derived from the key, so that mail systems can drop it; after three
failures in a row the run stops (``dialogues.common.outbox``).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dialogues.common.outbox import Outbox, message_id
from dialogues.organisation.models import Person
from dialogues.rounds.domain.calendar import concept_name, round_url
from dialogues.rounds.domain.organisation import hr_partner_for
from dialogues.rounds.models import Agreement, Round, SentReminder

State = Round.State
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Reminder:
    kind: str  # invite, document, followup, agreement
    round: Round
    recipient: Person
    about: date  # the planned date, or the agreement's due date
    agreement: Agreement | None = None

    @property
    def key(self) -> str:
        subject = self.agreement.pk if self.agreement else self.round.pk
        return f"{self.kind}:{subject}:{self.about.isoformat()}"


@dataclass
class Report:
    due: int = 0
    sent: int = 0
    already_sent: int = 0
    digests: int = 0
    failed: int = 0
    gave_up: bool = False  # the mail server seemed down: the rest waits for the next run
    sent_keys: list[str] = field(default_factory=list)


def _reachable(person: Person | None, round_: Round) -> Person | None:
    # Someone who has left cannot act on a reminder; the round's manager can.
    if person is not None and person.is_active:
        return person
    return round_.manager if round_.manager.is_active else None


def due_reminders(today: date) -> list[Reminder]:
    """Every step that is overdue on ``today``, whether or not it was reminded already."""
    invite_by = today + timedelta(days=settings.ROUNDS_INVITE_DAYS_BEFORE)
    document_by = today - timedelta(days=settings.ROUNDS_DOCUMENT_DAYS_AFTER)
    followup_by = today - timedelta(days=settings.ROUNDS_FOLLOWUP_DAYS_AFTER)
    rounds = Round.objects.select_related("concept", "unit", "manager", "facilitator").filter(
        Q(state=State.PLANNED, starts_at__date__lte=invite_by)
        | Q(state__in=[State.INVITED, State.HELD], starts_at__date__lte=document_by)
        | Q(state=State.DOCUMENTED, starts_at__date__lte=followup_by)
    )
    found: list[tuple[str, Round, Person | None]] = []
    for round_ in rounds:
        if round_.state == State.PLANNED:
            found.append(("invite", round_, round_.manager))
        elif round_.state == State.DOCUMENTED:
            found.append(("followup", round_, round_.manager))
        elif round_.facilitation == Round.Facilitation.UNIT:
            found.append(("document", round_, round_.manager))
        else:
            found.append(("document", round_, round_.facilitator))
    reminders = [
        Reminder(kind, round_, recipient, timezone.localdate(round_.starts_at))
        for kind, round_, person in found
        if (recipient := _reachable(person, round_))
    ]
    agreements = (
        Agreement.objects.filter(due_on__lt=today)
        .exclude(status__in=[Agreement.Status.DONE, Agreement.Status.DROPPED])
        .select_related("owner", "round__concept", "round__unit", "round__manager")
    )
    for agreement in agreements:
        recipient = _reachable(agreement.owner, agreement.round)
        if recipient:
            reminders.append(
                Reminder("agreement", agreement.round, recipient, agreement.due_on, agreement)
            )
    return reminders


def _language(person: Person) -> str:
    return person.preferred_language or settings.LANGUAGE_CODE


def _step(reminder: Reminder) -> str:
    when = date_format(reminder.about, "DATE_FORMAT")
    if reminder.kind == "invite":
        return _("invitations not sent, planned for %(date)s") % {"date": when}
    if reminder.kind == "document":
        return _("documentation missing, planned for %(date)s") % {"date": when}
    if reminder.kind == "followup":
        return _("follow-up missing, dialogue on %(date)s") % {"date": when}
    return _('agreement "%(what)s" past its date, %(date)s') % {
        "what": reminder.agreement.what,
        "date": when,
    }


def reminder_message(reminder: Reminder) -> EmailMessage:
    person = reminder.recipient
    with translation.override(_language(person)):
        context = {
            "kind": reminder.kind,
            "reminder": reminder,
            "person": person,
            "concept": concept_name(reminder.round),
            "unit": reminder.round.unit.name,
            "date": date_format(timezone.localtime(reminder.round.starts_at), "DATE_FORMAT"),
            "due": date_format(reminder.about, "DATE_FORMAT"),
            "days": settings.ROUNDS_INVITE_DAYS_BEFORE,
            "url": round_url(reminder.round),
        }
        subject = render_to_string("rounds/email/reminder_subject.txt", context)
        body = render_to_string("rounds/email/reminder.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[person.email],
        headers={"Message-ID": message_id("reminder", *reminder.key.split(":"))},
    )


def digest_message(partner: Person, reminders: list[Reminder]) -> EmailMessage:
    with translation.override(_language(partner)):
        items = [
            {
                "unit": reminder.round.unit.name,
                "concept": concept_name(reminder.round),
                "step": _step(reminder),
                "recipient": reminder.recipient.name,
                "url": round_url(reminder.round),
            }
            for reminder in reminders
        ]
        context = {"person": partner, "items": items}
        subject = render_to_string("rounds/email/digest_subject.txt", context)
        body = render_to_string("rounds/email/digest.txt", context)
    # The same items give the same id: a digest repeated after a crash can be dropped.
    items_hash = hashlib.sha256("\n".join(sorted(r.key for r in reminders)).encode()).hexdigest()
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[partner.email],
        headers={"Message-ID": message_id("digest", partner.pk, items_hash[:20])},
    )


def _claim(key: str, recipient: Person) -> bool:
    """Insert the key (inside the caller's transaction); False if it is taken already."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key, recipient=recipient)
    except IntegrityError:
        return False
    return True


def _digest_key(partner: Person, reminder: Reminder) -> str:
    # Per item rather than per day: an item reminded in a run that crashed before its
    # digest still reaches the partner in the next run, whatever day that is.
    return f"digest:{partner.pk}:{reminder.key}"


def _send_digests(reminders: list[Reminder], outbox: Outbox, report: Report, progress) -> None:
    reminded = set(
        SentReminder.objects.filter(key__in=[r.key for r in reminders]).values_list(
            "key", flat=True
        )
    )
    partners: dict[int, Person | None] = {}
    by_partner: dict[int, tuple[Person, list[Reminder]]] = {}
    for reminder in reminders:
        if reminder.key not in reminded:
            continue
        unit = reminder.round.unit
        if unit.pk not in partners:
            partners[unit.pk] = hr_partner_for(unit)
        partner = partners[unit.pk]
        if partner is not None and partner.is_active:
            by_partner.setdefault(partner.pk, (partner, []))[1].append(reminder)
    for done, (partner, items) in enumerate(by_partner.values(), start=1):
        try:
            outbox.open()
            with transaction.atomic():
                new = [item for item in items if _claim(_digest_key(partner, item), partner)]
                if new:
                    outbox.send(digest_message(partner, new))
        except Exception as error:
            outbox.failed(f"The reminder digest to person {partner.pk}", error)
            report.failed += 1
            if outbox.gave_up:
                break
        else:
            if new:
                outbox.sent()
                report.digests += 1
        if progress:
            progress("digests", done, len(by_partner))


def send_reminders(today: date | None = None, progress: Progress | None = None) -> Report:
    """Send every overdue reminder not sent before, then the HR partners' digests.

    A message the mail server did not take is logged and counted in ``failed`` and left for
    the next run; after three failures in a row the run stops with ``gave_up``.
    """
    today = today or timezone.localdate()
    reminders = due_reminders(today)
    report = Report(due=len(reminders))
    already = set(
        SentReminder.objects.filter(key__in=[r.key for r in reminders]).values_list(
            "key", flat=True
        )
    )
    with Outbox() as outbox:
        for done, reminder in enumerate(reminders, start=1):
            if reminder.key in already:
                report.already_sent += 1
            else:
                try:
                    outbox.open()
                    with transaction.atomic():
                        claimed = _claim(reminder.key, reminder.recipient)
                        if claimed:
                            outbox.send(reminder_message(reminder))
                except Exception as error:
                    outbox.failed(f"Reminder {reminder.key}", error)
                    report.failed += 1
                    if outbox.gave_up:
                        break
                else:
                    if claimed:
                        outbox.sent()
                        report.sent += 1
                        report.sent_keys.append(reminder.key)
                    else:
                        report.already_sent += 1
            if progress:
                progress("reminders", done, len(reminders))
        if not outbox.gave_up:
            _send_digests(reminders, outbox, report, progress)
        report.gave_up = outbox.gave_up
    return report
