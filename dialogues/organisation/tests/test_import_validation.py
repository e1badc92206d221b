"""Each kind of bad file is refused with the right row and column, and nothing is written.

Rows of ``small_organisation()`` sit in spreadsheet rows 2 (the university) to 8.
"""

import pytest

from dialogues.organisation.importing import import_file, problems_from
from dialogues.organisation.importing.columns import COLUMNS
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.tests.factories import (
    PersonFactory,
    UnitFactory,
    import_file_bytes,
    small_organisation,
)

pytestmark = pytest.mark.django_db

U, E1, E2, E3, E4, E5, E6 = range(7)  # indexes into small_organisation()


def errors_of(rows, **options) -> list[tuple]:
    result = import_file(import_file_bytes(rows, **options), "hr.csv")
    assert result.summary is None
    return [(problem.code, problem.row, problem.column) for problem in result.errors]


def only_error(rows, **options):
    result = import_file(import_file_bytes(rows, **options), "hr.csv")
    assert len(result.errors) == 1, [str(problem) for problem in result.errors]
    return result.errors[0]


def assert_nothing_written(people: int = 0, units: int = 0):
    assert Person.objects.count() == people
    assert Unit.objects.count() == units
    assert RoleAssignment.objects.count() == 0


def changed(**changes) -> list[dict]:
    """small_organisation() with cells replaced: changed(E3={"name": ""})."""
    rows = small_organisation()
    for key, values in changes.items():
        rows[globals()[key]].update(values)
    return rows


def test_an_empty_file_is_refused():
    result = import_file(b"", "hr.csv")

    assert [(p.code, p.row, p.column) for p in result.errors] == [("empty_file", None, None)]
    assert_nothing_written()


def test_a_header_without_rows_is_refused():
    assert errors_of([]) == [("no_rows", None, None)]


def test_missing_required_columns_are_named_on_the_header_row():
    columns = [name for name in COLUMNS if name not in ("email", "unit_type")]

    problem = only_error(small_organisation(), columns=columns)

    assert (problem.code, problem.row, problem.column) == ("missing_columns", 1, None)
    assert problem.params == {"columns": ["email", "unit_type"]}
    assert problem.message == "Required columns are missing: email, unit_type."
    assert_nothing_written()


def test_a_column_given_twice_under_two_names_is_refused():
    columns = [*COLUMNS, "E-mail"]

    assert errors_of(small_organisation(), columns=columns) == [("duplicate_column", 1, "E-mail")]


def test_an_unknown_extra_column_is_a_notice_and_the_file_imports():
    rows = small_organisation()
    result = import_file(import_file_bytes(rows, columns=[*COLUMNS, "Favourite colour"]), "hr.csv")

    assert result.errors == []
    assert [(p.code, p.row, p.column) for p in result.warnings] == [
        ("unknown_column", 1, "Favourite colour")
    ]
    assert Person.objects.count() == 6


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"E3": {"name": ""}}, ("required", 5, "name")),
        ({"E3": {"employee_id": ""}}, ("required", 5, "employee_id")),
        ({"E3": {"email": ""}}, ("required", 5, "email")),
        ({"E3": {"unit_name": ""}}, ("required", 5, "unit_name")),
        ({"E3": {"email": "emma@"}}, ("invalid_email", 5, "email")),
        ({"E3": {"email": "emma example.org"}}, ("invalid_email", 5, "email")),
        ({"E3": {"language": "fr"}}, ("unknown_language", 5, "language")),
        ({"E1": {"unit_type": "division"}}, ("unknown_unit_type", 3, "unit_type")),
        ({"E3": {"roles": "boss"}}, ("unknown_role", 5, "roles")),
        ({"E3": {"name": "x" * 201}}, ("too_long", 5, "name")),
        ({"E6": {"employee_id": "E3"}}, ("duplicate_employee_id", 8, "employee_id")),
        ({"E6": {"email": "EMMA@example.org"}}, ("duplicate_email", 8, "email")),
        ({"E5": {"unit_name": "Dept. of Tests"}}, ("unit_conflict", 7, "unit_name")),
        ({"E5": {"unit_type": "centre"}}, ("unit_conflict", 7, "unit_type")),
        ({"E3": {"parent_unit_code": "U"}}, ("unit_conflict", 5, "parent_unit_code")),
        (
            {"E4": {"parent_unit_code": "X"}, "E6": {"parent_unit_code": "X"}},
            ("unknown_parent_unit", 6, "parent_unit_code"),
        ),
        ({"E3": {"manager_employee_id": "E99"}}, ("unknown_manager", 5, "manager_employee_id")),
        ({"E3": {"roles": "manager"}}, ("two_managers", 5, "roles")),
        ({"E5": {"hr_partner_units": ""}}, ("hr_partner_without_units", 7, "hr_partner_units")),
        ({"E5": {"hr_partner_units": "D|NOPE"}}, ("unknown_unit", 7, "hr_partner_units")),
    ],
)
def test_a_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written(changes, expected):
    assert errors_of(changed(**changes)) == [expected]
    assert_nothing_written()


def test_duplicates_name_the_other_row():
    problem = only_error(changed(E6={"email": "Emma@Example.org"}))

    assert problem.params == {"value": "emma@example.org", "other_row": 5}
    assert problem.message == "The email emma@example.org is also used in row 5."


def test_two_managers_of_a_unit_name_both_people_and_rows():
    problem = only_error(changed(E3={"roles": "leder"}))

    assert problem.message == (
        "Unit S has two managers: Emma Employee here and Mads Manager in row 4."
    )


def test_every_bad_row_is_reported_not_only_the_first():
    rows = changed(E2={"email": "bad"}, E3={"language": "klingon"}, E6={"unit_type": "team"})

    assert errors_of(rows) == [
        ("invalid_email", 4, "email"),
        ("unknown_language", 5, "language"),
        ("unknown_unit_type", 8, "unit_type"),
    ]


def test_a_cycle_in_the_unit_tree_is_refused():
    rows = changed(E1={"parent_unit_code": "G"}, E5={"parent_unit_code": "G"})

    problem = only_error(rows)

    assert (problem.code, problem.row, problem.column) == ("unit_cycle", 3, "parent_unit_code")
    assert problem.message == "The units form a cycle: D → G → S → D."
    assert_nothing_written()


def test_two_top_units_are_refused():
    rows = changed(E1={"parent_unit_code": ""}, E5={"parent_unit_code": ""})

    problem = only_error(rows)

    assert (problem.code, problem.row, problem.column) == (
        "several_top_units",
        3,
        "parent_unit_code",
    )
    assert problem.params == {"code": "D", "other_code": "U", "other_row": 2}


def test_a_file_without_a_top_unit_is_refused():
    rows = changed(U={"parent_unit_code": "D"})

    assert errors_of(rows) == [
        ("no_top_unit", None, "unit_code"),
        ("unit_cycle", 2, "parent_unit_code"),
    ]
    assert_nothing_written()


def test_a_cycle_of_managers_names_the_people_in_it():
    problem = only_error(changed(E1={"manager_employee_id": "E6"}))

    assert (problem.code, problem.row, problem.column) == (
        "manager_cycle",
        3,
        "manager_employee_id",
    )
    assert problem.params["names"] == [
        "Dorte Director",
        "Anton Amk",
        "Gustav Groupleader",
        "Mads Manager",
        "Dorte Director",
    ]
    assert_nothing_written()


def test_being_ones_own_manager_is_a_cycle():
    problem = only_error(changed(E3={"manager_employee_id": "E3"}))

    assert (problem.code, problem.row) == ("manager_cycle", 5)
    assert problem.message == "The managers form a cycle: Emma Employee → Emma Employee."


def test_an_email_of_someone_else_in_the_database_is_refused():
    PersonFactory(email="emma@example.org", employee_id="X1", name="Emma Other")

    problem = only_error(small_organisation())

    assert (problem.code, problem.row, problem.column) == ("email_taken", 5, "email")
    assert problem.message == (
        "The email emma@example.org already belongs to Emma Other, who has a different employee id."
    )
    assert_nothing_written(people=1)


def test_an_email_of_a_local_account_is_refused():
    PersonFactory(email="Emma@example.org", employee_id=None, name="Local Admin")

    assert errors_of(small_organisation()) == [("email_taken_local", 5, "email")]
    assert_nothing_written(people=1)


def test_a_unit_managed_by_a_local_account_is_refused():
    unit = UnitFactory(code="S")
    PersonFactory(employee_id=None, unit=unit, roles=[Role.MANAGER], name="Local Boss")

    problem = only_error(small_organisation())

    assert (problem.code, problem.row, problem.column) == ("manager_is_local_account", 4, "roles")
    assert Person.objects.count() == 1


def test_hr_partner_units_without_the_role_are_a_notice():
    result = import_file(import_file_bytes(changed(E3={"hr_partner_units": "D"})), "hr.csv")

    assert result.errors == []
    assert [(p.code, p.row) for p in result.warnings] == [("hr_partner_units_ignored", 5)]
    assert not Person.objects.get(employee_id="E3").role_assignments.filter(role="hr_partner")


def test_danish_column_names_and_values_are_understood():
    danish = {
        "employee_id": " Medarbejdernr ",
        "name": "NAVN",
        "email": "E-mail",
        "language": "Sprog",
        "unit_code": "enhedskode",
        "unit_name": "enhedsnavn",
        "unit_type": "Enhedstype",
        "parent_unit_code": "overordnet_enhedskode",
        "manager_employee_id": "leder_medarbejdernr",
        "roles": "Roller",
        "hr_partner_units": "hr_partner_enheder",
    }
    rows = changed(
        U={"unit_type": "Universitet"},
        E1={"unit_type": "institut", "roles": "Leder, Institutdirektør"},
        E2={"unit_type": "sektion", "roles": "leder | LSU-medlem", "language": "Engelsk"},
        E3={"unit_type": "sektion", "language": "DANSK"},
        E4={"unit_type": "gruppe", "roles": "leder, AMR, TR"},
        E5={"unit_type": "institut", "roles": "HR-partner, hr administrator"},
        E6={"unit_type": "gruppe", "roles": "AMK-medlem, lsu næstformand, medarbejder"},
    )
    content = import_file_bytes(
        [{danish[key]: value for key, value in row.items()} for row in rows],
        columns=[danish[name] for name in COLUMNS],
    )

    result = import_file(content, "hr.csv")

    assert result.problems == []
    roles = set(RoleAssignment.objects.values_list("person__employee_id", "role", "unit__code"))
    assert ("E1", "director", "D") in roles
    assert ("E2", "lsu_member", "D") in roles
    assert ("E5", "hr_admin", None) in roles
    assert ("E6", "lsu_vice_chair", "D") in roles
    assert Person.objects.get(employee_id="E2").preferred_language == "en"
    assert Person.objects.get(employee_id="E3").preferred_language == "da"


def test_roles_are_held_in_the_units_the_rules_say():
    result = import_file(import_file_bytes(small_organisation()), "hr.csv")

    assert result.problems == []
    assert set(RoleAssignment.objects.values_list("person__employee_id", "role", "unit__code")) == {
        ("E1", "employee", "D"),
        ("E1", "manager", "D"),
        ("E1", "director", "D"),
        ("E2", "employee", "S"),
        ("E2", "manager", "S"),
        ("E2", "lsu_member", "D"),
        ("E3", "employee", "S"),
        ("E4", "employee", "G"),
        ("E4", "manager", "G"),
        ("E4", "amr", "G"),
        ("E4", "tr", "G"),
        ("E5", "employee", "D"),
        ("E5", "hr_partner", "D"),
        ("E5", "hr_partner", "S"),
        ("E5", "hr_admin", None),
        ("E6", "employee", "G"),
        ("E6", "amk_member", "D"),
        ("E6", "lsu_vice_chair", "D"),
    }
    emma = Person.objects.get(employee_id="E3")
    assert (emma.manager.employee_id, emma.unit.code, emma.preferred_language) == ("E2", "S", "en")
    assert Unit.objects.get(code="G").lineage.count("/") == 5


def test_problems_survive_a_trip_through_json_and_render_when_shown():
    result = import_file(import_file_bytes(changed(E3={"email": "bad"})), "hr.csv")

    stored = result.problems_as_json()
    shown = problems_from(stored)

    assert stored == [
        {"code": "invalid_email", "row": 5, "column": "email", "params": {"value": "bad"}}
    ]
    assert shown[0].message == "“bad” is not a valid email address."
    assert str(shown[0]) == "row 5, email: “bad” is not a valid email address."
