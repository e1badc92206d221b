from datetime import timedelta

import pytest
from django.utils import timezone

from dialogues.rounds.domain import organisation as org_domain
from dialogues.rounds.domain.steps import (
    StaleDocumentation,
    StepRefused,
    mark_held,
    record_followup,
    save_documentation,
    set_agreement_status,
)
from dialogues.rounds.models import Agreement, PlanningMember, Round

TOOLS = {"used_film": True, "used_cards": True, "used_next_step_material": False}


def _invite(round_):
    round_.state, round_.invited_at = Round.State.INVITED, timezone.now() - timedelta(days=10)
    round_.save()


def _document(round_, actor, owner, version=0):
    return save_documentation(
        round_,
        actor,
        version=version,
        plenary="We talked about meetings.",
        tools=TOOLS,
        essentials=[{"group": "Group 1", "text": "Fewer meetings"}],
        agreements=[
            {"what": "Meeting-free Fridays", "owner": owner, "due_on": timezone.localdate()}
        ],
    )


def test_the_planning_group_is_filled_in_from_the_organisation(rounds_org):
    group = org_domain.suggested_planning_group(rounds_org.section)
    assert group == {
        PlanningMember.Seat.DIRECTOR: rounds_org.director,
        PlanningMember.Seat.LSU_VICE_CHAIR: rounds_org.lsu_vice_chair,
        PlanningMember.Seat.HR_PARTNER: rounds_org.hr_partner,
    }


def test_leadership_invitees_are_the_managers_own_employees(rounds_org):
    invitees = set(org_domain.default_invitees(True, rounds_org.section, rounds_org.manager))
    assert invitees == {rounds_org.employee, rounds_org.amr, rounds_org.tr}


def test_a_wellbeing_round_links_the_amr_and_the_departments_lsu_and_amk(
    wellbeing_round, rounds_org
):
    linked = set(wellbeing_round.linked_representatives.all())
    assert {rounds_org.amr, rounds_org.lsu_member, rounds_org.lsu_vice_chair} <= linked
    assert rounds_org.amk_member in linked
    assert rounds_org.outsider not in linked


def test_a_round_cannot_be_held_before_it_was_invited_to(leadership_round, rounds_org):
    with pytest.raises(StepRefused, match="invitations have not been sent"):
        mark_held(leadership_round, rounds_org.hr_partner, timezone.localdate())
    assert leadership_round.events.filter(action="held").count() == 0


def test_a_round_cannot_be_held_on_a_future_date(leadership_round, rounds_org):
    _invite(leadership_round)
    with pytest.raises(StepRefused, match="future date"):
        mark_held(leadership_round, rounds_org.hr_partner, timezone.localdate() + timedelta(days=1))


def test_documentation_needs_the_dialogue_to_be_held_first(leadership_round, rounds_org):
    with pytest.raises(StepRefused, match="not been registered as held"):
        _document(leadership_round, rounds_org.hr_partner, rounds_org.manager)
    assert not leadership_round.essentials.exists()


def test_the_whole_path_is_kept_in_the_history(leadership_round, rounds_org):
    _invite(leadership_round)
    mark_held(leadership_round, rounds_org.hr_partner, timezone.localdate())
    round_ = _document(leadership_round, rounds_org.hr_partner, rounds_org.manager)
    assert round_.state == Round.State.DOCUMENTED
    record_followup(
        round_,
        rounds_org.manager,
        {
            "followup_held_on": timezone.localdate(),
            "followup_notes": "Talked with my director.",
            "feedback_to_employees": "Thank you: we start meeting-free Fridays.",
            "feedback_given_on": timezone.localdate(),
        },
    )
    round_.refresh_from_db()
    assert round_.state == Round.State.FOLLOWED_UP
    assert list(round_.events.values_list("action", flat=True)) == [
        "planned",
        "held",
        "documented",
        "followed_up",
    ]


def test_a_second_save_from_a_stale_form_is_refused_and_shows_the_current_text(
    leadership_round, rounds_org
):
    _invite(leadership_round)
    mark_held(leadership_round, rounds_org.hr_partner, timezone.localdate())
    _document(leadership_round, rounds_org.hr_partner, rounds_org.manager, version=0)
    with pytest.raises(StaleDocumentation) as stale:
        _document(leadership_round, rounds_org.hr_partner, rounds_org.manager, version=0)
    assert stale.value.current.documentation_version == 1
    assert stale.value.current.plenary == "We talked about meetings."


def test_dropping_an_agreement_needs_a_reason(leadership_round, rounds_org):
    _invite(leadership_round)
    mark_held(leadership_round, rounds_org.hr_partner, timezone.localdate())
    _document(leadership_round, rounds_org.hr_partner, rounds_org.manager)
    agreement = Agreement.objects.get()
    with pytest.raises(StepRefused, match="Say why"):
        set_agreement_status(agreement, rounds_org.manager, Agreement.Status.DROPPED, "  ")
    set_agreement_status(agreement, rounds_org.manager, Agreement.Status.DROPPED, "Not needed")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.dropped_reason) == ("dropped", "Not needed")
