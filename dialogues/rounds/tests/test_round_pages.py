from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues.organisation.models import RoleAssignment
from dialogues.organisation.roles import Role
from dialogues.rounds.domain.steps import mark_held, record_followup
from dialogues.rounds.models import Agreement, PlanningNote, Round

pytestmark = pytest.mark.django_db


def _start_data(org, kind="leadership", **overrides):
    day = timezone.localdate() + timedelta(days=30)
    data = {
        "concept": kind,
        "unit": org.section.pk,
        "manager": org.manager.pk if kind == "leadership" else "",
        "date": day.isoformat(),
        "start_time": "09:00",
        "duration_minutes": 120,
        "place": "Room 1",
        "facilitation": "hr",
        "facilitator": org.hr_partner.pk,
    }
    data.update(overrides)
    return data


def _invited(round_):
    round_.state, round_.invited_at = Round.State.INVITED, timezone.now() - timedelta(days=5)
    round_.save()


def _documentation(round_, owner, **extra):
    data = {
        "version": round_.documentation_version,
        "plenary": "We agreed to talk more.",
        "used_cards": "on",
        "essentials-TOTAL_FORMS": 2,
        "essentials-INITIAL_FORMS": 0,
        "essentials-0-group": "Group A",
        "essentials-0-text": "More feedback between projects",
        "essentials-1-group": "",
        "essentials-1-text": "",
        "agreements-TOTAL_FORMS": 1,
        "agreements-INITIAL_FORMS": 0,
        "agreements-0-what": "Monthly team lunch",
        "agreements-0-owner": owner.pk if owner else "",
        "agreements-0-due_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    data.update(extra)
    return data


def test_a_director_starts_a_leadership_round_with_the_planning_group_filled_in(client, rounds_org):
    client.force_login(rounds_org.director)
    response = client.post(reverse("rounds:start"), _start_data(rounds_org))
    round_ = Round.objects.get()
    assert response.url == reverse("rounds:detail", args=[round_.pk])
    seats = {m.seat: m.person for m in round_.planning_group.all()}
    assert seats == {
        "director": rounds_org.director,
        "lsu_vice_chair": rounds_org.lsu_vice_chair,
        "hr_partner": rounds_org.hr_partner,
    }
    assert {i.person for i in round_.invitations.all()} == {
        rounds_org.employee,
        rounds_org.amr,
        rounds_org.tr,
    }


def test_a_planning_group_missing_a_member_is_refused_next_to_the_field(client, rounds_org):
    RoleAssignment.objects.filter(role=Role.LSU_VICE_CHAIR).delete()
    client.force_login(rounds_org.director)
    response = client.post(reverse("rounds:start"), _start_data(rounds_org))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The planning group needs all three members" in html
    assert 'aria-invalid="true"' in html
    assert not Round.objects.exists()


def test_a_date_in_the_past_is_refused(client, rounds_org):
    client.force_login(rounds_org.director)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(reverse("rounds:start"), _start_data(rounds_org, date=yesterday))
    assert "The date has passed" in response.content.decode()
    assert not Round.objects.exists()


def test_an_employee_cannot_start_a_round(client, rounds_org):
    client.force_login(rounds_org.employee)
    assert client.post(reverse("rounds:start"), _start_data(rounds_org)).status_code == 403


def test_planning_notes_are_for_the_planning_group_only(client, leadership_round, rounds_org):
    PlanningNote.objects.create(
        round=leadership_round,
        kind="concern",
        text="The group is uneasy",
        author=rounds_org.director,
    )
    url = reverse("rounds:planning_notes", args=[leadership_round.pk])
    for member in (rounds_org.director, rounds_org.lsu_vice_chair, rounds_org.hr_partner):
        client.force_login(member)
        assert "The group is uneasy" in client.get(url).content.decode()
    for outsider in (rounds_org.manager, rounds_org.employee, rounds_org.hr_admin):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        detail = client.get(reverse("rounds:detail", args=[leadership_round.pk])).content.decode()
        assert "uneasy" not in detail
        assert "Planning group notes" not in detail


def test_holding_before_inviting_is_refused_and_the_page_says_why(
    client, leadership_round, rounds_org
):
    client.force_login(rounds_org.hr_partner)
    response = client.post(
        reverse("rounds:held", args=[leadership_round.pk]),
        {"held_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "The invitations have not been sent" in response.content.decode()
    leadership_round.refresh_from_db()
    assert leadership_round.state == Round.State.PLANNED


def test_documenting_before_the_dialogue_was_held_is_refused(client, leadership_round, rounds_org):
    client.force_login(rounds_org.hr_partner)
    response = client.post(
        reverse("rounds:document", args=[leadership_round.pk]),
        _documentation(leadership_round, rounds_org.manager),
        follow=True,
    )
    assert "document it after it was held" in response.content.decode()
    assert not leadership_round.essentials.exists()


def test_an_agreement_without_an_owner_is_refused_and_nothing_is_saved(
    client, leadership_round, rounds_org
):
    _invited(leadership_round)
    mark_held(leadership_round, rounds_org.hr_partner, timezone.localdate())
    client.force_login(rounds_org.hr_partner)
    response = client.post(
        reverse("rounds:document", args=[leadership_round.pk]),
        _documentation(leadership_round, None),
    )
    assert "Every agreement needs an owner." in response.content.decode()
    leadership_round.refresh_from_db()
    assert (leadership_round.state, leadership_round.plenary) == (Round.State.HELD, "")
    assert not leadership_round.essentials.exists()


def test_the_second_of_two_simultaneous_edits_sees_both_versions(
    client, leadership_round, rounds_org
):
    _invited(leadership_round)
    mark_held(leadership_round, rounds_org.hr_partner, timezone.localdate())
    client.force_login(rounds_org.hr_partner)
    url = reverse("rounds:document", args=[leadership_round.pk])
    first = _documentation(leadership_round, rounds_org.manager, plenary="First version")
    second = _documentation(leadership_round, rounds_org.manager, plenary="Second version")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    html = response.content.decode()
    assert "Someone else saved the documentation" in html
    assert "First version" in html and "Second version" in html
    leadership_round.refresh_from_db()
    assert leadership_round.plenary == "First version"
    # Saving again from the conflict page knowingly replaces the saved version.
    again = _documentation(leadership_round, rounds_org.manager, plenary="Merged version")
    assert client.post(url, again).status_code == 302
    leadership_round.refresh_from_db()
    assert leadership_round.plenary == "Merged version"


def _documented(round_, org):
    _invited(round_)
    mark_held(round_, org.hr_partner, timezone.localdate())
    from dialogues.rounds.domain.steps import save_documentation

    return save_documentation(
        round_,
        org.hr_partner,
        version=0,
        plenary="Secret plenary",
        tools={"used_film": False, "used_cards": True, "used_next_step_material": False},
        essentials=[{"group": "Group A", "text": "Essential text"}],
        agreements=[{"what": "Agreed thing", "owner": org.manager, "due_on": timezone.localdate()}],
    )


def test_leadership_documentation_is_for_the_manager_their_manager_and_hr(
    client, leadership_round, rounds_org
):
    round_ = _documented(leadership_round, rounds_org)
    record_followup(
        round_,
        rounds_org.manager,
        {
            "feedback_to_employees": "Thanks, we will change X",
            "feedback_given_on": timezone.localdate(),
        },
    )
    url = reverse("rounds:detail", args=[round_.pk])
    for reader in (rounds_org.manager, rounds_org.director, rounds_org.hr_partner):
        client.force_login(reader)
        assert "Secret plenary" in client.get(url).content.decode(), reader
    client.force_login(rounds_org.employee)
    html = client.get(url).content.decode()
    assert "Secret plenary" not in html and "Essential text" not in html
    assert "Thanks, we will change X" in html


def test_wellbeing_documentation_is_shared_with_the_unit_lsu_and_amk(
    client, wellbeing_round, rounds_org
):
    round_ = _documented(wellbeing_round, rounds_org)
    url = reverse("rounds:detail", args=[round_.pk])
    for reader in (
        rounds_org.employee,
        rounds_org.lsu_member,
        rounds_org.amk_member,
        rounds_org.amr,
    ):
        client.force_login(reader)
        assert "Secret plenary" in client.get(url).content.decode(), reader
    client.force_login(rounds_org.outsider)
    assert client.get(url).status_code == 403


def test_the_manager_completes_the_leadership_follow_up(client, leadership_round, rounds_org):
    round_ = _documented(leadership_round, rounds_org)
    client.force_login(rounds_org.manager)
    today = timezone.localdate().isoformat()
    client.post(
        reverse("rounds:followup", args=[round_.pk]),
        {
            "followup_held_on": today,
            "followup_notes": "Talked with my director",
            "feedback_given_on": today,
            "feedback_to_employees": "We start now",
        },
    )
    round_.refresh_from_db()
    assert round_.state == Round.State.FOLLOWED_UP
    client.force_login(rounds_org.employee)
    assert client.get(reverse("rounds:followup", args=[round_.pk])).status_code == 403


def test_agreements_move_on_the_board_and_a_dropped_one_needs_a_reason(
    client, leadership_round, rounds_org
):
    _documented(leadership_round, rounds_org)
    agreement = Agreement.objects.get()
    client.force_login(rounds_org.manager)
    board = client.get(reverse("rounds:board", args=[rounds_org.section.pk])).content.decode()
    assert "Agreed thing" in board
    url = reverse("rounds:agreement", args=[agreement.pk])
    prefix = f"a{agreement.pk}"
    response = client.post(url, {f"{prefix}-status": "dropped"}, headers={"HX-Request": "true"})
    assert "Say why the agreement was dropped." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "open"
    client.post(url, {f"{prefix}-status": "in_progress"})
    agreement.refresh_from_db()
    assert agreement.status == "in_progress"
    client.force_login(rounds_org.employee)
    assert client.post(url, {f"{prefix}-status": "done"}).status_code == 403
