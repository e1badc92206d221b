"""Who a round involves, read from the organisation: planning group, invitees, representatives."""

from django.db.models import Q, QuerySet

from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.rounds.models import PlanningMember

DEPARTMENT_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.CENTRE, Unit.Kind.UNIVERSITY)


def _holders(role: str, unit_ids: list[int]) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(
        role=role, unit_id__in=unit_ids, person__is_active=True
    ).select_related("person", "unit")


def _nearest(role: str, unit: Unit) -> Person | None:
    """The holder of ``role`` in the unit or the nearest unit above it."""
    ancestry = unit.ancestor_ids()
    # Two holders in one unit: the first by name, so that every page agrees.
    holders = {a.unit_id: a.person for a in _holders(role, ancestry).order_by("-person__name")}
    for unit_id in reversed(ancestry):
        if unit_id in holders:
            return holders[unit_id]
    return None


def department_of(unit: Unit) -> Unit:
    """The department or centre a unit belongs to (itself if it is one)."""
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids())}
    for unit_id in reversed(unit.ancestor_ids()):
        if units[unit_id].kind in DEPARTMENT_KINDS:
            return units[unit_id]
    return unit


def manager_of(unit: Unit) -> Person | None:
    assignment = _holders(Role.MANAGER, [unit.pk]).first()
    return assignment.person if assignment else None


def suggested_planning_group(unit: Unit) -> dict[str, Person | None]:
    """Head of department, LSU vice-chair and HR partner for a leadership round in ``unit``."""
    return {
        PlanningMember.Seat.DIRECTOR: _nearest(Role.DIRECTOR, unit),
        PlanningMember.Seat.LSU_VICE_CHAIR: _nearest(Role.LSU_VICE_CHAIR, unit),
        PlanningMember.Seat.HR_PARTNER: _nearest(Role.HR_PARTNER, unit),
    }


def responsible_director(unit: Unit) -> Person | None:
    return _nearest(Role.DIRECTOR, unit)


def hr_partner_for(unit: Unit) -> Person | None:
    return _nearest(Role.HR_PARTNER, unit)


def default_invitees(is_leadership: bool, unit: Unit, manager: Person) -> QuerySet[Person]:
    """Leadership: the manager's own employees. Well-being: everyone in the unit and below."""
    people = Person.objects.filter(is_active=True).exclude(pk=manager.pk)
    if is_leadership:
        reports = people.filter(manager=manager)
        if reports.exists():
            return reports
        return people.filter(unit=unit)
    return people.filter(unit__lineage__startswith=unit.lineage)


def representatives(unit: Unit) -> QuerySet[Person]:
    """For a well-being round: the unit's AMR, and the LSU and AMK of its department."""
    department = department_of(unit)
    amr = _nearest(Role.AMR, unit)
    return Person.objects.filter(
        Q(pk=amr.pk if amr else None)
        | Q(
            role_assignments__role__in=[Role.LSU_MEMBER, Role.LSU_VICE_CHAIR, Role.AMK_MEMBER],
            role_assignments__unit_id__in=department.ancestor_ids(),
        ),
        is_active=True,
    ).distinct()
