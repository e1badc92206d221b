"""Importing again: people and units are matched by employee id and unit code."""

import pytest
from django.utils import timezone

from dialogues.organisation.importing import check_file, import_file
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.tests.factories import (
    PersonFactory,
    import_file_bytes,
    small_organisation,
)

pytestmark = pytest.mark.django_db


def run(rows, dry_run=False):
    result = import_file(import_file_bytes(rows), "hr.csv", dry_run=dry_run)
    assert result.errors == [], [str(problem) for problem in result.errors]
    return result.summary


def by_id(rows) -> dict[str, dict]:
    return {row["employee_id"]: row for row in rows if row["employee_id"]}


def roles_of(employee_id: str) -> set[tuple]:
    return set(
        RoleAssignment.objects.filter(person__employee_id=employee_id).values_list(
            "role", "unit__code"
        )
    )


def test_importing_the_same_file_twice_changes_nothing():
    run(small_organisation())

    summary = run(small_organisation())

    assert summary["people"]["counts"] == {
        "added": 0,
        "changed": 0,
        "deactivated": 0,
        "reactivated": 0,
        "unchanged": 6,
    }
    assert summary["units"]["counts"]["unchanged"] == 4
    assert summary["roles"]["counts"] == {"added": 0, "removed": 0}


def test_a_reimport_changes_adds_and_deactivates_people_and_reports_it():
    run(small_organisation())
    rows = small_organisation()
    people = by_id(rows)
    people["E3"].update(name="Emma Employee-Hansen", email="emma.hansen@example.org")
    people["E6"].update(unit_code="S", unit_name="Section of Cases", unit_type="section")
    people["E6"].update(parent_unit_code="D", manager_employee_id="E2", roles="amr")
    rows.remove(people["E5"])
    rows.append(
        {**people["E3"], "employee_id": "E7", "name": "Nina New", "email": "nina@example.org"}
    )
    before = timezone.now()

    summary = run(rows)

    assert summary["people"]["counts"] == {
        "added": 1,
        "changed": 2,
        "deactivated": 1,
        "reactivated": 0,
        "unchanged": 3,
    }
    assert summary["people"]["added"] == [{"employee_id": "E7", "name": "Nina New"}]
    assert summary["people"]["changed"] == [
        {"employee_id": "E3", "name": "Emma Employee-Hansen", "fields": ["name", "email"]},
        {"employee_id": "E6", "name": "Anton Amk", "fields": ["unit", "manager"]},
    ]
    assert summary["people"]["deactivated"] == [{"employee_id": "E5", "name": "Hanne Hr"}]
    hanne = Person.objects.get(employee_id="E5")
    assert hanne.is_active is False
    assert hanne.deactivated_at >= before
    assert roles_of("E5") == set()
    emma = Person.objects.get(employee_id="E3")
    assert (emma.name, emma.email) == ("Emma Employee-Hansen", "emma.hansen@example.org")
    anton = Person.objects.get(employee_id="E6")
    assert (anton.unit.code, anton.manager.employee_id) == ("S", "E2")
    assert roles_of("E6") == {("employee", "S"), ("amr", "S")}
    assert summary["roles"]["counts"] == {"added": 3, "removed": 7}
    assert Person.objects.get(employee_id="E7").manager.employee_id == "E2"


def test_a_person_who_returns_is_reactivated_with_their_roles():
    run(small_organisation())
    rows = small_organisation()
    run([row for row in rows if row["employee_id"] != "E5"])

    summary = run(small_organisation())

    assert summary["people"]["reactivated"] == [
        {"employee_id": "E5", "name": "Hanne Hr", "fields": []}
    ]
    assert summary["people"]["counts"]["reactivated"] == 1
    hanne = Person.objects.get(employee_id="E5")
    assert (hanne.is_active, hanne.deactivated_at) == (True, None)
    assert roles_of("E5") == {
        ("employee", "D"),
        ("hr_partner", "D"),
        ("hr_partner", "S"),
        ("hr_admin", None),
    }


def test_units_are_changed_moved_deactivated_and_reactivated():
    run(small_organisation())
    rows = small_organisation()
    people = by_id(rows)
    # The group G goes away: its people move to the section; the section is renamed.
    for row in rows:
        if row["unit_code"] == "S":
            row["unit_name"] = "Section of Tests"
    for eid in ("E4", "E6"):
        people[eid].update(unit_code="S", unit_name="Section of Tests", unit_type="section")
        people[eid].update(parent_unit_code="D")
    people["E4"]["roles"] = "amr"

    summary = run(rows)

    assert summary["units"]["changed"] == [
        {"code": "S", "name": "Section of Tests", "fields": ["name"]}
    ]
    assert summary["units"]["deactivated"] == [{"code": "G", "name": "Group of Mocks"}]
    assert Unit.objects.get(code="G").is_active is False
    assert Person.objects.get(employee_id="E4").unit.code == "S"

    summary = run(small_organisation())

    assert summary["units"]["reactivated"] == [
        {"code": "G", "name": "Group of Mocks", "fields": []}
    ]
    group = Unit.objects.get(code="G")
    assert group.is_active is True
    assert group.lineage == f"{group.parent.lineage}{group.pk}/"


def test_a_unit_can_move_to_another_parent():
    run(small_organisation())
    rows = small_organisation()
    for row in rows:
        if row["unit_code"] == "G":
            row["parent_unit_code"] = "D"

    summary = run(rows)

    assert summary["units"]["changed"] == [
        {"code": "G", "name": "Group of Mocks", "fields": ["parent"]}
    ]
    group = Unit.objects.get(code="G")
    assert group.parent.code == "D"
    assert (group.lineage, group.depth) == (f"{group.parent.lineage}{group.pk}/", 2)


def test_the_preferred_language_is_only_set_when_the_person_is_created():
    run(small_organisation())
    emma = Person.objects.get(employee_id="E3")
    emma.preferred_language = "da"  # her own choice in the app
    emma.save()
    rows = small_organisation()
    by_id(rows)["E3"]["language"] = "en"

    summary = run(rows)

    assert summary["people"]["counts"]["unchanged"] == 6
    assert Person.objects.get(employee_id="E3").preferred_language == "da"


def test_local_accounts_without_an_employee_id_are_never_touched():
    admin = PersonFactory(employee_id=None, email="admin@example.org", roles=[Role.HR_ADMIN])
    run(small_organisation())

    run([row for row in small_organisation() if row["employee_id"] != "E3"])

    admin.refresh_from_db()
    assert admin.is_active is True
    assert set(admin.role_assignments.values_list("role", "unit")) == {("hr_admin", None)}


def test_two_people_may_trade_email_addresses():
    run(small_organisation())
    rows = small_organisation()
    people = by_id(rows)
    people["E3"]["email"], people["E6"]["email"] = people["E6"]["email"], people["E3"]["email"]

    summary = run(rows)

    assert [item["employee_id"] for item in summary["people"]["changed"]] == ["E3", "E6"]
    assert Person.objects.get(employee_id="E3").email == "anton@example.org"
    assert Person.objects.get(employee_id="E6").email == "emma@example.org"


def test_an_email_kept_by_someone_who_leaves_cannot_be_given_to_another():
    run(small_organisation())
    rows = [row for row in small_organisation() if row["employee_id"] != "E6"]
    by_id(rows)["E3"]["email"] = "anton@example.org"

    result = import_file(import_file_bytes(rows), "hr.csv")

    assert [(p.code, p.row) for p in result.errors] == [("email_taken", 5)]
    assert Person.objects.get(employee_id="E6").is_active is True


def test_a_dry_run_reports_the_changes_and_writes_nothing():
    run(small_organisation())
    rows = [row for row in small_organisation() if row["employee_id"] != "E4"]
    for row in rows:
        if row["manager_employee_id"] == "E4":
            row["manager_employee_id"] = "E2"
    rows.append({**by_id(rows)["E3"], "employee_id": "E9", "email": "e9@example.org"})

    preview = check_file(import_file_bytes(rows), "hr.csv").summary

    assert preview["dry_run"] is True
    assert preview["people"]["counts"]["added"] == 1
    assert preview["people"]["deactivated"] == [{"employee_id": "E4", "name": "Gustav Groupleader"}]
    assert preview["people"]["changed"] == [
        {"employee_id": "E6", "name": "Anton Amk", "fields": ["manager"]}
    ]
    assert Person.objects.filter(is_active=True).count() == 6
    assert not Person.objects.filter(employee_id="E9").exists()
    applied = run(rows)
    assert applied["people"]["counts"] == preview["people"]["counts"]
    assert applied["units"]["counts"] == preview["units"]["counts"]


def test_someone_already_here_may_get_a_manager_who_joins_in_the_same_file():
    run(small_organisation())
    rows = small_organisation()
    people = by_id(rows)
    people["E4"]["roles"] = "amr, tr"
    newcomer = {**people["E4"], "employee_id": "E8", "name": "Gro New", "email": "gro@example.org"}
    newcomer["roles"] = "manager"
    rows.append(newcomer)
    people["E6"]["manager_employee_id"] = "E8"

    summary = run(rows)

    assert summary["people"]["changed"] == [
        {"employee_id": "E6", "name": "Anton Amk", "fields": ["manager"]}
    ]
    assert Person.objects.get(employee_id="E6").manager.name == "Gro New"
    assert roles_of("E8") == {("employee", "G"), ("manager", "G")}
    assert ("manager", "G") not in roles_of("E4")
