"""The director's overview: for every unit and manager someone oversees, where each concept stands.

One row per unit with a manager (well-being) and one per manager (leadership). A row shows the
latest round that is still current (well-being: ``ROUNDS_WELLBEING_EVERY_MONTHS`` after its date,
leadership: ``ROUNDS_LEADERSHIP_EVERY_MONTHS``), its state, what is overdue, and the HR partner.
Everything is read with a fixed number of queries, whatever the size of the organisation.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dialogues.concepts.models import Concept
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.rules import OVERSEER_ROLES, is_hr_admin, visible_units
from dialogues.rounds.models import Agreement, Round

NOT_STARTED = "not_started"
STATES = [(NOT_STARTED, _("Not started")), *Round.State.choices]
STATE_LABELS = dict(STATES)
HELD_OR_LATER = (Round.State.HELD, Round.State.DOCUMENTED, Round.State.FOLLOWED_UP)

DUE, INVITE, DOCUMENT, FOLLOW_UP, AGREEMENTS = (
    "due",
    "invite",
    "document",
    "follow_up",
    "agreements",
)
OVERDUE_LABELS = {
    DUE: _("Due: no current dialogue"),
    INVITE: _("Invitation overdue"),
    DOCUMENT: _("Documentation overdue"),
    FOLLOW_UP: _("Follow-up overdue"),
}
OPEN_STATUSES = (Agreement.Status.OPEN, Agreement.Status.IN_PROGRESS)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), kept inside shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def round_date(round_: Round) -> date:
    """The day a round happened (or is planned to)."""
    return round_.held_on or timezone.localdate(round_.starts_at)


def months_current(kind: str) -> int:
    if kind == Concept.Kind.LEADERSHIP:
        return settings.ROUNDS_LEADERSHIP_EVERY_MONTHS
    return settings.ROUNDS_WELLBEING_EVERY_MONTHS


def overdue_steps(round_: Round | None, today: date) -> list[str]:
    """The steps of a round that are late: the same rule as the reminders (domain/reminders.py),
    counted from the planned date, on the day the threshold is reached."""
    if round_ is None:
        return [DUE]
    planned = timezone.localdate(round_.starts_at)
    if round_.state == Round.State.PLANNED:
        late = today >= planned - timedelta(days=settings.ROUNDS_INVITE_DAYS_BEFORE)
        return [INVITE] if late else []
    if round_.state in (Round.State.INVITED, Round.State.HELD):
        late = today >= planned + timedelta(days=settings.ROUNDS_DOCUMENT_DAYS_AFTER)
        return [DOCUMENT] if late else []
    if round_.state == Round.State.DOCUMENTED:
        late = today >= planned + timedelta(days=settings.ROUNDS_FOLLOWUP_DAYS_AFTER)
        return [FOLLOW_UP] if late else []
    return []


@dataclass
class Row:
    concept: Concept
    unit: Unit
    manager: Person | None
    round: Round | None = None
    previous: Round | None = None  # the latest round when it is no longer current
    hr_partner: Person | None = None
    overdue: list[str] = field(default_factory=list)
    overdue_agreements: int = 0

    @property
    def state(self) -> str:
        return self.round.state if self.round else NOT_STARTED

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def date(self) -> date | None:
        return round_date(self.round) if self.round else None

    @property
    def is_overdue(self) -> bool:
        return bool(self.overdue or self.overdue_agreements)

    @property
    def overdue_labels(self) -> list[str]:
        labels = [str(OVERDUE_LABELS[code]) for code in self.overdue]
        if self.overdue_agreements:
            labels.append(
                ngettext(
                    "%(count)d agreement past its date",
                    "%(count)d agreements past their date",
                    self.overdue_agreements,
                )
                % {"count": self.overdue_agreements}
            )
        return labels


@dataclass
class Coverage:
    concept: Concept
    counts: dict[str, int]
    total: int
    held_or_later: int

    @property
    def percent(self) -> int:
        """The share of rows held or further along, rounded half up to a whole percentage."""
        if not self.total:
            return 0
        return (200 * self.held_or_later + self.total) // (2 * self.total)

    @property
    def states(self) -> list[tuple[str, str, int]]:
        return [(code, STATE_LABELS[code], self.counts[code]) for code, _label in STATES]


@dataclass
class Filters:
    unit: Unit | None = None
    concept: str = ""
    state: str = ""
    hr_partner: str = ""  # a person's pk, "none" for rows without one, or "" for all
    only_overdue: bool = False


@dataclass
class Overview:
    today: date
    concepts: list[Concept]
    units: list[Unit]
    rows: list[Row]

    @property
    def hr_partners(self) -> list[Person]:
        found = {row.hr_partner.pk: row.hr_partner for row in self.rows if row.hr_partner}
        return sorted(found.values(), key=lambda person: (person.name, person.pk))

    def population(self, filters: Filters) -> list[Row]:
        """The rows the unit, concept and HR partner filters select: what coverage describes."""
        rows = self.rows
        if filters.unit is not None:
            rows = [row for row in rows if row.unit.lineage.startswith(filters.unit.lineage)]
        if filters.concept:
            rows = [row for row in rows if row.concept.kind == filters.concept]
        if filters.hr_partner == "none":
            rows = [row for row in rows if row.hr_partner is None]
        elif filters.hr_partner:
            rows = [
                row
                for row in rows
                if row.hr_partner and str(row.hr_partner.pk) == filters.hr_partner
            ]
        return rows

    def select(self, filters: Filters) -> list[Row]:
        rows = self.population(filters)
        if filters.state:
            rows = [row for row in rows if row.state == filters.state]
        if filters.only_overdue:
            rows = [row for row in rows if row.is_overdue]
        return rows

    def coverage(self, rows: list[Row], concept: str = "") -> list[Coverage]:
        """Per concept (only ``concept`` when given): rows in each state, and the share held."""
        result = []
        for concept_ in self.concepts:
            if concept and concept_.kind != concept:
                continue
            counts = Counter(row.state for row in rows if row.concept.pk == concept_.pk)
            total = sum(counts.values())
            held = sum(counts[state] for state in HELD_OR_LATER)
            full = {code: counts.get(code, 0) for code, _label in STATES}
            result.append(Coverage(concept_, full, total, held))
        return result


def overseen_units(user) -> QuerySet[Unit]:
    """Active units the person may see and answers for: their subtree as director or HR
    partner, every unit for an HR administrator."""
    units = visible_units(user)
    if is_hr_admin(user):
        return units
    condition = Q(pk__in=[])
    for role in OVERSEER_ROLES:
        for scope in user.role_units.get(role, []):
            if scope is not None:
                condition |= Q(lineage__startswith=scope.lineage)
    return units.filter(condition)


def build_overview(user, today: date | None = None) -> Overview:
    """Every row the person oversees, in six queries (plus the person's roles, once)."""
    today = today or timezone.localdate()
    concepts = list(Concept.objects.order_by("position", "pk"))
    by_kind = {concept.kind: concept for concept in concepts}
    scope = overseen_units(user)
    units = {unit.pk: unit for unit in scope.order_by("lineage")}
    manager_roles = RoleAssignment.objects.filter(
        role=Role.MANAGER, unit__in=scope, person__is_active=True
    )
    managers = list(manager_roles.select_related("person").order_by("unit__lineage", "pk"))
    partners = _hr_partners()
    rows: list[Row] = []
    seen_managers: set[int] = set()
    for assignment in managers:
        unit = units[assignment.unit_id]
        partner = _nearest(partners, unit)
        if Concept.Kind.WELLBEING in by_kind:
            wellbeing = by_kind[Concept.Kind.WELLBEING]
            rows.append(Row(wellbeing, unit, assignment.person, hr_partner=partner))
        if Concept.Kind.LEADERSHIP in by_kind and assignment.person_id not in seen_managers:
            seen_managers.add(assignment.person_id)
            leadership = by_kind[Concept.Kind.LEADERSHIP]
            rows.append(Row(leadership, unit, assignment.person, hr_partner=partner))
    _attach_rounds(rows, by_kind, scope, manager_roles.values("person_id"), today)
    rows.sort(key=lambda row: (row.unit.lineage, row.concept.position, row.concept.pk))
    return Overview(today=today, concepts=concepts, units=list(units.values()), rows=rows)


def _row_key(row: Row) -> tuple[str, int]:
    """Well-being rows are a unit's, leadership rows a manager's."""
    if row.concept.kind == Concept.Kind.LEADERSHIP:
        return row.concept.kind, row.manager.pk
    return row.concept.kind, row.unit.pk


def _round_filter(by_kind: dict, scope: QuerySet, managers: QuerySet, prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    if Concept.Kind.WELLBEING in by_kind:
        concept = by_kind[Concept.Kind.WELLBEING]
        condition |= Q(**{f"{prefix}concept": concept, f"{prefix}unit__in": scope})
    if Concept.Kind.LEADERSHIP in by_kind:
        concept = by_kind[Concept.Kind.LEADERSHIP]
        condition |= Q(**{f"{prefix}concept": concept, f"{prefix}manager__in": managers})
    return condition


def _attach_rounds(rows: list[Row], by_kind: dict, scope, managers, today: date) -> None:
    kinds = {concept.pk: kind for kind, concept in by_kind.items()}
    longest = max(months_current(kind) for kind in by_kind) if by_kind else 0
    earliest = add_months(today, -longest)
    since = timezone.make_aware(datetime.combine(earliest, time.min))
    rounds = Round.objects.filter(_round_filter(by_kind, scope, managers)).filter(
        Q(starts_at__gte=since) | Q(held_on__gte=earliest)
    )
    latest: dict[tuple, Round] = {}
    for round_ in rounds.order_by("-starts_at", "-pk"):
        kind = kinds[round_.concept_id]
        owner = round_.manager_id if kind == Concept.Kind.LEADERSHIP else round_.unit_id
        latest.setdefault((kind, owner), round_)
    late_agreements = (
        Agreement.objects.filter(_round_filter(by_kind, scope, managers, prefix="round__"))
        .filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .values("round__concept_id", "round__unit_id", "round__manager_id")
        .annotate(count=Count("pk"))
    )
    agreements: Counter = Counter()
    for item in late_agreements:
        kind = kinds[item["round__concept_id"]]
        owner = item["round__manager_id" if kind == Concept.Kind.LEADERSHIP else "round__unit_id"]
        agreements[kind, owner] += item["count"]
    for row in rows:
        key = _row_key(row)
        round_ = latest.get(key)
        if round_ is not None:
            round_.concept = row.concept
            expires = add_months(round_date(round_), months_current(row.concept.kind))
            if expires > today:
                row.round = round_
            else:
                row.previous = round_
        row.overdue = overdue_steps(row.round, today)
        row.overdue_agreements = agreements[key]


def _hr_partners() -> dict[int, Person]:
    """Active HR partners by the unit they serve (a few dozen rows in a whole university)."""
    partners: dict[int, Person] = {}
    for assignment in (
        RoleAssignment.objects.filter(
            role=Role.HR_PARTNER, unit__isnull=False, unit__is_active=True, person__is_active=True
        )
        .select_related("person")
        .order_by("person__name", "pk")
    ):
        partners.setdefault(assignment.unit_id, assignment.person)
    return partners


def _nearest(partners: dict[int, Person], unit: Unit) -> Person | None:
    """Bulk ``hr_partner_for``: the partner serving the unit or the nearest unit above it."""
    for pk in reversed(unit.ancestor_ids()):
        if pk in partners:
            return partners[pk]
    return None
