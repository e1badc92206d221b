from django.urls import reverse

from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.rules import visible_people, visible_units


def test_the_hr_administrator_sees_the_whole_tree_with_managers(client, org):
    client.force_login(org.hr_admin)
    html = client.get(reverse("organisation:units")).content.decode()
    for unit in Unit.objects.all():
        assert unit.name in html
    assert "manager Manager" in html


def test_a_manager_sees_their_own_subtree_only(org):
    assert set(visible_units(org.manager)) == {org.section}
    assert set(visible_units(org.director)) == {org.department, org.section, org.sibling}


def test_an_employee_sees_their_own_unit_and_themselves_only(org):
    assert set(visible_units(org.employee)) == {org.section}
    assert list(visible_people(org.employee)) == [org.employee]


def test_an_hr_partner_sees_the_people_of_the_units_they_serve(org):
    people = set(visible_people(org.hr_partner))
    assert org.employee in people and org.lsu_member in people
    assert org.outsider not in people


def test_the_object_rules_and_the_lists_agree_for_every_person_and_unit(org):
    for viewer in org.people.values():
        units = set(visible_units(viewer))
        people = set(visible_people(viewer))
        for unit in Unit.objects.all():
            assert viewer.has_perm("organisation.view_unit", unit) is (unit in units), (
                viewer,
                unit,
            )
        for person in Person.objects.all():
            assert viewer.has_perm("organisation.view_person", person) is (person in people), (
                viewer,
                person,
            )


def test_the_unit_page_lists_members_with_their_roles_and_role_holders(client, org):
    client.force_login(org.manager)
    html = client.get(reverse("organisation:unit", args=[org.section.pk])).content.decode()
    assert "Section of Cases" in html
    assert "Work environment representative (AMR): Amr" in html
    assert reverse("organisation:person", args=[org.employee.pk]) in html


def test_an_employee_sees_colleagues_names_but_cannot_open_them(client, org):
    client.force_login(org.employee)
    html = client.get(reverse("organisation:unit", args=[org.section.pk])).content.decode()
    assert "<td>Tr</td>" in html
    assert reverse("organisation:person", args=[org.tr.pk]) not in html


def test_the_people_directory_searches_by_name_email_or_employee_id(client, org):
    client.force_login(org.hr_admin)
    for query in ["Lsu Vice", "lsu-vice-chair@example.org", "E-lsu_vice_chair"]:
        html = client.get(reverse("organisation:people"), {"q": query}).content.decode()
        assert "1 person found" in html, query
        assert "Lsu Vice Chair" in html


def test_an_htmx_search_answers_with_the_results_fragment_only(client, org):
    client.force_login(org.hr_admin)
    response = client.get(
        reverse("organisation:people"), {"q": "outsider"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html and "Outsider" in html


def test_people_who_left_are_hidden_unless_asked_for(client, org):
    org.outsider.is_active = False
    org.outsider.save()
    client.force_login(org.hr_admin)
    assert "Outsider" not in client.get(reverse("organisation:people")).content.decode()
    html = client.get(reverse("organisation:people"), {"include_inactive": "on"}).content.decode()
    assert "Outsider" in html and "has left" in html


def test_the_directory_filters_by_a_unit_and_its_subtree(client, org):
    client.force_login(org.hr_admin)
    html = client.get(reverse("organisation:people"), {"unit": org.department.pk}).content.decode()
    assert "Lsu Member" in html and "Employee" in html and "Outsider" not in html


def test_the_directory_costs_the_same_queries_for_10_or_60_people(
    client, org, django_assert_max_num_queries
):
    client.force_login(org.hr_admin)
    client.get(reverse("organisation:people"))  # warm the session and the unit list
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("organisation:people"))
    for number in range(50):
        person = Person.objects.create(
            email=f"p{number}@example.org", name=f"Person {number}", unit=org.section
        )
        RoleAssignment.objects.create(person=person, role=Role.AMR, unit=org.section)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("organisation:people"))


def test_the_person_page_shows_roles_and_reports(client, org):
    client.force_login(org.director)
    html = client.get(reverse("organisation:person", args=[org.manager.pk])).content.decode()
    assert "Manager: Section of Cases" in html
    assert "Reports to this person" in html and "Employee" in html
