"""The columns of the HR file and the words accepted in them, in English and Danish."""

import re

from dialogues.organisation.models import Unit
from dialogues.organisation.roles import Role

COLUMNS = (
    "employee_id",
    "name",
    "email",
    "language",
    "unit_code",
    "unit_name",
    "unit_type",
    "parent_unit_code",
    "manager_employee_id",
    "roles",
    "hr_partner_units",
)
REQUIRED_COLUMNS = ("employee_id", "name", "email", "unit_code", "unit_name", "unit_type")
_DANISH_COLUMNS = {
    "medarbejdernr": "employee_id",
    "medarbejdernummer": "employee_id",
    "navn": "name",
    "e_mail": "email",
    "sprog": "language",
    "enhedskode": "unit_code",
    "enhedsnavn": "unit_name",
    "enhedstype": "unit_type",
    "overordnet_enhedskode": "parent_unit_code",
    "leder_medarbejdernr": "manager_employee_id",
    "roller": "roles",
    "hr_partner_enheder": "hr_partner_units",
}
HEADER_ALIASES = {**{name: name for name in COLUMNS}, **_DANISH_COLUMNS}
MAX_LENGTHS = {"employee_id": 64, "name": 200, "email": 254, "unit_code": 64, "unit_name": 200}

UNIT_TYPES = {
    **{kind.value: kind.value for kind in Unit.Kind},
    "center": Unit.Kind.CENTRE.value,
    "universitet": Unit.Kind.UNIVERSITY.value,
    "institut": Unit.Kind.DEPARTMENT.value,
    "sektion": Unit.Kind.SECTION.value,
    "gruppe": Unit.Kind.GROUP.value,
}
LANGUAGES = {
    "": "da",
    "da": "da",
    "dansk": "da",
    "danish": "da",
    "en": "en",
    "engelsk": "en",
    "english": "en",
}
ROLE_ALIASES = {
    **{role.value: role.value for role in Role},
    "leder": Role.MANAGER.value,
    "direktør": Role.DIRECTOR.value,
    "institutdirektør": Role.DIRECTOR.value,
    "hr_administrator": Role.HR_ADMIN.value,
    "lsu_medlem": Role.LSU_MEMBER.value,
    "lsu_næstformand": Role.LSU_VICE_CHAIR.value,
    "amk_medlem": Role.AMK_MEMBER.value,
    "medarbejder": Role.EMPLOYEE.value,
}
# Roles held in the nearest department, centre or university at or above the person's unit.
COMMITTEE_ROLES = frozenset({Role.LSU_MEMBER, Role.LSU_VICE_CHAIR, Role.AMK_MEMBER})
COMMITTEE_KINDS = frozenset({Unit.Kind.UNIVERSITY, Unit.Kind.DEPARTMENT, Unit.Kind.CENTRE})
_LIST_SEPARATOR = re.compile(r"[,|]")
_TOKEN_SPACING = re.compile(r"[\s\-_]+")


def normalise(token: str) -> str:
    """Lower case, with runs of spaces, hyphens and underscores made one underscore."""
    return _TOKEN_SPACING.sub("_", token.replace("\ufeff", "").strip().lower()).strip("_")


def split_list(value: str) -> list[str]:
    return [item.strip() for item in _LIST_SEPARATOR.split(value) if item.strip()]
