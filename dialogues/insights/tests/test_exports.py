"""Results as XLSX and CSV files, the rows they are made of, and their access log entries."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dialogues.experiences.models import Question
from dialogues.insights.domain.publication import publish
from dialogues.insights.domain.results import (
    SOURCE_CHOICES,
    Slice,
    closed_result,
    comment_count,
    respondents,
)
from dialogues.insights.exports.api import results_json
from dialogues.insights.exports.tabular import (
    ChoiceRow,
    CommentsRow,
    RateRow,
    RespondentsRow,
    export_slices,
    result_rows,
)
from dialogues.insights.models import ExportLog
from dialogues.insights.pages import ResultsPage
from dialogues.insights.tests import audit
from dialogues.insights.tests.factories import CLOSED_QUESTION, closed_test_campaign
from dialogues.insights.tests.test_disclosure_audit import (
    CONCEPTS,
    ROLE_GROUPS,
    _publication,
    campaigns,
)

ANSWERS, RESPONDENTS, RATES, ABOUT = "Answers", "Respondents", "Response rates", "About"


@pytest.fixture(autouse=True)
def _fresh_publications():
    """Publications are cached by campaign key, which a new test database may reuse."""
    cache.clear()
    yield
    cache.clear()


def export(client, kind, campaign, **query):
    return client.get(reverse(f"insights:export_{kind}", args=[campaign.pk]), query)


def sheet_rows(workbook, title) -> list[dict]:
    rows = list(workbook[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def csv_tables(response) -> dict[str, list[dict]]:
    """The CSV's three tables by title (the first has none: its header opens the file)."""
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    tables, title, header = {}, ANSWERS, None
    for line in lines:
        if not line:
            title, header = None, None
        elif title is None:
            title = line[0]
        elif header is None:
            header = line
            tables[title] = []
        else:
            tables[title].append(dict(zip(header, line, strict=True)))
    return tables


def question(campaign, question_id):
    return publish(campaign).questions[question_id]


# --- the workbook -------------------------------------------------------------------------------


def test_the_workbook_holds_the_figures_of_the_results_functions(client, org):
    campaign = closed_test_campaign(org, answered=12, choices=("yes", "yes", "no"))
    client.force_login(org.hr_admin)
    response = export(client, "xlsx", campaign)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="results-{campaign.pk}-experiences.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [ANSWERS, RESPONDENTS, RATES, ABOUT]
    assert workbook[ANSWERS].freeze_panes == "B2"
    assert workbook[ANSWERS]["A1"].font.bold
    assert workbook[ANSWERS].column_dimensions["H"].width == 60

    publication = publish(campaign)
    expected = closed_result(
        publication, Slice(org.section.pk), "wellbeing", question(campaign, CLOSED_QUESTION)
    )
    found = {
        row["Answer"]: row
        for row in sheet_rows(workbook, ANSWERS)
        if row["Unit number"] == org.section.pk
        and row["Role group"] == "Every role group together"
        and row["Question number"] == CLOSED_QUESTION
        and row["Concept"] == "Well-being dialogue"
    }
    assert set(found) == {"Yes", "No", "Partly", "Does not apply"}
    assert found["Yes"]["Count"] == expected.share("yes").count == 8
    assert found["Yes"]["Percent of those who answered"] == expected.share("yes").percent
    assert found["No"]["Count"] == expected.share("no").count == 4
    assert found["Yes"]["Respondents"] == expected.respondents == 12
    assert found["Yes"]["Answered the question"] == expected.answered == 12

    people = {
        (row["Unit"], row["Role group"]): row["Respondents"]
        for row in sheet_rows(workbook, RESPONDENTS)
    }
    assert people[("Section of Cases", "Employee")] == respondents(
        publication, Slice(org.section.pk, "employee"), "wellbeing"
    )
    assert people[("The whole campaign", "Every role group together")] == 12
    rates = {
        (row["Unit"], row["Role group"]): (row["Answered"], row["Invited"])
        for row in sheet_rows(workbook, RATES)
    }
    assert rates[("Department of Tests", "Every role group together")] == (12, 15)
    about = "\n".join(row[0] or "" for row in workbook[ABOUT].iter_rows(values_only=True))
    assert "at least 5 people" in about and "It never means zero" in about


def test_a_suppressed_figure_has_no_row_in_the_workbook_not_a_zero(client, org):
    Question.objects.filter(pk=CLOSED_QUESTION).update(sensitive=True)
    campaign = closed_test_campaign(org, answered=12)
    client.force_login(org.hr_admin)
    workbook = load_workbook(io.BytesIO(export(client, "xlsx", campaign).content))
    answers = sheet_rows(workbook, ANSWERS)
    people = sheet_rows(workbook, RESPONDENTS)
    assert answers and people
    # Nobody answered about leadership: no row at all, not a 0.
    assert not [row for row in answers + people if row["Concept"] == "Leadership dialogue"]
    # A sensitive question needs 20 people: 12 are too few, while the others are shown.
    assert not [row for row in answers if row["Question number"] == CLOSED_QUESTION]
    assert not [row for row in people if row["Role group"] == "Manager"]
    assert not [row for row in people if row["Unit"] == "Department of Others"]
    assert all(row["Respondents"] >= 5 for row in people)


def test_a_campaign_under_the_minimum_exports_no_number_at_all(client, org):
    campaign = closed_test_campaign(org, answered=4)
    client.force_login(org.hr_admin)
    workbook = load_workbook(io.BytesIO(export(client, "xlsx", campaign).content))
    for title in (ANSWERS, RESPONDENTS, RATES):
        assert sheet_rows(workbook, title) == []
    tables = csv_tables(export(client, "csv", campaign))
    assert tables == {ANSWERS: [], RESPONDENTS: [], RATES: []}


# --- the CSV file -------------------------------------------------------------------------------


def test_the_csv_file_is_utf8_with_a_bom_and_holds_the_same_figures(client, org):
    campaign = closed_test_campaign(org, answered=12, choices=("yes", "yes", "no"))
    client.force_login(org.hr_admin)
    response = export(client, "csv", campaign, unit=org.department.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    tables = csv_tables(response)
    yes = next(
        row
        for row in tables[ANSWERS]
        if row["Unit"] == "Department of Tests"
        and row["Role group"] == "Every role group together"
        and row["Question number"] == str(CLOSED_QUESTION)
        and row["Answer"] == "Yes"
    )
    assert (yes["Respondents"], yes["Count"], yes["Percent of those who answered"]) == (
        "12",
        "8",
        "66.7",
    )
    # Only the department asked for and what lies below it.
    assert {row["Unit"] for row in tables[RESPONDENTS]} == {
        "Department of Tests",
        "Section of Cases",
    }
    assert not [row for row in tables[ANSWERS] if row["Concept"] == "Leadership dialogue"]
    assert tables[RATES][0]["Response rate (%)"] == "80.0"


def test_a_unit_name_that_looks_like_a_formula_stays_text(client, org):
    org.section.name = "=HYPERLINK(1)"
    org.section.save()
    campaign = closed_test_campaign(org, answered=7)
    client.force_login(org.hr_admin)
    units = {row["Unit"] for row in csv_tables(export(client, "csv", campaign))[RESPONDENTS]}
    assert "'=HYPERLINK(1)" in units
    workbook = load_workbook(io.BytesIO(export(client, "xlsx", campaign).content))
    cell = next(c for c in workbook[RESPONDENTS]["A"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_a_control_character_typed_into_a_name_does_not_break_the_workbook(client, org):
    campaign = closed_test_campaign(org, answered=7)
    campaign.name = "Experiences\x01 2026\x1b"
    campaign.save()
    client.force_login(org.hr_admin)
    response = export(client, "xlsx", campaign)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert any("Experiences 2026" in str(value) for value in cells)


def test_the_file_speaks_the_readers_language(client, org):
    campaign = closed_test_campaign(org, answered=7)
    org.director.preferred_language = "da"
    org.director.save()
    client.force_login(org.director)
    text = export(client, "csv", campaign).content.decode("utf-8")
    header = text.removeprefix("\ufeff").splitlines()[0]
    assert header.startswith("Enhed,")
    assert ",Medarbejder," in text and ",Ja," in text


def test_the_links_open_the_files_of_the_slice_shown(org):
    campaign = closed_test_campaign(org, answered=7)
    html = render_to_string(
        "insights/export_links.html",
        {"campaign": campaign, "slice": Slice(org.section.pk, "employee")},
    )
    query = f"?unit={org.section.pk}&amp;role=employee"
    assert f'href="{reverse("insights:export_xlsx", args=[campaign.pk])}{query}"' in html
    assert f'href="{reverse("insights:export_csv", args=[campaign.pk])}{query}"' in html
    assert "Download as Excel (XLSX)" in html and "Download as CSV" in html


# --- who may export ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_manager_exports_their_section_and_is_refused_another(client, org, kind):
    campaign = closed_test_campaign(org, answered=7)
    client.force_login(org.manager)
    own = export(client, kind, campaign)
    assert own.status_code == 200
    for unit in (org.other_section, org.department):
        refused = export(client, kind, campaign, unit=unit.pk)
        assert refused.status_code == 403
        assert "your own units only" in refused.content.decode()
    assert ExportLog.objects.count() == 1


def test_the_managers_file_holds_only_their_section(client, org):
    campaign = closed_test_campaign(org, answered=7)
    client.force_login(org.manager)
    tables = csv_tables(export(client, "csv", campaign))
    assert {row["Unit"] for table in tables.values() for row in table} == {"Section of Cases"}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_people_without_a_results_role_cannot_export(client, org, kind):
    campaign = closed_test_campaign(org, answered=7)
    for person in (org.employee, org.amr, org.outsider):
        client.force_login(person)
        assert export(client, kind, campaign).status_code == 403
    client.logout()
    assert export(client, kind, campaign).status_code == 302
    assert not ExportLog.objects.exists()


def test_an_open_campaign_has_nothing_to_export(client, org):
    from dialogues.experiences.tests.factories import open_test_campaign

    campaign, _tokens = open_test_campaign(org)
    client.force_login(org.hr_admin)
    assert export(client, "xlsx", campaign).status_code == 404


# --- the access log -----------------------------------------------------------------------------


def test_each_export_is_logged_with_who_and_what(client, org):
    campaign = closed_test_campaign(org, answered=7)
    client.force_login(org.director)
    export(client, "xlsx", campaign, unit=org.section.pk, role="employee")
    export(client, "csv", campaign)
    csv_entry, xlsx_entry = ExportLog.objects.order_by("-at", "-pk")
    assert (xlsx_entry.user, xlsx_entry.campaign, xlsx_entry.kind) == (
        org.director,
        campaign,
        ExportLog.Kind.XLSX,
    )
    path = reverse("insights:export_xlsx", args=[campaign.pk])
    assert xlsx_entry.what == {
        "unit": org.section.pk,
        "role": "employee",
        "source": "questionnaire",
        "own": False,
        "path": f"{path}?unit={org.section.pk}&role=employee",
    }
    assert csv_entry.kind == ExportLog.Kind.CSV
    assert csv_entry.what["unit"] == org.department.pk


def test_only_hr_administrators_read_the_access_log(client, org):
    campaign = closed_test_campaign(org, answered=7)
    client.force_login(org.director)
    export(client, "csv", campaign, unit=org.section.pk)
    url = reverse("insights:access_log")
    for person in (org.director, org.manager, org.hr_partner, org.employee):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.force_login(org.hr_admin)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Director" in text and "director@example.org" in text
    assert "Section of Cases · every role group · Questionnaire answers" in text
    assert "CSV file" in text


def test_the_access_log_is_newest_first_in_pages_of_50(client, org):
    for n in range(51):
        ExportLog.objects.create(user=org.manager, kind="csv", what={"path": f"/n{n}"})
    client.force_login(org.hr_admin)
    url = reverse("insights:access_log")
    first = client.get(url)
    entries = [entry for entry, _described, _campaign in first.context["entries"]]
    assert len(entries) == 50 and entries[0].what["path"] == "/n50"
    second = client.get(url, {"page": 2}).context["entries"]
    assert [entry.what["path"] for entry, _described, _campaign in second] == ["/n0"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_access_log_needs_the_same_queries_for_any_number_of_rows(
    client, org, django_assert_num_queries, count
):
    for _ in range(count):
        ExportLog.objects.create(user=org.manager, kind="api", what={"unit": org.section.pk})
    client.force_login(org.hr_admin)
    # Session, person, roles; the count, the page and its units; the campaigns of the filter.
    with django_assert_num_queries(7):
        assert client.get(reverse("insights:access_log")).status_code == 200


# --- the rows: every number is a figure of the results functions --------------------------------


def _truth_of(publication, row):
    """What the results functions say for the figure of ``row``."""
    if isinstance(row, RateRow):
        return ResultsPage(publication, Slice(), {}, []).response_rate(row.slice)
    if isinstance(row, RespondentsRow):
        return respondents(publication, row.slice, row.concept)
    asked = publication.questions[row.question]
    if isinstance(row, CommentsRow):
        return comment_count(publication, row.slice, row.concept, asked)
    return closed_result(publication, row.slice, row.concept, asked)


@st.composite
def starts(draw, publication):
    units = sorted(publication.tree.parent_of)
    unit = draw(st.sampled_from([None, *units]))
    return Slice(
        unit,
        draw(st.sampled_from([None, *ROLE_GROUPS])),
        draw(st.sampled_from(SOURCE_CHOICES)),
        unit is not None and draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None)
@given(campaigns(), st.data())
def test_every_number_in_the_rows_is_the_results_figure_of_its_slice(campaign, data):
    minimums, tree, tallies, _truth, _groups = campaign
    publication = _publication(minimums, tree, tallies)
    start = data.draw(starts(publication))
    slices = export_slices(publication, start)
    rows = list(result_rows(publication, slices, questions=True, comments=True))
    audited = set(audit.slices(publication, ROLE_GROUPS))
    for row in rows:
        # A slice the disclosure audit puts into its linear programme.
        assert row.slice in audited
        truth = _truth_of(publication, row)
        assert truth is not None
        if isinstance(row, RateRow):
            assert (row.answered, row.invited) == truth
        elif isinstance(row, RespondentsRow):
            assert row.respondents == truth
        elif isinstance(row, CommentsRow):
            assert row.comments == truth
        else:
            share = truth.share(row.choice)
            assert (row.respondents, row.answered) == (truth.respondents, truth.answered)
            assert (row.count, row.percent) == (share.count, share.percent)

    # And no figure is missing: a row exactly where the function gives a value.
    have = {
        (type(row), row.slice, getattr(row, "concept", None), getattr(row, "question", None))
        for row in rows
    }
    page = ResultsPage(publication, Slice(), {}, [])
    for slice_ in slices:
        assert ((RateRow, slice_, None, None) in have) == (page.response_rate(slice_) is not None)
        for concept in CONCEPTS:
            value = respondents(publication, slice_, concept)
            assert ((RespondentsRow, slice_, concept, None) in have) == (value is not None)
            for asked in publication.questions.values():
                key = (slice_, concept, asked["id"])
                written = comment_count(publication, slice_, concept, asked)
                assert ((CommentsRow, *key) in have) == (written is not None)
                if asked["kind"] == "closed":
                    result = closed_result(publication, slice_, concept, asked)
                    assert ((ChoiceRow, *key) in have) == (result is not None)


def _within(tree, unit, ancestor) -> bool:
    return unit is not None and tree.is_within(unit, ancestor)


@settings(max_examples=60, deadline=None)
@given(campaigns(), st.data())
def test_the_export_leaves_out_no_slice_below_the_start_that_has_a_figure(campaign, data):
    minimums, tree, tallies, _truth, _groups = campaign
    publication = _publication(minimums, tree, tallies)
    start = data.draw(starts(publication))
    exported = set(export_slices(publication, start))
    leaves = set(tree.parent_of) - set(tree.parent_of.values())
    for slice_ in audit.slices(publication, ROLE_GROUPS):
        below = (
            slice_.source == start.source
            and start.role_group in (None, slice_.role_group)
            and (start.unit is None or _within(tree, slice_.unit, start.unit))
            and (not start.own or (slice_.unit == start.unit and slice_.own))
        )
        if not below or not any(
            value is not None
            for value in [
                ResultsPage(publication, Slice(), {}, []).response_rate(slice_),
                *(respondents(publication, slice_, concept) for concept in CONCEPTS),
            ]
        ):
            continue
        if slice_.own and slice_.unit in leaves and not start.own:
            # A unit with nothing below it: "itself" is its whole tree, exported as that.
            slice_ = slice_.with_unit(slice_.unit)
        assert slice_ in exported


def _api_numbers(publication, found, start):
    """Each number of the API's JSON with the figure the results functions give for it."""
    page = ResultsPage(publication, Slice(), {}, [])
    pairs = []

    def rate(entry, slice_):
        truth = page.response_rate(slice_)
        shown = entry.get("response_rate")
        pairs.append(((shown["answered"], shown["invited"]) if shown else None, truth))

    def counted(entry, slice_):
        for concept in CONCEPTS:
            shown = entry.get("respondents", {}).get(concept)
            pairs.append((shown, respondents(publication, slice_, concept)))

    rate(found, start)
    for entry in found["concepts"]:
        pairs.append((entry.get("respondents"), respondents(publication, start, entry["kind"])))
        shown = {item["id"]: item for item in entry["questions"]}
        for asked in publication.questions.values():
            item = shown.get(asked["id"], {})
            pairs.append(
                (item.get("comments"), comment_count(publication, start, entry["kind"], asked))
            )
            if asked["kind"] == "closed":
                result = closed_result(publication, start, entry["kind"], asked)
                choices = item.get("choices")
                pairs.append(
                    (
                        choices and [(c["choice"], c["count"], c["percent"]) for c in choices],
                        result and [(s.choice, s.count, s.percent) for s in result.shares],
                    )
                )
                pairs.append((item.get("respondents"), result and result.respondents))
    for entry in found["by_unit"]:
        slice_ = Slice(entry["unit"], start.role_group, start.source, entry["own"])
        rate(entry, slice_)
        counted(entry, slice_)
    for entry in found["by_role"]:
        slice_ = Slice(start.unit, entry["role"], start.source, start.own)
        rate(entry, slice_)
        counted(entry, slice_)
    # A drill-down row left out has no figure at all.
    shown = {Slice(e["unit"], start.role_group, start.source, e["own"]) for e in found["by_unit"]}
    shown |= {Slice(start.unit, e["role"], start.source, start.own) for e in found["by_role"]}
    below = ResultsPage(publication, start, {}, [(kind, kind) for kind in CONCEPTS])
    for slice_ in [s for _, s, _ in below.unit_slices()] + [s for _, s in below.role_slices()]:
        if slice_ not in shown:
            pairs.append((None, page.response_rate(slice_)))
            pairs += [(None, respondents(publication, slice_, kind)) for kind in CONCEPTS]
    return pairs


@settings(max_examples=60, deadline=None)
@given(campaigns(), st.data())
def test_every_number_of_the_api_is_the_results_figure_of_its_slice(campaign, data):
    minimums, tree, tallies, _truth, _groups = campaign
    publication = _publication(minimums, tree, tallies)
    start = data.draw(starts(publication))
    stub = SimpleNamespace(
        pk=1,
        name="C",
        count_minimum=minimums.counts,
        comment_minimum=minimums.comments,
        sensitive_minimum=minimums.sensitive,
    )
    found = results_json(stub, publication, start, [(kind, kind) for kind in CONCEPTS])
    for shown, truth in _api_numbers(publication, found, start):
        assert shown == truth
