"""Write a checked plan to the database, and say what changed.

Everything the import compares is preloaded into dicts in a handful of queries and
written back with bulk operations, so that 6,000 people take seconds. With
``dry_run`` the same comparison runs and nothing is written: that is the preview.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

from dialogues.organisation.importing.validation import Plan
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.models.units import rebuild_lineage

Progress = Callable[[str, int, int], None]
# The summary is kept with the import; lists longer than this are cut (the counts are not).
SUMMARY_LIST_LIMIT = 1000
BATCH_SIZE = 1000


@dataclass
class _Report:
    added: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    deactivated: list[dict] = field(default_factory=list)
    reactivated: list[dict] = field(default_factory=list)
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        lists = ("added", "changed", "deactivated", "reactivated")
        counts = {name: len(getattr(self, name)) for name in lists}
        counts["unchanged"] = self.unchanged
        return {
            "counts": counts,
            **{name: getattr(self, name)[:SUMMARY_LIST_LIMIT] for name in lists},
        }


def apply_plan(plan: Plan, progress: Progress | None = None, dry_run: bool = False) -> dict:
    """Bring units, people and roles in line with the plan; return what changed.

    Call inside ``transaction.atomic()`` after ``check_against_database``.
    """
    step = progress or (lambda stage, done, total: None)
    now = timezone.now()
    units, unit_report, unit_writes = _diff_units(plan)
    step("units", 1, 3)
    if not dry_run:
        _write_units(plan, units, unit_writes)
    step("units", 3, 3)

    people, person_report, person_writes = _diff_people(plan, units, now)
    step("people", 1, 3)
    if not dry_run:
        _write_people(plan, units, people, person_writes)
    step("people", 3, 3)

    added_roles, removed_roles = _diff_roles(plan, people, units)
    step("roles", 1, 2)
    if not dry_run:
        _write_roles(added_roles, removed_roles, people, units)
    step("roles", 2, 2)

    names = {eid: person.name for eid, person in people.items()}
    return {
        "dry_run": dry_run,
        "units": unit_report.as_dict(),
        "people": person_report.as_dict(),
        "roles": {
            "counts": {"added": len(added_roles), "removed": len(removed_roles)},
            "added": _role_items(added_roles, names),
            "removed": _role_items(removed_roles, names),
        },
        "warnings": [problem.to_dict() for problem in plan.warnings],
    }


def _role_items(keys: dict, names: dict[str, str]) -> list[dict]:
    return [
        {"employee_id": eid, "name": names.get(eid, eid), "role": role, "unit": code}
        for eid, role, code in sorted(keys, key=lambda key: (names.get(key[0], ""), key[1]))[
            :SUMMARY_LIST_LIMIT
        ]
    ]


def _record(report: _Report, item: dict, fields: list[str], reactivated: bool) -> None:
    if reactivated:
        report.reactivated.append({**item, "fields": fields})
    elif fields:
        report.changed.append({**item, "fields": fields})
    else:
        report.unchanged += 1


@dataclass
class _UnitWrites:
    new: list[Unit] = field(default_factory=list)
    changed: list[Unit] = field(default_factory=list)
    deactivated: list[Unit] = field(default_factory=list)


def _diff_units(plan: Plan) -> tuple[dict[str, Unit], _Report, _UnitWrites]:
    units = {
        unit.code: unit
        for unit in Unit.objects.only("code", "name", "kind", "parent_id", "is_active")
    }
    code_of = {unit.pk: code for code, unit in units.items()}
    report, writes = _Report(), _UnitWrites()
    for code, planned in plan.units.items():
        unit = units.get(code)
        item = {"code": code, "name": planned.name}
        if unit is None:
            units[code] = Unit(code=code, name=planned.name, kind=planned.kind, is_active=True)
            writes.new.append(units[code])
            report.added.append(item)
            continue
        fields = [
            name
            for name, differs in (
                ("name", unit.name != planned.name),
                ("kind", unit.kind != planned.kind),
                ("parent", code_of.get(unit.parent_id, "") != planned.parent_code),
            )
            if differs
        ]
        unit.name, unit.kind = planned.name, planned.kind
        reactivated = not unit.is_active
        _record(report, item, fields, reactivated)
        unit.is_active = True
        if fields or reactivated:
            writes.changed.append(unit)
    for code, unit in units.items():
        if code not in plan.units and unit.is_active:
            unit.is_active = False
            writes.deactivated.append(unit)
            report.deactivated.append({"code": code, "name": unit.name})
    return units, report, writes


def _create_in_waves(model, pending: list, parent_of: Callable[[Any], Any], link: str) -> None:
    """Create objects whose parent may be new too: parents first, so links are set at once.

    One bulk insert per level of the tree is far cheaper than updating every link after.
    """
    while pending:
        ready, waiting = [], []
        for obj in pending:
            parent = parent_of(obj)
            if parent is None or parent.pk is not None:
                setattr(obj, link, parent.pk if parent is not None else None)
                ready.append(obj)
            else:
                waiting.append(obj)
        if not ready:
            raise RuntimeError("The links form a cycle; validation should have refused them.")
        model.objects.bulk_create(ready, batch_size=BATCH_SIZE)
        pending = waiting


def _write_units(plan: Plan, units: dict[str, Unit], writes: _UnitWrites) -> None:
    def parent_of(unit: Unit) -> Unit | None:
        code = plan.units[unit.code].parent_code
        return units[code] if code else None

    _create_in_waves(Unit, writes.new, parent_of, "parent_id")
    changed = {unit.code: unit for unit in writes.changed}
    created = {unit.code for unit in writes.new}
    for code, unit in units.items():
        if code in plan.units and code not in created:
            parent = parent_of(unit)
            parent_id = parent.pk if parent else None
            if unit.parent_id != parent_id:
                unit.parent_id = parent_id
                changed[code] = unit
    Unit.objects.bulk_update(
        list(changed.values()), ["name", "kind", "parent", "is_active"], batch_size=BATCH_SIZE
    )
    Unit.objects.filter(pk__in=[unit.pk for unit in writes.deactivated]).update(is_active=False)
    rebuild_lineage()


@dataclass
class _PersonWrites:
    new: list[Person] = field(default_factory=list)
    # Each person with the fields to write.
    changed: list[tuple[Person, list[str]]] = field(default_factory=list)
    renamed_emails: list[Person] = field(default_factory=list)
    deactivated: list[Person] = field(default_factory=list)


def _diff_people(
    plan: Plan, units: dict[str, Unit], now
) -> tuple[dict[str, Person], _Report, _PersonWrites]:
    people = {
        person.employee_id: person
        for person in Person.objects.filter(employee_id__isnull=False).only(
            "employee_id", "name", "email", "unit_id", "manager_id", "is_active", "deactivated_at"
        )
    }
    code_of = {unit.pk: code for code, unit in units.items() if unit.pk}
    eid_of = {person.pk: eid for eid, person in people.items()}
    report, writes = _Report(), _PersonWrites()
    for eid, planned in plan.people.items():
        person = people.get(eid)
        item = {"employee_id": eid, "name": planned.name}
        if person is None:
            people[eid] = Person(
                employee_id=eid,
                name=planned.name,
                email=planned.email,
                preferred_language=planned.language,
                password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                is_active=True,
                date_joined=now,
            )
            writes.new.append(people[eid])
            report.added.append(item)
            continue
        fields = [
            name
            for name, differs in (
                ("name", person.name != planned.name),
                ("email", person.email.lower() != planned.email),
                ("unit", code_of.get(person.unit_id) != planned.unit_code),
                ("manager", eid_of.get(person.manager_id, "") != planned.manager_employee_id),
            )
            if differs
        ]
        if "email" in fields:
            writes.renamed_emails.append(person)
        person.name, person.email = planned.name, planned.email
        reactivated = not person.is_active
        _record(report, item, fields, reactivated)
        if reactivated:
            person.is_active, person.deactivated_at = True, None
        if fields or reactivated:
            activity = ["is_active", "deactivated_at"] if reactivated else []
            writes.changed.append((person, [*fields, *activity]))
    for eid, person in people.items():
        if eid not in plan.people and person.is_active:
            person.is_active, person.deactivated_at = False, now
            writes.deactivated.append(person)
            report.deactivated.append({"employee_id": eid, "name": person.name})
    return people, report, writes


def _write_people(
    plan: Plan, units: dict[str, Unit], people: dict[str, Person], writes: _PersonWrites
) -> None:
    def manager_of(person: Person) -> Person | None:
        boss = plan.people[person.employee_id].manager_employee_id
        return people[boss] if boss else None

    for eid, planned in plan.people.items():
        people[eid].unit_id = units[planned.unit_code].pk
    if writes.renamed_emails:
        # Two people may trade addresses in one file: step aside first, then take the new one.
        final = {person.pk: person.email for person in writes.renamed_emails}
        for person in writes.renamed_emails:
            person.email = f"renaming-{person.pk}@import.invalid"
        Person.objects.bulk_update(writes.renamed_emails, ["email"], batch_size=BATCH_SIZE)
        for person in writes.renamed_emails:
            person.email = final[person.pk]
    new_managers = []  # people already here whose new manager joins with this file
    # Updating only the fields that changed, grouped, keeps each UPDATE small.
    groups: dict[tuple[str, ...], list[Person]] = {}
    for person, fields in writes.changed:
        manager = manager_of(person)
        if "manager" in fields and manager is not None and manager.pk is None:
            new_managers.append(person)
            fields = [name for name in fields if name != "manager"]
        elif "manager" in fields:
            person.manager_id = manager.pk if manager else None
        if fields:
            groups.setdefault(tuple(fields), []).append(person)
    for fields, group in groups.items():
        Person.objects.bulk_update(group, list(fields), batch_size=BATCH_SIZE)
    if writes.deactivated:
        Person.objects.filter(pk__in=[person.pk for person in writes.deactivated]).update(
            is_active=False, deactivated_at=writes.deactivated[0].deactivated_at
        )
    _create_in_waves(Person, writes.new, manager_of, "manager_id")
    for person in new_managers:
        person.manager_id = manager_of(person).pk
    Person.objects.bulk_update(new_managers, ["manager"], batch_size=BATCH_SIZE)


RoleKey = tuple[str, str, str | None]


def _diff_roles(
    plan: Plan, people: dict[str, Person], units: dict[str, Unit]
) -> tuple[dict[RoleKey, None], dict[RoleKey, int]]:
    """Roles to add and to remove (with the assignment's id), keyed by employee id."""
    eid_of = {person.pk: eid for eid, person in people.items() if person.pk}
    code_of = {unit.pk: code for code, unit in units.items() if unit.pk}
    current: dict[RoleKey, int] = {}
    assignments = RoleAssignment.objects.filter(person__employee_id__isnull=False).values_list(
        "pk", "person_id", "role", "unit_id"
    )
    for pk, person_id, role, unit_id in assignments:
        current[(eid_of[person_id], role, code_of.get(unit_id))] = pk
    wanted = {
        (eid, role, code) for eid, planned in plan.people.items() for role, code in planned.roles
    }
    added = {key: None for key in sorted(wanted - current.keys(), key=str)}
    removed = {key: pk for key, pk in current.items() if key not in wanted}
    return added, removed


def _write_roles(
    added: dict[RoleKey, None],
    removed: dict[RoleKey, int],
    people: dict[str, Person],
    units: dict[str, Unit],
) -> None:
    ids = list(removed.values())
    for start in range(0, len(ids), BATCH_SIZE):
        RoleAssignment.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).delete()
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                person_id=people[eid].pk,
                role=role,
                unit_id=units[code].pk if code else None,
            )
            for eid, role, code in added
        ],
        batch_size=BATCH_SIZE,
    )
