import pytest

from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.models.units import rebuild_lineage
from dialogues.organisation.roles import Role

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read messages in English unless they ask for Danish, and hash passwords fast."""
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no attempts counted: the limits count in the (per-process) cache."""
    from django.core.cache import cache

    cache.clear()


class SmallOrganisation:
    """A university with two departments and one person for each role.

    U ─ D (department) ─ S (section: employee, manager, AMR, TR)
      │                └ S2 (section)
      └ D2 (department) ─ T (section: outsider)
    """

    def __init__(self):
        self.university = self._unit("U", "Test University", Unit.Kind.UNIVERSITY, None)
        self.department = self._unit(
            "D", "Department of Tests", Unit.Kind.DEPARTMENT, self.university
        )
        self.section = self._unit("S", "Section of Cases", Unit.Kind.SECTION, self.department)
        self.sibling = self._unit("S2", "Section of Mocks", Unit.Kind.SECTION, self.department)
        self.other_department = self._unit(
            "D2", "Department of Others", Unit.Kind.DEPARTMENT, self.university
        )
        self.other_section = self._unit(
            "T", "Section of Others", Unit.Kind.SECTION, self.other_department
        )
        rebuild_lineage()
        for unit in self.units:
            unit.refresh_from_db()
        self.people: dict[str, Person] = {}
        self.director = self._person(
            "director", self.department, [(Role.DIRECTOR, self.department)]
        )
        self.manager = self._person(
            "manager", self.section, [(Role.MANAGER, self.section)], manager=self.director
        )
        self.employee = self._person("employee", self.section, [], manager=self.manager)
        self.hr_partner = self._person(
            "hr_partner", self.university, [(Role.HR_PARTNER, self.department)]
        )
        self.hr_admin = self._person("hr_admin", self.university, [(Role.HR_ADMIN, None)])
        self.amr = self._person(
            "amr", self.section, [(Role.AMR, self.section)], manager=self.manager
        )
        self.tr = self._person("tr", self.section, [(Role.TR, self.section)], manager=self.manager)
        self.lsu_member = self._person(
            "lsu_member", self.sibling, [(Role.LSU_MEMBER, self.department)]
        )
        self.lsu_vice_chair = self._person(
            "lsu_vice_chair", self.sibling, [(Role.LSU_VICE_CHAIR, self.department)]
        )
        self.amk_member = self._person(
            "amk_member", self.university, [(Role.AMK_MEMBER, self.university)]
        )
        self.outsider = self._person("outsider", self.other_section, [])

    @property
    def units(self) -> list[Unit]:
        return [value for value in vars(self).values() if isinstance(value, Unit)]

    def _unit(self, code, name, kind, parent):
        return Unit.objects.create(code=code, name=name, kind=kind, parent=parent)

    def _person(self, key, unit, roles, manager=None):
        person = Person.objects.create_user(
            email=f"{key.replace('_', '-')}@example.org",
            name=key.replace("_", " ").title(),
            password=PASSWORD,
            employee_id=f"E-{key}",
            unit=unit,
            manager=manager,
            preferred_language="en",
        )
        RoleAssignment.objects.create(person=person, role=Role.EMPLOYEE, unit=unit)
        for role, role_unit in roles:
            RoleAssignment.objects.create(person=person, role=role, unit=role_unit)
        self.people[key] = person
        return person


@pytest.fixture
def org(db):
    return SmallOrganisation()


@pytest.fixture
def login(client):
    def as_person(person):
        client.force_login(person)
        return client

    return as_person
