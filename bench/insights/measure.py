"""One operation in this (fresh) process, logged in as the HR administrator."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench.insights import peak_rss_mb, setup_django

# Timed runs: cold results pages (cache cleared), warm pages, files (PDF, XLSX).
RUNS = {"cold": 3, "warm": 5, "file": 3}


def logged_in_client():
    from django.test import Client

    from dialogues.experiences.demo.campaigns import HR_ADMIN_EMAIL
    from dialogues.organisation.models import Person

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Person.objects.get(email=HR_ADMIN_EMAIL))
    return client


def fetch(client, url: str) -> tuple[float, int]:
    """Seconds and bytes of one GET that must answer 200."""
    start = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return seconds, len(response.content)


def median_of(client, url: str, runs: int) -> float:
    return statistics.median(fetch(client, url)[0] for _ in range(runs))


def measure(operation: str, campaign: int, faculty: int, section: int) -> dict:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.urls import reverse

    from dialogues.experiences.models import Answer, Campaign

    if operation == "baseline":
        return {"campaigns": Campaign.objects.count()}
    client = logged_in_client()
    results = reverse("insights:results", args=[campaign])
    if operation == "results":  # the process's first request warms imports and templates up
        first, size = fetch(client, results)
        cold = []
        for _ in range(RUNS["cold"]):
            cache.clear()
            cold.append(fetch(client, results)[0])
        warm = median_of(client, results, RUNS["warm"])
        return {"first": first, "cold": statistics.median(cold), "warm": warm, "bytes": size}
    if operation == "drilldown":
        found = {}
        for key, unit in (("faculty", faculty), ("section", section)):
            _seconds, found[f"{key}_bytes"] = fetch(client, f"{results}?unit={unit}")
            found[key] = median_of(client, f"{results}?unit={unit}", RUNS["warm"])
        return found
    texts = Answer.objects.filter(response__campaign=campaign).exclude(text="")
    if operation == "embed":  # what the periodic job does as answers arrive, here all at once
        from dialogues.insights.domain.themes import embed_new_answers

        start = time.perf_counter()
        embedded = embed_new_answers()
        return {"seconds": time.perf_counter() - start, "embedded": embedded}
    if operation == "themes":  # at the close: every question grouped from the kept vectors
        from dialogues.insights.models import Theme

        Theme.objects.filter(campaign_id=campaign).delete()  # a reused database has them
        start = time.perf_counter()
        call_command("find_themes", str(campaign), stdout=open(os.devnull, "w"))  # noqa: SIM115
        return {
            "seconds": time.perf_counter() - start,
            "comments": texts.count(),
            "distinct": texts.values("text").distinct().count(),
            "questions": texts.values("question_id").distinct().count(),
        }
    name = {"pdf": "insights:report_pdf", "xlsx": "insights:export_xlsx"}[operation]
    url = reverse(name, args=[campaign])
    runs = [fetch(client, url) for _ in range(RUNS["file"])]
    times = [seconds for seconds, _ in runs]
    return {"median": statistics.median(times), "first": times[0], "bytes": runs[0][1]}


def measure_main(options) -> None:
    """``--measure OP``: run one operation, print its figures and the peak RSS as JSON."""
    setup_django(os.environ["DATABASE_URL"], Path(os.environ["DIALOGUES_VAR_DIR"]))
    arguments = (options.measure, options.campaign, options.faculty, options.section)
    if options.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        found = profiler.runcall(measure, *arguments)
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
    else:
        found = measure(*arguments)
    found["peak_mb"] = peak_rss_mb()
    print("RESULT " + json.dumps(found), flush=True)
