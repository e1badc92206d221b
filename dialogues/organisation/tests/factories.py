"""Factories for units, people and roles, and for HR import files.

unit = UnitFactory(kind=Unit.Kind.DEPARTMENT)
person = PersonFactory(unit=unit, roles=[Role.MANAGER])
content = import_file_bytes(small_organisation())
"""

import codecs
import csv
import io

import factory
from factory.django import DjangoModelFactory

from dialogues.organisation.importing.columns import COLUMNS
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.models.units import rebuild_lineage
from dialogues.organisation.roles import ORGANISATION_WIDE_ROLES, Role


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"UNIT{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = Unit.Kind.SECTION
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        unit = super()._create(model_class, *args, **kwargs)
        rebuild_lineage()
        unit.refresh_from_db()
        return unit


class PersonFactory(DjangoModelFactory):
    """A person with the employee role in their unit, plus ``roles`` (held there too)."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    preferred_language = "en"
    unit = None
    password = "!not-usable"

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        if self.unit_id:
            RoleAssignment.objects.get_or_create(person=self, role=Role.EMPLOYEE, unit=self.unit)
        for role in extracted or []:
            unit = None if role in ORGANISATION_WIDE_ROLES else self.unit
            RoleAssignment.objects.get_or_create(person=self, role=role, unit=unit)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    role = Role.EMPLOYEE
    unit = factory.SelfAttribute("person.unit")


def small_organisation() -> list[dict[str, str]]:
    """Rows of a small valid file; as a spreadsheet, these are rows 2 to 8.

    U (university, no members) ─ D (department) ─ S (section) ─ G (group)
    """
    unit = {
        "U": ("Test University", "university", ""),
        "D": ("Department of Tests", "department", "U"),
        "S": ("Section of Cases", "section", "D"),
        "G": ("Group of Mocks", "group", "S"),
    }

    def row(eid, name, code, manager="", roles="", language="", served=""):
        unit_name, kind, parent = unit[code]
        return {
            "employee_id": eid,
            "name": name,
            "email": f"{name.split()[0].lower()}@example.org" if name else "",
            "language": language,
            "unit_code": code,
            "unit_name": unit_name,
            "unit_type": kind,
            "parent_unit_code": parent,
            "manager_employee_id": manager,
            "roles": roles,
            "hr_partner_units": served,
        }

    return [
        row("", "", "U"),
        row("E1", "Dorte Director", "D", roles="manager, director"),
        row("E2", "Mads Manager", "S", manager="E1", roles="manager|lsu_member", language="da"),
        row("E3", "Emma Employee", "S", manager="E2", language="en"),
        row("E4", "Gustav Groupleader", "G", manager="E2", roles="manager, amr, tr"),
        row("E5", "Hanne Hr", "D", manager="E1", roles="hr_partner, hr_admin", served="D|S"),
        row("E6", "Anton Amk", "G", manager="E4", roles="amk_member, lsu_vice_chair"),
    ]


def import_file_bytes(
    rows: list[dict[str, str]],
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
    columns: list[str] | tuple[str, ...] = COLUMNS,
    lineterminator: str = "\r\n",
) -> bytes:
    """The rows as a CSV file, written the way a spreadsheet program would."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    text = out.getvalue()
    if encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)
