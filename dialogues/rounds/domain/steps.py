"""The path of a round: plan → invite → hold → document → follow up.

Each step checks that the round is ready for it and says why not (``StepRefused``);
every change is kept in the round's history. Views, commands and the demo call these.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.concepts.models import Concept
from dialogues.rounds.domain.history import record
from dialogues.rounds.models import Agreement, Essential, Invitation, PlanningMember, Round

State = Round.State


class StepRefused(Exception):
    """The round is not ready for this step; the message says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StaleDocumentation(Exception):
    """Someone else saved the documentation after this form was opened."""

    def __init__(self, current: Round):
        super().__init__("stale documentation")
        self.current = current


@dataclass
class Plan:
    concept: Concept
    unit: object
    manager: object
    starts_at: datetime
    duration_minutes: int
    place: str
    facilitation: str
    facilitator: object | None
    invitees: list
    planning_group: dict  # seat -> person (leadership only)
    representatives: list  # AMR, LSU, AMK (well-being only)


def plan_round(plan: Plan, actor) -> Round:
    """Create a planned round with its invitees, planning group and linked representatives."""
    with transaction.atomic():
        round_ = Round.objects.create(
            concept=plan.concept,
            unit=plan.unit,
            manager=plan.manager,
            starts_at=plan.starts_at,
            duration_minutes=plan.duration_minutes,
            place=plan.place,
            facilitation=plan.facilitation,
            facilitator=plan.facilitator,
            created_by=actor,
        )
        Invitation.objects.bulk_create(
            [Invitation(round=round_, person=person) for person in plan.invitees]
        )
        if plan.concept.kind == Concept.Kind.LEADERSHIP:
            PlanningMember.objects.bulk_create(
                [
                    PlanningMember(round=round_, seat=seat, person=person)
                    for seat, person in plan.planning_group.items()
                ]
            )
        else:
            round_.linked_representatives.set(plan.representatives)
        record(round_, actor, "planned", invitees=len(plan.invitees))
    return round_


def update_plan(round_: Round, actor, changes: dict, invitees: list | None = None) -> None:
    """Change the date, place or facilitation of a round that has not been held yet."""
    if round_.reached(State.HELD):
        raise StepRefused(_("The dialogue has been held: its plan can no longer change."))
    with transaction.atomic():
        changed = {
            name: str(value) for name, value in changes.items() if getattr(round_, name) != value
        }
        for name, value in changes.items():
            setattr(round_, name, value)
        round_.save()
        if invitees is not None:
            current = set(round_.invitations.values_list("person_id", flat=True))
            wanted = {person.pk for person in invitees}
            round_.invitations.filter(person_id__in=current - wanted).delete()
            Invitation.objects.bulk_create(
                [Invitation(round=round_, person_id=pk) for pk in wanted - current]
            )
            if wanted != current:
                changed["invitees"] = len(wanted)
        if changed:
            record(round_, actor, "plan_changed", **changed)


def check_invitable(round_: Round, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if round_.state != State.PLANNED:
        raise StepRefused(_("The invitations have already been sent."))
    if timezone.localdate(round_.starts_at) < today:
        raise StepRefused(
            _("The planned date has passed. Move the dialogue to a new date before inviting.")
        )
    if not round_.invitations.filter(person__is_active=True).exists():
        raise StepRefused(_("Nobody is invited yet. Add the invitees to the plan first."))


def mark_held(round_: Round, actor, held_on: date) -> None:
    if round_.state == State.PLANNED:
        raise StepRefused(
            _("The invitations have not been sent: a dialogue is held after its invitation.")
        )
    if round_.state != State.INVITED:
        raise StepRefused(_("The dialogue is already registered as held."))
    if held_on > timezone.localdate():
        raise StepRefused(_("A dialogue cannot be registered as held on a future date."))
    if held_on < timezone.localdate(round_.invited_at or round_.starts_at):
        raise StepRefused(_("The dialogue cannot have been held before it was invited to."))
    round_.state, round_.held_on = State.HELD, held_on
    round_.save(update_fields=["state", "held_on"])
    record(round_, actor, "held", held_on=held_on.isoformat())


def save_documentation(
    round_: Round,
    actor,
    *,
    version: int,
    plenary: str,
    tools: dict[str, bool],
    essentials: list[dict],
    agreements: list[dict],
) -> Round:
    """Replace the documentation, unless someone saved it since ``version`` was read.

    ``essentials``: dicts with group and text. ``agreements``: dicts with what, owner and
    due_on, and for existing agreements their pk (kept, with their status).
    """
    if not round_.reached(State.HELD):
        raise StepRefused(
            _("The dialogue has not been registered as held: document it after it was held.")
        )
    with transaction.atomic():
        current = Round.objects.select_for_update().get(pk=round_.pk)
        if current.documentation_version != version:
            raise StaleDocumentation(current)
        current.plenary = plenary
        for name, used in tools.items():
            setattr(current, name, used)
        current.documentation_version += 1
        if current.state == State.HELD:
            current.state, current.documented_at = State.DOCUMENTED, timezone.now()
        current.save()
        current.essentials.all().delete()
        Essential.objects.bulk_create(
            [
                Essential(round=current, group=item["group"], text=item["text"], position=n)
                for n, item in enumerate(essentials)
            ]
        )
        _replace_agreements(current, agreements)
        record(
            current,
            actor,
            "documented",
            version=current.documentation_version,
            essentials=len(essentials),
            agreements=len(agreements),
        )
    return current


def _replace_agreements(round_: Round, agreements: list[dict]) -> None:
    kept = {item["pk"] for item in agreements if item.get("pk")}
    round_.agreements.exclude(pk__in=kept).delete()
    existing = {a.pk: a for a in round_.agreements.all()}
    for position, item in enumerate(agreements):
        agreement = existing.get(item.get("pk")) or Agreement(round=round_)
        agreement.what, agreement.owner, agreement.due_on = (
            item["what"],
            item["owner"],
            item["due_on"],
        )
        agreement.position = position
        agreement.save()


def record_followup(round_: Round, actor, fields: dict) -> None:
    """Leadership: the follow-up with the manager's own manager and the feedback to the
    employees. Well-being: how the documentation was shared and followed up in the unit."""
    if not round_.reached(State.DOCUMENTED):
        raise StepRefused(_("Document the dialogue before recording its follow-up."))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(round_, name, value)
        complete = (
            bool(
                round_.followup_held_on
                and round_.feedback_to_employees
                and round_.feedback_given_on
            )
            if round_.is_leadership
            else bool(round_.followup_held_on and round_.followup_notes)
        )
        if complete and round_.state == State.DOCUMENTED:
            round_.state, round_.followed_up_at = State.FOLLOWED_UP, timezone.now()
        round_.save()
        record(round_, actor, "followed_up" if complete else "followup_saved")


def set_agreement_status(agreement: Agreement, actor, status: str, reason: str = "") -> None:
    if status == Agreement.Status.DROPPED and not reason.strip():
        raise StepRefused(_("Say why the agreement was dropped."))
    before = agreement.status
    agreement.status = status
    agreement.dropped_reason = reason.strip() if status == Agreement.Status.DROPPED else ""
    agreement.save(update_fields=["status", "dropped_reason", "updated_at"])
    record(
        agreement.round,
        actor,
        "agreement_status",
        agreement=agreement.pk,
        before=before,
        after=status,
    )
