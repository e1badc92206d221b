import pytest

from dialogues.organisation.models import Person
from dialogues.organisation.rules import visible_rounds
from dialogues.rounds.models import Round

pytestmark = pytest.mark.django_db


def test_the_round_list_and_the_round_rule_agree_for_everyone(leadership_round, wellbeing_round):
    for person in Person.objects.all():
        listed = set(visible_rounds(person))
        for round_ in Round.objects.all():
            assert person.has_perm("rounds.view_round", round_) is (round_ in listed), (
                person,
                round_,
            )


def test_an_employee_of_another_department_sees_no_round(
    leadership_round, wellbeing_round, rounds_org
):
    assert not visible_rounds(rounds_org.outsider).exists()


def test_the_employees_see_their_leadership_round_and_their_units_wellbeing_round(
    leadership_round, wellbeing_round, rounds_org
):
    assert set(visible_rounds(rounds_org.employee)) == {leadership_round, wellbeing_round}
