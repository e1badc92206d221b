import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from dialogues.organisation.demo import DEMO_LOGINS, generate_organisation, to_csv
from dialogues.organisation.importing import import_file
from dialogues.organisation.models import OrganisationImport, Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role


def test_the_same_seed_gives_the_same_organisation_and_another_seed_another():
    assert generate_organisation(250, seed=1) == generate_organisation(250, seed=1)
    assert generate_organisation(250, seed=1) != generate_organisation(250, seed=2)


@pytest.mark.parametrize("people", [60, 250, 2000])
def test_the_demo_has_exactly_the_people_asked_for_with_unique_keys(people):
    rows = generate_organisation(people, seed=7)

    assert len(rows) == people
    assert len({row["employee_id"] for row in rows}) == people
    assert len({row["email"] for row in rows}) == people


def test_a_tiny_organisation_is_refused():
    with pytest.raises(ValueError, match="at least 60"):
        generate_organisation(59, seed=1)


def test_about_one_in_ten_prefers_english():
    rows = generate_organisation(2000, seed=3)

    english = sum(row["language"] == "en" for row in rows)

    assert 120 <= english <= 300


@pytest.mark.django_db
@pytest.mark.parametrize("people", [250, 2000])
def test_the_demo_imports_cleanly(people):
    result = import_file(to_csv(generate_organisation(people, seed=11)).encode(), "demo.csv")

    assert result.problems == []
    assert result.summary["people"]["counts"]["added"] == people
    assert Person.objects.count() == people
    units = Unit.objects.all()
    managed = Counter(
        RoleAssignment.objects.filter(role=Role.MANAGER).values_list("unit", flat=True)
    )
    assert {unit.pk for unit in units} == set(managed)  # every unit has exactly one manager
    assert Person.objects.filter(manager__isnull=True).count() == 1  # only the top
    kinds = set(units.values_list("kind", flat=True))
    assert {"university", "department", "section", "group"} <= kinds
    assert ("centre" in kinds) is (people == 2000)
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)


@pytest.mark.django_db
def test_the_demo_log_ins_sit_where_the_roles_make_sense():
    import_file(to_csv(generate_organisation(250, seed=2025)).encode(), "demo.csv")
    people = {email: Person.objects.get(email=email) for email, _name, _role in DEMO_LOGINS}
    manager = people["manager@dialogues.example"]
    director = people["director@dialogues.example"]
    department = director.unit

    assert people["employee@dialogues.example"].manager == manager
    assert people["employee@dialogues.example"].unit == manager.unit
    assert manager.unit.parent == department
    assert manager.manager == director
    assert set(director.role_units) == {"employee", "manager", "director"}
    assert director.role_units["director"] == [department]
    assert department in people["hr-partner@dialogues.example"].role_units["hr_partner"]
    assert people["hr-admin@dialogues.example"].role_units["hr_admin"] == [None]
    for email, role in [
        ("lsu-vice-chair@dialogues.example", "lsu_vice_chair"),
        ("lsu-member@dialogues.example", "lsu_member"),
        ("amk-member@dialogues.example", "amk_member"),
    ]:
        assert people[email].unit.parent == department
        assert people[email].role_units[role] == [department]
    assert people["amr@dialogues.example"].role_units["amr"] == [manager.unit]
    assert people["tr@dialogues.example"].unit.parent == department


@pytest.mark.django_db
def test_load_demo_can_run_twice_and_sets_the_demo_passwords():
    out = io.StringIO()
    call_command("load_demo", "--password", "demo-password-1", stdout=out, stderr=io.StringIO())
    first = set(Person.objects.values_list("pk", "email", "unit__code", "manager__email"))

    out = io.StringIO()
    call_command("load_demo", "--password", "demo-password-2", stdout=out, stderr=io.StringIO())

    assert set(Person.objects.values_list("pk", "email", "unit__code", "manager__email")) == first
    assert "250 people (0 added, 0 changed, 0 reactivated)" in out.getvalue()
    assert "director@dialogues.example" in out.getvalue()
    for email, _name, _role in DEMO_LOGINS:
        assert Person.objects.get(email=email).check_password("demo-password-2")
    assert (
        not Person.objects.exclude(email__in=[e for e, _, _ in DEMO_LOGINS])
        .filter(password__startswith="argon2")
        .exists()
    )


@pytest.mark.django_db
def test_load_demo_refuses_a_database_with_a_real_organisation(org):
    with pytest.raises(CommandError, match="not in the demo"):
        call_command("load_demo", verbosity=0)
    assert Person.objects.filter(is_active=True).count() == len(org.people)


@pytest.mark.django_db
def test_the_demo_and_command_line_imports_appear_in_the_import_history():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # nothing changed: no second entry
    history = list(OrganisationImport.objects.values_list("filename", "status"))
    assert history == [("demo organisation", OrganisationImport.Status.APPLIED)]
