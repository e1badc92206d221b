"""Check every row of an HR file and turn it into a plan, or into a list of problems.

Nothing here reads or writes the database: ``validate_table`` looks at the file alone
(``database.check_against_database`` adds what only the database can tell). The whole
file is checked before anything is applied.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from dialogues.organisation.importing.columns import (
    COMMITTEE_KINDS,
    COMMITTEE_ROLES,
    HEADER_ALIASES,
    LANGUAGES,
    MAX_LENGTHS,
    REQUIRED_COLUMNS,
    ROLE_ALIASES,
    UNIT_TYPES,
    normalise,
    split_list,
)
from dialogues.organisation.importing.errors import Problem, error, warning
from dialogues.organisation.importing.reading import Table
from dialogues.organisation.roles import Role

Progress = Callable[[str, int, int], None]

_validate_email = EmailValidator()


@dataclass
class UnitPlan:
    code: str
    name: str
    kind: str
    parent_code: str
    row: int


@dataclass
class PersonPlan:
    row: int
    employee_id: str
    name: str
    email: str
    language: str
    unit_code: str
    manager_employee_id: str
    role_names: list[str] = field(default_factory=list)
    hr_partner_units: list[str] = field(default_factory=list)
    # (role, unit code or None for organisation-wide), filled in once the tree is known.
    roles: set[tuple[str, str | None]] = field(default_factory=set)


@dataclass
class Plan:
    """A checked file: units from the top down, people in file order."""

    units: dict[str, UnitPlan]
    people: dict[str, PersonPlan]
    warnings: list[Problem] = field(default_factory=list)
    # The column names as the file spells them, for problems found later.
    labels: dict[str, str] = field(default_factory=dict)


class _Reader:
    """Collects one row's values and the problems found in them."""

    def __init__(self, columns: dict[str, int], labels: dict[str, str]):
        self.columns = columns
        self.labels = labels
        self.problems: list[Problem] = []

    def value(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    def report(self, code: str, row: int, column: str, /, **params) -> None:
        self.problems.append(error(code, row, self.labels.get(column, column), **params))


def map_header(table: Table) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Which column holds what; unknown columns are noticed, missing ones are errors."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    problems: list[Problem] = []
    row = table.header_row
    for index, label in enumerate(table.header):
        label = label.replace("\ufeff", "").strip()
        if not label:
            continue
        canonical = HEADER_ALIASES.get(normalise(label))
        if canonical is None:
            problems.append(warning("unknown_column", row, label, column=label))
        elif canonical in columns:
            other = labels[canonical]
            problems.append(error("duplicate_column", row, label, column=label, other=other))
        else:
            columns[canonical] = index
            labels[canonical] = label
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(error("missing_columns", row, None, columns=missing))
    return columns, labels, problems


def validate_table(table: Table, progress: Progress | None = None) -> tuple[Plan | None, list]:
    """Check the rows; return a plan when there is no error, and every problem found."""
    columns, labels, problems = map_header(table)
    if any(problem.is_error for problem in problems):
        return None, problems
    if not table.rows:
        return None, [*problems, error("no_rows")]
    reader = _Reader(columns, labels)
    units: dict[str, UnitPlan] = {}
    people: dict[str, PersonPlan] = {}
    emails: dict[str, int] = {}
    total = len(table.rows)
    for done, (row, cells) in enumerate(table.rows, start=1):
        unit = _read_unit(reader, row, cells)
        if unit is not None:
            _register_unit(reader, units, unit)
        person = _read_person(reader, row, cells)
        if person is not None:
            _register_person(reader, people, emails, person)
        if progress and (done % 500 == 0 or done == total):
            progress("validate", done, total)
    _check_tree(reader, units)
    _check_people(reader, units, people)
    problems += reader.problems
    if any(problem.is_error for problem in problems):
        return None, problems
    ordered = _top_down(units)
    for person in people.values():
        person.roles = _role_scopes(person, ordered)
    plan = Plan(ordered, people, [p for p in problems if not p.is_error], labels)
    return plan, problems


def _read_unit(reader: _Reader, row: int, cells: list[str]) -> UnitPlan | None:
    code = reader.value(cells, "unit_code")
    name = reader.value(cells, "unit_name")
    raw_kind = reader.value(cells, "unit_type")
    for column, value in (("unit_code", code), ("unit_name", name), ("unit_type", raw_kind)):
        if not value:
            reader.report("required", row, column)
        elif column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
            reader.report("too_long", row, column, max=MAX_LENGTHS[column])
    kind = UNIT_TYPES.get(normalise(raw_kind)) if raw_kind else None
    if raw_kind and kind is None:
        reader.report("unknown_unit_type", row, "unit_type", value=raw_kind)
    # A unit with a bad cell is still known by its code, so that rows naming it as their
    # parent are not reported too; the file is refused anyway.
    if not code or len(code) > MAX_LENGTHS["unit_code"]:
        return None
    return UnitPlan(code, name, kind or "", reader.value(cells, "parent_unit_code"), row)


def _register_unit(reader: _Reader, units: dict[str, UnitPlan], unit: UnitPlan) -> None:
    first = units.get(unit.code)
    if first is None:
        units[unit.code] = unit
        return
    for column, here, there in (
        ("unit_name", unit.name, first.name),
        ("unit_type", unit.kind, first.kind),
        ("parent_unit_code", unit.parent_code, first.parent_code),
    ):
        if here != there and (column == "parent_unit_code" or (here and there)):
            reader.report(
                "unit_conflict",
                unit.row,
                column,
                code=unit.code,
                value=here,
                other_value=there,
                other_row=first.row,
            )


def _read_person(reader: _Reader, row: int, cells: list[str]) -> PersonPlan | None:
    employee_id = reader.value(cells, "employee_id")
    name = reader.value(cells, "name")
    email = reader.value(cells, "email").lower()
    if not (employee_id or name or email):
        return None  # a unit with no members of its own
    ok = True
    for column, value in (("employee_id", employee_id), ("name", name), ("email", email)):
        if not value:
            reader.report("required", row, column)
            ok = False
        elif len(value) > MAX_LENGTHS[column]:
            reader.report("too_long", row, column, max=MAX_LENGTHS[column])
            ok = False
    if email and len(email) <= MAX_LENGTHS["email"]:
        try:
            _validate_email(email)
        except ValidationError:
            reader.report("invalid_email", row, "email", value=email)
            ok = False
    raw_language = reader.value(cells, "language")
    language = LANGUAGES.get(raw_language.lower())
    if language is None:
        reader.report("unknown_language", row, "language", value=raw_language)
        ok = False
    role_names = []
    for raw_role in split_list(reader.value(cells, "roles")):
        role = ROLE_ALIASES.get(normalise(raw_role))
        if role is None:
            reader.report("unknown_role", row, "roles", value=raw_role)
            ok = False
        elif role not in role_names:
            role_names.append(role)
    served = split_list(reader.value(cells, "hr_partner_units"))
    if Role.HR_PARTNER in role_names and not served:
        reader.report("hr_partner_without_units", row, "hr_partner_units")
        ok = False
    elif served and Role.HR_PARTNER not in role_names:
        label = reader.labels.get("hr_partner_units", "hr_partner_units")
        reader.problems.append(warning("hr_partner_units_ignored", row, label))
        served = []
    if not ok and not employee_id:
        return None
    # A person with a bad cell is still registered, so that rows naming them as their
    # manager are not reported too; ``ok`` is False and the file is refused anyway.
    return PersonPlan(
        row=row,
        employee_id=employee_id,
        name=name,
        email=email,
        language=language or "da",
        unit_code=reader.value(cells, "unit_code"),
        manager_employee_id=reader.value(cells, "manager_employee_id"),
        role_names=role_names,
        hr_partner_units=served,
    )


def _register_person(reader, people: dict, emails: dict, person: PersonPlan) -> None:
    other = people.get(person.employee_id)
    if other is not None:
        reader.report(
            "duplicate_employee_id",
            person.row,
            "employee_id",
            value=person.employee_id,
            other_row=other.row,
        )
    else:
        people[person.employee_id] = person
    other_row = emails.setdefault(person.email, person.row)
    if other_row != person.row:
        reader.report(
            "duplicate_email", person.row, "email", value=person.email, other_row=other_row
        )


def _check_tree(reader: _Reader, units: dict[str, UnitPlan]) -> None:
    tops = []
    for unit in units.values():
        if not unit.parent_code:
            tops.append(unit)
        elif unit.parent_code not in units:
            reader.report(
                "unknown_parent_unit", unit.row, "parent_unit_code", value=unit.parent_code
            )
    if units and not tops:
        reader.problems.append(error("no_top_unit", None, reader.labels["unit_code"]))
    for unit in tops[1:]:
        reader.report(
            "several_top_units",
            unit.row,
            "parent_unit_code",
            code=unit.code,
            other_code=tops[0].code,
            other_row=tops[0].row,
        )
    parents = {code: unit.parent_code for code, unit in units.items() if unit.parent_code in units}
    for cycle in _cycles(parents):
        first = min((units[code] for code in cycle), key=lambda unit: unit.row)
        start = cycle.index(first.code)
        codes = cycle[start:] + cycle[:start] + [first.code]
        reader.report("unit_cycle", first.row, "parent_unit_code", codes=codes)


def _cycles(links: dict[str, str]) -> list[list[str]]:
    """The cycles in a graph where each node points to at most one other."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found = []
    for start in links:
        path = []
        node = start
        while node in links and node not in state:
            state[node] = 1
            path.append(node)
            node = links[node]
        if state.get(node) == 1:
            found.append(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    return found


def _check_people(reader: _Reader, units: dict[str, UnitPlan], people: dict) -> None:
    managers: dict[str, PersonPlan] = {}
    for person in people.values():
        boss = person.manager_employee_id
        if boss and boss not in people:
            reader.report("unknown_manager", person.row, "manager_employee_id", value=boss)
        for code in person.hr_partner_units:
            if code not in units:
                reader.report("unknown_unit", person.row, "hr_partner_units", value=code)
        if Role.MANAGER in person.role_names:
            other = managers.setdefault(person.unit_code, person)
            if other is not person:
                reader.report(
                    "two_managers",
                    person.row,
                    "roles",
                    code=person.unit_code,
                    name=person.name,
                    other_name=other.name,
                    other_row=other.row,
                )
    links = {
        eid: person.manager_employee_id
        for eid, person in people.items()
        if person.manager_employee_id in people
    }
    for cycle in _cycles(links):
        first = min((people[eid] for eid in cycle), key=lambda person: person.row)
        start = cycle.index(first.employee_id)
        names = [people[eid].name for eid in cycle[start:] + cycle[:start]] + [first.name]
        reader.report("manager_cycle", first.row, "manager_employee_id", names=names)


def _top_down(units: dict[str, UnitPlan]) -> dict[str, UnitPlan]:
    children: dict[str, list[UnitPlan]] = {}
    for unit in units.values():
        children.setdefault(unit.parent_code, []).append(unit)
    ordered: dict[str, UnitPlan] = {}
    queue = deque(children.get("", []))
    while queue:
        unit = queue.popleft()
        ordered[unit.code] = unit
        queue.extend(children.get(unit.code, []))
    return ordered


def committee_unit(code: str, units: dict[str, UnitPlan]) -> str:
    """The nearest department, centre or university at or above the unit (else the top)."""
    while True:
        unit = units[code]
        if unit.kind in COMMITTEE_KINDS or not unit.parent_code:
            return code
        code = unit.parent_code


def _role_scopes(person: PersonPlan, units: dict[str, UnitPlan]) -> set:
    scopes: set[tuple[str, str | None]] = {(Role.EMPLOYEE.value, person.unit_code)}
    for role in person.role_names:
        if role == Role.HR_ADMIN:
            scopes.add((role, None))
        elif role == Role.HR_PARTNER:
            scopes.update((role, code) for code in person.hr_partner_units)
        elif role in COMMITTEE_ROLES:
            scopes.add((role, committee_unit(person.unit_code, units)))
        else:
            scopes.add((role, person.unit_code))
    return scopes
