import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dialogues.organisation.models import Person, Unit
from dialogues.rounds.demo import create_demo_rounds
from dialogues.rounds.domain import overview as ov
from dialogues.rounds.models import Agreement, Invitation, Round

ALL_STATES = {code for code, _label in ov.STATES}


@pytest.fixture
def demo(db):
    """The demo organisation with its rounds, as ``load_demo`` leaves it."""
    call_command("load_demo", verbosity=0)
    return list(Round.objects.all())


def _person(email: str) -> Person:
    return Person.objects.get(email=email)


def test_every_state_for_both_concepts_and_late_at_every_step(demo):
    overview = ov.build_overview(_person("hr-admin@dialogues.example"))

    for kind in ("wellbeing", "leadership"):
        states = {row.state for row in overview.rows if row.concept.kind == kind}
        assert states == ALL_STATES, kind
    flags = {flag for row in overview.rows for flag in row.overdue}
    assert flags == {ov.DUE, ov.INVITE, ov.DOCUMENT, ov.FOLLOW_UP}
    assert sum(row.overdue_agreements for row in overview.rows) >= 1
    not_started = [row for row in overview.rows if row.state == ov.NOT_STARTED]
    assert len(not_started) >= len(overview.rows) // 3


def test_the_demo_directors_department_shows_every_state(demo):
    overview = ov.build_overview(_person("director@dialogues.example"))
    compute = Unit.objects.get(code="COMPUTE")

    assert all(row.unit.lineage.startswith(compute.lineage) for row in overview.rows)
    assert {row.state for row in overview.rows} == ALL_STATES
    wellbeing, leadership = overview.coverage(overview.rows)
    assert wellbeing.total == leadership.total == 5


def test_the_demo_manager_has_a_leadership_round_to_follow_up(demo):
    manager = _person("manager@dialogues.example")

    round_ = Round.objects.get(manager=manager, concept__kind="leadership")

    assert round_.unit.code == "COMPUTE-S1"
    assert round_.state == Round.State.DOCUMENTED
    assert not round_.feedback_to_employees and not round_.followup_held_on
    assert 2 <= round_.essentials.count() <= 3
    assert _person("employee@dialogues.example") in {i.person for i in round_.invitations.all()}
    assert set(round_.planning_group.values_list("seat", flat=True)) == {
        "director", "lsu_vice_chair", "hr_partner"
    }  # fmt: skip


def test_documented_rounds_read_like_real_notes_with_agreements_in_every_status(demo):
    round_ = Round.objects.get(unit__code="COMPUTE-S1", concept__kind="wellbeing")

    assert round_.state == Round.State.DOCUMENTED
    assert [e.group for e in round_.essentials.all()] == ["Gruppe 1", "Gruppe 2", "Gruppe 3"]
    assert "faglig sparring" in round_.essentials.first().text
    assert round_.plenary and round_.used_cards
    agreements = list(round_.agreements.all())
    assert {a.status for a in agreements} == set(Agreement.Status.values)
    assert len({a.owner_id for a in agreements}) >= 2
    dropped = next(a for a in agreements if a.status == Agreement.Status.DROPPED)
    assert dropped.dropped_reason
    today = timezone.localdate()
    late = [a for a in agreements if a.status == Agreement.Status.OPEN and a.due_on < today]
    assert len(late) == 1


def test_followed_up_leadership_rounds_have_feedback_and_history(demo):
    followed = Round.objects.filter(concept__kind="leadership", state=Round.State.FOLLOWED_UP)

    assert followed.count() >= 2
    for round_ in followed:
        assert round_.followup_held_on and round_.followup_notes
        assert round_.feedback_to_employees and round_.feedback_given_on
        actions = list(round_.events.values_list("action", flat=True))
        assert actions[:3] == ["planned", "invited", "held"] and "followed_up" in actions
        assert round_.created_at < round_.invited_at < round_.followed_up_at


def test_invitations_are_marked_sent_and_the_hr_partner_facilitates_several(demo):
    invited = Round.objects.exclude(state=Round.State.PLANNED)

    assert not Invitation.objects.filter(round__in=invited, sent_at__isnull=True).exists()
    assert not Invitation.objects.filter(round__state="planned", sent_at__isnull=False).exists()
    hr_partner = _person("hr-partner@dialogues.example")
    assert Round.objects.filter(facilitator=hr_partner).count() >= 5
    assert Round.objects.filter(facilitation=Round.Facilitation.UNIT).exists()
    assert Round.objects.exclude(facilitator__in=[hr_partner, None]).exists()


def test_loading_the_demo_rounds_twice_creates_nothing_new(demo, capsys):
    count = Round.objects.count()
    assert len(demo) == count >= 15

    assert create_demo_rounds() == []
    call_command("load_demo_rounds")

    assert Round.objects.count() == count
    assert "Rounds exist already" in capsys.readouterr().out


def test_load_demo_creates_the_rounds_with_the_organisation(db, capsys):
    call_command("load_demo")

    assert Round.objects.count() >= 15
    assert "Demo dialogue rounds" in capsys.readouterr().out


def test_the_rounds_command_creates_them_after_the_organisation(db, capsys):
    call_command("load_demo", verbosity=0)
    Round.objects.all().delete()

    call_command("load_demo_rounds")

    assert Round.objects.count() >= 15
    assert "created" in capsys.readouterr().out


def test_the_command_asks_for_the_demo_organisation_first(db):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_rounds")
