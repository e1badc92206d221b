"""Time the privacy operations on a large closed campaign (docs/privacy.md, docs/reliability.md).

    .venv/bin/python bench/privacy.py                   # 1,500 and 6,000 respondents
    .venv/bin/python bench/privacy.py --sizes 1500      # a quick run

For each size N (respondents) it resets the PostgreSQL database ``dialogues_bench_privacy`` and
builds the closed campaign of ``bench/insights.py`` (a university of N / 0.75 people through the
real HR import, both concepts, the demo's answers, the real ``close_campaign``), gives every
written answer a vector (1,536 random bytes, the size of a real one) and a theme, then measures:

- the access log's cost on a results page: the warm results page with its log row and with the
  logging switched off, interleaved (``log``/``nolog``, medians);
- the access log with ``LOG_ROWS`` rows (spread over 50 readers): its first page, a filtered
  page, and the CSV of all of it (seconds, and this process's extra memory);
- the personal data export of the HR administrator (a reader with many log rows);
- ``delete_expired_answers``: a dry run, the deletion, and a second run (which deletes nothing),
  the deletion in a fresh process (``--measure delete``) that reports its own peak memory.

The database is dropped at the end. Only PostgreSQL at 127.0.0.1, only a ``*bench*`` database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.answering import drop_database, reset_database, wait_until_quiet  # noqa: E402
from bench.insights import peak_rss_mb, setup_django  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/dialogues_bench_privacy"
LOG_ROWS = 100_000
RUNS = 15
QUIET = 0.3


def decorate(campaign_pk: int) -> int:
    """A vector and a theme for every written answer, as the periodic jobs leave them."""
    from dialogues.experiences.models import Answer
    from dialogues.insights.models import AnswerVector, Theme, ThemeAssignment

    written = Answer.objects.filter(response__campaign_id=campaign_pk).exclude(text="")
    themes = {}
    for question in written.values_list("question_id", flat=True).distinct():
        themes[question] = Theme.objects.create(
            campaign_id=campaign_pk, question_id=question, label_da="Tema", label_en="Theme"
        )
    vectors, assignments = [], []
    for pk, question in written.values_list("pk", "question_id").iterator(chunk_size=5000):
        vectors.append(AnswerVector(answer_id=pk, vector=os.urandom(1536)))
        assignments.append(ThemeAssignment(answer_id=pk, theme=themes[question]))
    AnswerVector.objects.bulk_create(vectors, batch_size=2000)
    ThemeAssignment.objects.bulk_create(assignments, batch_size=2000)
    return len(vectors)


def results_page_cost(campaign_pk: int) -> dict:
    """Warm results page with and without its access log row, interleaved (medians, ms)."""
    from unittest import mock

    from django.urls import reverse

    from bench.insights.measure import fetch, logged_in_client

    client = logged_in_client()
    url = reverse("insights:results", args=[campaign_pk])
    fetch(client, url)
    logged, unlogged = [], []
    for _ in range(RUNS):
        logged.append(fetch(client, url)[0])
        with mock.patch("dialogues.insights.views.log_view"):
            unlogged.append(fetch(client, url)[0])
    return {
        "log_ms": 1000 * statistics.median(logged),
        "nolog_ms": 1000 * statistics.median(unlogged),
    }


def log_insert_cost(campaign_pk: int) -> float:
    """Median milliseconds of one access log row as a page writes it (its own INSERT)."""
    from django.test import RequestFactory

    from dialogues.experiences.demo.campaigns import HR_ADMIN_EMAIL
    from dialogues.experiences.models import Campaign
    from dialogues.insights.domain.results import Slice
    from dialogues.insights.exports.log import log_view
    from dialogues.organisation.models import Person

    request = RequestFactory().get(f"/results/{campaign_pk}/?unit=1")
    request.user = Person.objects.get(email=HR_ADMIN_EMAIL)
    campaign = Campaign.objects.get(pk=campaign_pk)
    times = []
    for _ in range(200):
        start = time.perf_counter()
        log_view(request, campaign, "results", Slice(1))
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def fill_log(campaign_pk: int) -> None:
    from django.utils import timezone

    from dialogues.experiences.demo.campaigns import HR_ADMIN_EMAIL
    from dialogues.insights.models import ExportLog
    from dialogues.organisation.models import Person

    admin = Person.objects.get(email=HR_ADMIN_EMAIL).pk
    others = Person.objects.exclude(pk=admin).order_by("pk").values_list("pk", flat=True)
    readers = [admin, *others[:49]]
    now = timezone.now()
    kinds = [kind for kind, _label in ExportLog.Kind.choices]
    rows = [
        ExportLog(
            user_id=readers[n % len(readers)],
            campaign_id=campaign_pk,
            kind=kinds[n % len(kinds)],
            what={
                "unit": None,
                "role": None,
                "source": "questionnaire",
                "own": False,
                "path": f"/results/{campaign_pk}/?n={n}",
            },  # fmt: skip
            at=now - timedelta(minutes=n),
        )
        for n in range(LOG_ROWS)
    ]
    ExportLog.objects.bulk_create(rows, batch_size=5000)


def access_log_figures(campaign_pk: int) -> dict:
    from django.urls import reverse

    from bench.insights.measure import fetch, logged_in_client, median_of

    client = logged_in_client()
    page = reverse("insights:access_log")
    fetch(client, page)
    found = {
        "page_ms": 1000 * median_of(client, page, 5),
        "filtered_ms": 1000
        * median_of(client, f"{page}?person=a&campaign={campaign_pk}&kind=results", 5),
    }
    start = time.perf_counter()
    response = client.get(reverse("insights:access_log_csv"))
    size = sum(len(chunk) for chunk in response.streaming_content)
    found["csv_s"] = time.perf_counter() - start
    found["csv_mb"] = size / 2**20
    # Again under tracemalloc (slow, so not timed): the most Python memory held at once.
    tracemalloc.start()
    response = client.get(reverse("insights:access_log_csv"))
    for _chunk in response.streaming_content:
        pass
    found["csv_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return found


def person_export_figures() -> dict:
    from dialogues.experiences.demo.campaigns import HR_ADMIN_EMAIL
    from dialogues.organisation.models import Person
    from dialogues.organisation.privacy import as_json, personal_data

    person = Person.objects.get(email=HR_ADMIN_EMAIL)
    start = time.perf_counter()
    text = as_json(personal_data(person))
    return {"export_s": time.perf_counter() - start, "export_kb": len(text.encode()) / 1024}


def deletion(campaign_pk: int, dry_run: bool = False) -> dict:
    """``delete_expired_answers`` on the day the campaign's answers are due."""
    from dialogues.experiences.models import Campaign
    from dialogues.insights.domain.retention import delete_expired_answers

    campaign = Campaign.objects.get(pk=campaign_pk)
    start = time.perf_counter()
    done = delete_expired_answers(campaign.answers_expire_on, dry_run=dry_run)
    seconds = time.perf_counter() - start
    rows = sum(sum(one.counts.values()) for one in done)
    return {"seconds": seconds, "rows": rows, "peak_mb": peak_rss_mb()}


def measure_main(options) -> None:
    """``--measure delete``: the deletion in this fresh process, with its own peak memory."""
    setup_django(os.environ["DATABASE_URL"], Path(os.environ["DIALOGUES_VAR_DIR"]))
    print("RESULT " + json.dumps(deletion(options.campaign)), flush=True)


def delete_in_fresh_process(campaign_pk: int, patience: int) -> dict:
    wait_until_quiet(QUIET, patience)
    command = [sys.executable, __file__, "--measure", "delete", f"--campaign={campaign_pk}"]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def run_size(size: int, patience: int) -> dict:
    from django.db import connection

    from bench.insights.build import build

    built = build(size)
    campaign = built["campaign"]
    built["vectors"] = decorate(campaign)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"{size:,} respondents: {built}", flush=True)
    wait_until_quiet(QUIET, patience)
    found = {"built": built, "page": results_page_cost(campaign)}
    found["page"]["insert_ms"] = log_insert_cost(campaign)
    print(f"  results page: {found['page']}", flush=True)
    fill_log(campaign)
    wait_until_quiet(QUIET, patience)
    found["log"] = access_log_figures(campaign)
    print(f"  access log ({LOG_ROWS:,} rows): {found['log']}", flush=True)
    found["person"] = person_export_figures()
    print(f"  personal data export: {found['person']}", flush=True)
    found["dry_run"] = deletion(campaign, dry_run=True)
    connection.close()
    found["delete"] = delete_in_fresh_process(campaign, patience)
    found["again"] = deletion(campaign)
    print(f"  dry run {found['dry_run']}\n  delete {found['delete']}\n  again {found['again']}")
    return found


def table(measured: dict[int, dict]) -> str:
    sizes = sorted(measured)
    rows = [
        ("Answers (questionnaire and interviews)", lambda f: f"{f['built']['answers']:,}"),
        ("Rows the deletion removed", lambda f: f"{f['delete']['rows']:,}"),
        ("`delete_expired_answers --dry-run`", lambda f: f"{f['dry_run']['seconds']:.1f} s"),
        ("`delete_expired_answers`", lambda f: f"{f['delete']['seconds']:.1f} s"),
        ("  its process's peak memory", lambda f: f"{f['delete']['peak_mb']:.0f} MB"),
        ("  a second run (nothing left)", lambda f: f"{f['again']['seconds'] * 1000:.0f} ms"),
        ("One access log row (the page's INSERT)", lambda f: f"{f['page']['insert_ms']:.1f} ms"),
        ("Warm results page, logged", lambda f: f"{f['page']['log_ms']:.0f} ms"),
        ("Warm results page, logging off", lambda f: f"{f['page']['nolog_ms']:.0f} ms"),
        (f"Access log page ({LOG_ROWS:,} rows)", lambda f: f"{f['log']['page_ms']:.0f} ms"),
        ("Access log page, filtered", lambda f: f"{f['log']['filtered_ms']:.0f} ms"),
        (f"Access log CSV, all {LOG_ROWS:,} rows", lambda f: f"{f['log']['csv_s']:.1f} s"),
        (
            "  its size / Python memory at peak",
            lambda f: f"{f['log']['csv_mb']:.1f} MB / {f['log']['csv_peak_mb']:.0f} MB",
        ),  # fmt: skip
        ("Personal data export (HR admin)", lambda f: f"{f['person']['export_s'] * 1000:.0f} ms"),
    ]
    head = "| | " + " | ".join(f"{size:,} respondents" for size in sizes) + " |"
    lines = [head, "|---" * (len(sizes) + 1) + "|"]
    lines += ["| " + label + " | " + " | ".join(get(measured[s]) for s in sizes) + " |"
              for label, get in rows]  # fmt: skip
    return "\n".join(lines)


def machine(connection) -> str:
    import platform

    import django

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split(" ")[0]
    return (
        f"{os.cpu_count()} cores, Linux {platform.release()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {postgres}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1500,6000", help="respondents, comma-separated")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--patience", type=int, default=300, help="s to wait for quiet")
    parser.add_argument("--measure", choices=["delete"], help=argparse.SUPPRESS)
    parser.add_argument("--campaign", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        return measure_main(options)
    measured = {}
    reset_database(options.database_url)
    with tempfile.TemporaryDirectory(prefix="dialogues-bench-privacy-") as name:
        setup_django(options.database_url, Path(name) / "var")
        from django.core.management import call_command
        from django.db import connection

        call_command("collectstatic", verbosity=0, interactive=False)
        print(machine(connection), flush=True)
        try:
            for index, size in enumerate(map(int, options.sizes.split(","))):
                if index:
                    connection.close()
                    reset_database(options.database_url)
                call_command("migrate", verbosity=0)
                measured[size] = run_size(size, options.patience)
        finally:
            connection.close()
            drop_database(options.database_url)
    print("\n" + table(measured))


if __name__ == "__main__":
    main()
