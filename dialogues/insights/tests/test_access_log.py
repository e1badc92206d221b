"""The access log: every results page opened is recorded; HR filters it, pages it, takes it out."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from dialogues.experiences.models import Answer
from dialogues.insights.models import ExportLog
from dialogues.insights.tests.factories import OPEN_QUESTION, closed_test_campaign

PAGES = {
    "results": ExportLog.Kind.RESULTS,
    "comments": ExportLog.Kind.COMMENTS,
    "search": ExportLog.Kind.SEARCH,
    "proposals": ExportLog.Kind.PROPOSALS,
    "theme_history": ExportLog.Kind.HISTORY,
    "redact": ExportLog.Kind.REDACTION,
}


def page_url(name, campaign):
    kwargs = {"pk": campaign.pk}
    if name in ("comments", "theme_history"):
        kwargs["question"] = OPEN_QUESTION
    if name == "redact":
        kwargs["answer_id"] = Answer.objects.filter(question_id=OPEN_QUESTION).first().pk
    return reverse(f"insights:{name}", kwargs=kwargs)


@pytest.fixture
def campaign(org):
    return closed_test_campaign(org, answered=11)


# --- what is recorded ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_opening_a_results_page_writes_one_row_with_one_insert(client, org, campaign, name):
    client.force_login(org.hr_partner)
    url = page_url(name, campaign)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"unit": org.section.pk}).status_code == 200
    touching_the_log = [q["sql"] for q in queries if "insights_exportlog" in q["sql"]]
    assert len(touching_the_log) == 1 and touching_the_log[0].startswith("INSERT")
    entry = ExportLog.objects.get()
    assert (entry.user, entry.campaign, entry.kind) == (org.hr_partner, campaign, PAGES[name])
    assert entry.what["path"] == f"{url}?unit={org.section.pk}"
    if name not in ("theme_history", "redact"):
        assert (entry.what["unit"], entry.what["source"]) == (org.section.pk, "questionnaire")
    if name in ("comments", "theme_history", "redact"):
        assert entry.what["question"] == OPEN_QUESTION


def test_a_refused_page_is_not_recorded(client, org, campaign):
    client.force_login(org.manager)
    url = reverse("insights:results", args=[campaign.pk])
    assert client.get(url, {"unit": org.other_section.pk}).status_code == 403
    client.force_login(org.employee)
    assert client.get(url).status_code == 403
    assert not ExportLog.objects.exists()


def test_a_campaign_still_open_records_nothing(client, org):
    from dialogues.experiences.tests.factories import open_test_campaign

    campaign, _tokens = open_test_campaign(org)
    client.force_login(org.hr_admin)
    assert client.get(reverse("insights:results", args=[campaign.pk])).status_code == 200
    assert not ExportLog.objects.exists()


# --- reading it ----------------------------------------------------------------------------------


def entry(user, kind, at, campaign=None, **what):
    row = ExportLog.objects.create(user=user, campaign=campaign, kind=kind, what=what)
    ExportLog.objects.filter(pk=row.pk).update(at=at)
    return row


@pytest.fixture
def history(org, campaign):
    """Five entries over three days, by three people, of two kinds and one campaign."""
    day = timezone.make_aware(datetime(2026, 3, 10, 12, 0))
    return {
        "old": entry(org.director, "results", day - timedelta(days=2), campaign, path="/a"),
        "director": entry(org.director, "csv", day, campaign, path="/b"),
        "manager": entry(org.manager, "comments", day, campaign, path="/c", question=1),
        "api": entry(org.hr_partner, "api", day + timedelta(days=1), None, path="/d"),
        "person": entry(
            org.hr_admin, "person", day, None, person=org.employee.pk, name="Employee", path="/e"
        ),
    }


def shown(client, **query) -> list[str]:
    page = client.get(reverse("insights:access_log"), query)
    assert page.status_code == 200
    return [row.what["path"] for row, _described, _campaign in page.context["entries"]]


@pytest.mark.parametrize(
    ("query", "paths"),
    [
        ({}, ["/d", "/e", "/c", "/b", "/a"]),
        ({"person": "director"}, ["/b", "/a"]),
        ({"person": "MANAGER@example"}, ["/c"]),
        ({"person": "E-hr_partner"}, ["/d"]),
        ({"kind": "csv"}, ["/b"]),
        ({"kind": "pages"}, ["/c", "/a"]),
        ({"kind": "exports"}, ["/d", "/e", "/b"]),
        ({"since": "2026-03-10"}, ["/d", "/e", "/c", "/b"]),
        ({"until": "2026-03-10"}, ["/e", "/c", "/b", "/a"]),
        ({"since": "2026-03-10", "until": "2026-03-10"}, ["/e", "/c", "/b"]),
        ({"person": "director", "kind": "results"}, ["/a"]),
    ],
)
def test_hr_filters_the_log(client, org, history, query, paths):
    client.force_login(org.hr_admin)
    assert shown(client, **query) == paths


def test_hr_filters_by_campaign(client, org, history, campaign):
    client.force_login(org.hr_admin)
    assert shown(client, campaign=campaign.pk) == ["/c", "/b", "/a"]


def test_a_backward_date_range_is_explained_and_ignored(client, org, history):
    client.force_login(org.hr_admin)
    page = client.get(
        reverse("insights:access_log"), {"since": "2026-03-11", "until": "2026-03-09"}
    )
    assert "The end date must not be before the start date." in page.content.decode()
    assert len(page.context["entries"]) == 5


def test_the_entries_say_what_was_read(client, org, history):
    client.force_login(org.hr_admin)
    text = client.get(reverse("insights:access_log")).content.decode()
    assert "Written answers" in text and "question 1" in text
    assert "Personal data export" in text and "the data about Employee" in text
    assert "the list of campaigns" in text


def test_the_pages_keep_the_filter(client, org):
    for n in range(51):
        ExportLog.objects.create(user=org.manager, kind="results", what={"path": f"/n{n}"})
    client.force_login(org.hr_admin)
    text = client.get(reverse("insights:access_log"), {"person": "manager"}).content.decode()
    assert 'href="?person=manager&amp;page=2"' in text
    assert "Page 1 of 2" in text


def test_the_page_is_called_the_access_log_in_both_languages(client, org):
    client.force_login(org.hr_admin)
    assert "<h1>Access log</h1>" in client.get(reverse("insights:access_log")).content.decode()
    listing = client.get(reverse("insights:campaigns")).content.decode()
    assert "Access log: who opened or took out which results, and when" in listing
    org.hr_admin.preferred_language = "da"
    org.hr_admin.save()
    with translation.override("da"):
        danish = client.get(reverse("insights:access_log")).content.decode()
    assert "<h1>Adgangslog</h1>" in danish


# --- taking it out as CSV ------------------------------------------------------------------------


def csv_lines(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_hr_takes_the_filtered_log_out_as_csv_and_that_is_logged_too(client, org, history):
    client.force_login(org.hr_admin)
    response = client.get(reverse("insights:access_log_csv"), {"person": "director"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    header, *rows = csv_lines(response)
    assert header == ["When", "Who", "E-mail", "Kind", "Campaign", "What", "Address"]
    assert [row[6] for row in rows] == ["/b", "/a"]
    assert rows[0][1:5] == ["Director", "director@example.org", "CSV file", "Experiences"]
    assert rows[0][0].startswith("2026-03-10T12:00:00")
    taken = ExportLog.objects.get(kind=ExportLog.Kind.ACCESS_LOG)
    assert (taken.user, taken.what["filters"]) == (org.hr_admin, {"person": "director"})


def test_the_csv_keeps_a_name_that_looks_like_a_formula_as_text(client, org):
    org.manager.name = "=HYPERLINK(1)"
    org.manager.save()
    ExportLog.objects.create(user=org.manager, kind="results", what={"path": "/x"})
    client.force_login(org.hr_admin)
    _header, row = csv_lines(client.get(reverse("insights:access_log_csv"), {"kind": "results"}))
    assert row[1] == "'=HYPERLINK(1)"


def test_only_hr_administrators_take_the_log_out(client, org, history):
    for person in (org.director, org.hr_partner, org.manager):
        client.force_login(person)
        assert client.get(reverse("insights:access_log_csv")).status_code == 403
    assert not ExportLog.objects.filter(kind=ExportLog.Kind.ACCESS_LOG).exists()
