"""What the start page tells a signed-in person about their place in the organisation."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from dialogues.organisation.models import OrganisationImport, Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.rules import is_hr_admin


@dataclass
class HeldRole:
    label: str
    units: list[Unit]
    organisation_wide: bool


@dataclass
class Overview:
    person: Person
    held_roles: list[HeldRole]
    led_units: list[Unit] = field(default_factory=list)
    served_units: list[Unit] = field(default_factory=list)
    totals: dict | None = None
    last_import: OrganisationImport | None = None


def _held_roles(person: Person) -> list[HeldRole]:
    held = []
    for role in person.roles:
        units = [unit for unit in person.role_units[role] if unit is not None]
        held.append(HeldRole(Role(role).label, units, organisation_wide=not units))
    return held


def _with_member_counts(unit_ids) -> list[Unit]:
    return list(
        Unit.objects.filter(pk__in=unit_ids)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("lineage")
    )


def overview_for(person: Person) -> Overview:
    overview = Overview(person=person, held_roles=_held_roles(person))
    led = {u.pk for r in (Role.MANAGER, Role.DIRECTOR) for u in person.role_units.get(r, []) if u}
    overview.led_units = _with_member_counts(led)
    served = {u.pk for u in person.role_units.get(Role.HR_PARTNER, []) if u}
    overview.served_units = _with_member_counts(served)
    if is_hr_admin(person):
        overview.totals = {
            "people": Person.objects.filter(is_active=True).count(),
            "units": Unit.objects.active().count(),
            "managers": RoleAssignment.objects.filter(
                role=Role.MANAGER, person__is_active=True
            ).count(),
        }
        overview.last_import = OrganisationImport.objects.filter(
            status=OrganisationImport.Status.APPLIED
        ).first()
    return overview
