from datetime import date, datetime, time, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dialogues.concepts.models import Concept
from dialogues.organisation.models import Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.tests.factories import PersonFactory, UnitFactory
from dialogues.rounds.domain import overview as ov
from dialogues.rounds.domain.steps import (
    mark_held,
    plan_round,
    record_followup,
    save_documentation,
    set_agreement_status,
)
from dialogues.rounds.forms_overview import OverviewFilterForm
from dialogues.rounds.models import Agreement, Round
from dialogues.rounds.tests.conftest import make_plan

State = Round.State
TODAY = timezone.localdate()
URL = "/rounds/overview/"


def _at(days: int) -> datetime:
    return timezone.make_aware(datetime.combine(TODAY + timedelta(days=days), time(13)))


def walk(org, kind, days, state, *, unit=None, manager=None, agreement_due=None):
    """A round ``days`` from today (negative: in the past), brought to ``state``."""
    unit, manager = unit or org.section, manager or org.manager
    plan = make_plan(org, kind, unit=unit, manager=manager, starts_at=_at(days))
    round_ = plan_round(plan, org.hr_admin)
    if state == State.PLANNED:
        return round_
    round_.state, round_.invited_at = State.INVITED, _at(min(days, 0) - 30)
    round_.save()
    if state == State.INVITED:
        return round_
    mark_held(round_, org.hr_partner, TODAY + timedelta(days=days))
    if state == State.HELD:
        return round_
    due = agreement_due if agreement_due is not None else TODAY + timedelta(days=30)
    round_ = save_documentation(
        round_,
        org.hr_partner,
        version=0,
        plenary="Vi talte om travlhed.",
        tools={},
        essentials=[{"group": "Gruppe 1", "text": "Mere sparring"}],
        agreements=[{"what": "Fælles frokost", "owner": manager, "due_on": due}],
    )
    if state == State.DOCUMENTED:
        return round_
    record_followup(
        round_,
        manager,
        {
            "followup_held_on": TODAY,
            "followup_notes": "Delt på LSU-mødet.",
            "feedback_to_employees": "Tak for input.",
            "feedback_given_on": TODAY,
        },
    )
    return round_


def row_for(overview, kind, unit=None, manager=None):
    for row in overview.rows:
        if row.concept.kind == kind and (
            (manager and row.manager == manager) if kind == "leadership" else row.unit == unit
        ):
            return row
    raise AssertionError(f"no {kind} row")


def add_section(org, code, parent=None):
    unit = UnitFactory(code=code, name=f"Section {code}", parent=parent or org.department)
    manager = PersonFactory(unit=unit, roles=[Role.MANAGER])
    return unit, manager


CASES = [
    # (concept, days from today, state reached) → (state shown, overdue flags)
    ("leadership", None, None, ov.NOT_STARTED, [ov.DUE]),
    ("leadership", 40, State.PLANNED, State.PLANNED, []),
    ("leadership", 20, State.PLANNED, State.PLANNED, [ov.INVITE]),
    ("leadership", -3, State.PLANNED, State.PLANNED, [ov.INVITE]),
    ("leadership", 10, State.INVITED, State.INVITED, []),
    ("leadership", -20, State.INVITED, State.INVITED, [ov.DOCUMENT]),
    ("wellbeing", -5, State.HELD, State.HELD, []),
    ("wellbeing", -20, State.HELD, State.HELD, [ov.DOCUMENT]),
    ("wellbeing", -30, State.DOCUMENTED, State.DOCUMENTED, []),
    ("leadership", -70, State.DOCUMENTED, State.DOCUMENTED, [ov.FOLLOW_UP]),
    ("leadership", -100, State.FOLLOWED_UP, State.FOLLOWED_UP, []),
    ("leadership", -400, State.FOLLOWED_UP, ov.NOT_STARTED, [ov.DUE]),  # older than 12 months
    ("wellbeing", -600, State.FOLLOWED_UP, State.FOLLOWED_UP, []),  # within 24 months
    ("wellbeing", -750, State.FOLLOWED_UP, ov.NOT_STARTED, [ov.DUE]),  # older than 24 months
]


@pytest.mark.parametrize(("kind", "days", "reached", "shown", "flags"), CASES)
def test_each_state_and_what_is_overdue(rounds_org, kind, days, reached, shown, flags):
    if reached:
        walk(rounds_org, kind, days, reached)

    row = row_for(
        ov.build_overview(rounds_org.hr_admin), kind, rounds_org.section, rounds_org.manager
    )

    assert (row.state, row.overdue) == (shown, flags)
    assert row.is_overdue == bool(flags)
    assert (row.round is not None) == (shown != ov.NOT_STARTED)


def test_the_latest_current_round_counts_and_the_thresholds_follow_the_settings(
    rounds_org, settings
):
    walk(rounds_org, "wellbeing", -300, State.FOLLOWED_UP)
    latest = walk(rounds_org, "wellbeing", 25, State.PLANNED)
    row = row_for(ov.build_overview(rounds_org.hr_admin), "wellbeing", rounds_org.section)
    assert (row.round, row.overdue) == (latest, [ov.INVITE])

    settings.ROUNDS_INVITE_DAYS_BEFORE = 20
    row = row_for(ov.build_overview(rounds_org.hr_admin), "wellbeing", rounds_org.section)
    assert row.overdue == []


def test_agreements_past_their_date_are_counted_until_done_or_dropped(rounds_org):
    round_ = walk(
        rounds_org, "wellbeing", -30, State.DOCUMENTED, agreement_due=TODAY - timedelta(1)
    )
    row = row_for(ov.build_overview(rounds_org.hr_admin), "wellbeing", rounds_org.section)
    assert (row.overdue, row.overdue_agreements, row.is_overdue) == ([], 1, True)
    assert row.overdue_labels == ["1 agreement past its date"]

    agreement = round_.agreements.get()
    set_agreement_status(agreement, rounds_org.manager, Agreement.Status.IN_PROGRESS)
    assert (
        row_for(
            ov.build_overview(rounds_org.hr_admin), "wellbeing", rounds_org.section
        ).overdue_agreements
        == 1
    )
    set_agreement_status(agreement, rounds_org.manager, Agreement.Status.DROPPED, "Ikke muligt")
    assert (
        row_for(
            ov.build_overview(rounds_org.hr_admin), "wellbeing", rounds_org.section
        ).overdue_agreements
        == 0
    )


def test_the_hr_partner_of_each_row_is_the_nearest_one_above(rounds_org):
    unit, _manager = add_section(rounds_org, "S9", parent=rounds_org.other_department)
    overview = ov.build_overview(rounds_org.hr_admin)

    assert {row.hr_partner for row in overview.rows} == {rounds_org.hr_partner}
    # The small organisation's partner serves the department; rounds_org adds the university.
    assert row_for(overview, "wellbeing", unit).hr_partner == rounds_org.hr_partner


def test_coverage_figures_are_exact(rounds_org):
    a, manager_a = add_section(rounds_org, "A")
    b, manager_b = add_section(rounds_org, "B")
    c, _manager_c = add_section(rounds_org, "C")
    walk(rounds_org, "wellbeing", -100, State.FOLLOWED_UP)
    walk(rounds_org, "wellbeing", -30, State.DOCUMENTED, unit=a, manager=manager_a)
    walk(rounds_org, "wellbeing", 50, State.PLANNED, unit=b, manager=manager_b)
    walk(rounds_org, "leadership", -5, State.HELD)
    walk(rounds_org, "leadership", 10, State.INVITED, unit=a, manager=manager_a)
    overview = ov.build_overview(rounds_org.hr_admin)

    wellbeing, leadership = overview.coverage(overview.rows)

    assert wellbeing.counts == {
        "not_started": 1, "planned": 1, "invited": 0, "held": 0, "documented": 1, "followed_up": 1
    }  # fmt: skip
    assert (wellbeing.total, wellbeing.held_or_later, wellbeing.percent) == (4, 2, 50)
    assert leadership.counts == {
        "not_started": 2, "planned": 0, "invited": 1, "held": 1, "documented": 0, "followed_up": 0
    }  # fmt: skip
    assert (leadership.total, leadership.held_or_later, leadership.percent) == (4, 1, 25)


@pytest.mark.parametrize(
    ("held", "total", "percent"), [(0, 0, 0), (1, 3, 33), (2, 3, 67), (1, 8, 13)]
)
def test_the_share_is_rounded_half_up(held, total, percent):
    concept = Concept(kind="wellbeing")
    assert ov.Coverage(concept, {}, total, held).percent == percent


def test_the_filters_select_rows_and_coverage_follows_unit_concept_and_partner(rounds_org):
    a, manager_a = add_section(rounds_org, "A")
    group, manager_g = add_section(rounds_org, "AG", parent=a)
    walk(rounds_org, "wellbeing", 50, State.PLANNED, unit=a, manager=manager_a)
    walk(rounds_org, "leadership", 10, State.PLANNED, unit=group, manager=manager_g)
    overview = ov.build_overview(rounds_org.hr_admin)

    def pick(**data):
        form = OverviewFilterForm(data, overview=overview)
        return form, overview.select(form.filters())

    _form, rows = pick(unit=str(a.pk))
    assert {row.unit for row in rows} == {a, group}
    _form, rows = pick(unit=str(a.pk), concept="leadership")
    assert [(row.unit, row.manager) for row in rows] == [(a, manager_a), (group, manager_g)]
    _form, rows = pick(state="planned")
    assert {(row.unit, row.concept.kind) for row in rows} == {
        (a, "wellbeing"),
        (group, "leadership"),
    }
    _form, rows = pick(unit=str(a.pk), only_overdue="on")
    assert {(row.unit, row.concept.kind) for row in rows} == {
        (a, "leadership"), (group, "wellbeing"), (group, "leadership")
    }  # fmt: skip
    _form, rows = pick(hr_partner=str(rounds_org.hr_partner.pk))
    assert len(rows) == len(overview.rows)
    _form, rows = pick(hr_partner="none")
    assert rows == []

    form, rows = pick(state="planned", unit=str(a.pk))
    wellbeing, _leadership = overview.coverage(overview.population(form.filters()))
    assert (wellbeing.total, wellbeing.counts["planned"], wellbeing.counts["not_started"]) == (
        2,
        1,
        1,
    )


@pytest.mark.parametrize(
    "query", ["unit=999999", "state=lost", "concept=poetry", "hr_partner=abc", "unit=x&state=held"]
)
def test_an_invalid_filter_is_explained_next_to_its_field(rounds_org, login, query):
    response = login(rounds_org.hr_admin).get(f"{URL}?{query}")

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert 'aria-invalid="true"' in response.text
    assert "could not be used" in response.text


def _row_units(response) -> set:
    return {(row.unit.code, row.concept.kind) for row in response.context["rows"]}


def test_each_person_sees_the_units_they_answer_for(rounds_org, login, client):
    other, _manager = add_section(rounds_org, "T9", parent=rounds_org.other_department)
    partner_elsewhere = PersonFactory(unit=rounds_org.other_department)
    partner_elsewhere.role_assignments.create(
        role=Role.HR_PARTNER, unit=rounds_org.other_department
    )
    ours = {("S", "wellbeing"), ("S", "leadership")}
    theirs = {("T9", "wellbeing"), ("T9", "leadership")}

    assert _row_units(login(rounds_org.director).get(URL)) == ours
    assert _row_units(login(partner_elsewhere).get(URL)) == theirs
    assert _row_units(login(rounds_org.hr_admin).get(URL)) == ours | theirs
    for person in (rounds_org.employee, rounds_org.manager, rounds_org.amr):
        assert login(person).get(URL).status_code == 403
        assert login(person).get(reverse("rounds:overview_xlsx")).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_a_hr_partner_sees_only_the_units_they_serve(org, login):
    _unit, _manager = add_section(org, "T9", parent=org.other_department)

    assert _row_units(login(org.hr_partner).get(URL)) == {("S", "wellbeing"), ("S", "leadership")}


def _grow(org, sections: int) -> None:
    for number in range(sections):
        unit, manager = add_section(org, f"G{sections}-{number}")
        group, group_manager = add_section(org, f"G{sections}-{number}-1", parent=unit)
        walk(org, "wellbeing", -30, State.DOCUMENTED, unit=unit, manager=manager,
             agreement_due=TODAY - timedelta(days=2))  # fmt: skip
        walk(org, "leadership", 40, State.PLANNED, unit=group, manager=group_manager)


def test_the_number_of_queries_does_not_grow_with_the_organisation(
    rounds_org, login, django_assert_max_num_queries
):
    client = login(rounds_org.hr_admin)
    _grow(rounds_org, 2)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(URL).context["rows"]) == 10
    _grow(rounds_org, 25)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("rounds:overview_xlsx"))

    assert len(response.context["rows"]) == 2 + 4 * 27
    assert len(small.captured_queries) <= 12


def test_the_export_has_the_filtered_rows_and_the_coverage(rounds_org, login):
    walk(rounds_org, "wellbeing", -30, State.DOCUMENTED)
    walk(rounds_org, "leadership", 40, State.PLANNED)

    response = login(rounds_org.hr_admin).get(
        reverse("rounds:overview_xlsx") + "?concept=wellbeing"
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"dialogue-overview-{TODAY:%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Overview", "Coverage"]
    sheet = book["Overview"]
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == ["Unit", "Unit code", "Manager", "Concept", "State", "Date"]
    assert all(cell.font.bold for cell in sheet[1])
    lines = [[cell.value for cell in line] for line in sheet.iter_rows(min_row=2)]
    assert len(lines) == 1
    assert lines[0][:5] == ["Section of Cases", "S", "Manager", "Well-being dialogue", "Documented"]
    assert lines[0][5].date() == TODAY - timedelta(days=30)
    coverage = [[cell.value for cell in line] for line in book["Coverage"].iter_rows()]
    assert coverage[0][0] == "Concept" and coverage[0][-1] == "Held or later (%)"
    assert coverage[1] == ["Well-being dialogue", 0, 0, 0, 0, 1, 0, 1, 1, 100]
    assert len(coverage) == 2


def test_text_that_looks_like_a_formula_stays_text(rounds_org, login):
    Unit.objects.filter(pk=rounds_org.section.pk).update(name='=HYPERLINK("http://x")')

    response = login(rounds_org.hr_admin).get(reverse("rounds:overview_xlsx"))

    cell = load_workbook(BytesIO(response.content))["Overview"]["A2"]
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://x")')


def test_the_page_shows_figures_chart_and_rows_and_htmx_gets_only_the_results(rounds_org, login):
    round_ = walk(rounds_org, "wellbeing", -20, State.HELD)
    client = login(rounds_org.hr_admin)

    page = client.get(URL).text
    assert "<html" in page and 'hx-get="/rounds/overview/"' in page and 'hx-push-url="true"' in page
    assert 'role="img"' in page and 'aria-labelledby="coverage-chart-title' in page
    # One bar per concept and state; the held well-being round fills the whole bar.
    assert page.count("<rect ") == 12
    assert 'width="330" height="16" fill=' in page and ">Held</text>" in page
    assert "<caption>Coverage figures</caption>" in page
    assert reverse("rounds:detail", args=[round_.pk]) in page
    assert "Documentation overdue" in page and "Due: no current dialogue" in page
    assert 'style="' not in page

    response = client.get(URL + "?concept=wellbeing", headers={"HX-Request": "true"})
    assert "HX-Request" in response["Vary"]
    partial = response.text
    assert "<html" not in partial and "<form" not in partial
    assert partial.lstrip().startswith('<div id="results"')
    assert "Documentation overdue" in partial and "Due: no current dialogue" not in partial
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(URL + "?concept=wellbeing", headers=restore).text


def test_the_planned_date_is_shown_and_a_round_link_only_when_there_is_one(rounds_org, login):
    walk(rounds_org, "leadership", 40, State.PLANNED)

    response = login(rounds_org.hr_admin).get(URL)

    row = row_for(ov.build_overview(rounds_org.hr_admin), "leadership", manager=rounds_org.manager)
    assert row.date == TODAY + timedelta(days=40)
    assert isinstance(row.date, date)
    assert response.text.count(">Open the round</a>") == 1
