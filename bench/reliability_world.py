"""What bench/load.py and bench/faults.py run against, and the checks of what was stored.

The database, the organisation, the open campaign and gunicorn are bench/answering.py's own
(``reset_database`` refuses anything not on 127.0.0.1 or not named ``*bench*``); the closed
campaign with results, for HR users, is bench/insights/build.py's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import re
import resource
import secrets
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.answering import (
    ROOT,
    build_campaign,
    complete_answers,
    cpu_shares,
    free_port,
    reset_database,
    setup_django,
    snapshot,
    start_gunicorn,
    stop_gunicorn,
)
from bench.reliability_client import Link, Questionnaire, Tally

WORKERS = 4


@dataclass
class World:
    environment: dict
    campaign: object  # the open campaign
    links: list[Link]
    questionnaire: Questionnaire
    closed: dict | None = None  # what bench/insights/build.py made, for HR users
    hr_email: str | None = None
    hr_password: str | None = None
    hr_pages: list[tuple[str, str]] | None = None  # (kind, path) of the closed campaign


def prepare(url: str, workdir: Path, invitees: int, closed_size: int = 0) -> World:
    """A fresh database: migrated, (a closed campaign with results,) an open campaign."""
    started = time.monotonic()
    reset_database(url)
    environment = setup_django(url, workdir)
    # Django's logging sends INFO to the console: not a line per request of the clients.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    closed = hr_email = hr_password = hr_pages = None
    if closed_size:
        # First: the HR import makes the organisation, and the closed campaign covers its
        # roots; the open campaign's university is added after it.
        from bench.insights.build import build
        from dialogues.experiences.demo.campaigns import HR_ADMIN_EMAIL
        from dialogues.organisation.models import Person

        closed = build(closed_size)
        hr = Person.objects.get(email=HR_ADMIN_EMAIL)
        hr_password = secrets.token_urlsafe(16)
        hr.set_password(hr_password)
        hr.save(update_fields=["password"])
        hr_email = hr.email
        hr_pages = results_pages(closed)
    campaign, tokens = build_campaign(invitees)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    questionnaire = Questionnaire.of(campaign, complete_answers(campaign))
    connection.close()
    links = [Link(token, number) for number, token in enumerate(tokens)]
    made = f"{len(links):,} personal links"
    if closed:
        made += (
            f"; a closed campaign of {closed['respondents']:,} respondents "
            f"({closed['answers']:,} answers) for HR"
        )
    print(f"database ready in {time.monotonic() - started:.0f} s: {made}", flush=True)
    return World(
        environment, campaign, links, questionnaire, closed, hr_email, hr_password, hr_pages
    )


def results_pages(closed: dict) -> list[tuple[str, str]]:
    """What an HR user reads of the closed campaign: the results and two drill-downs.

    Not a question's comments: without the themes the periodic job groups, the first visit
    groups them inside the request (bench/insights.py measures that apart).
    """
    from django.urls import reverse

    results = reverse("insights:results", args=[closed["campaign"]])
    return [
        ("results", results),
        ("drill-down", f"{results}?unit={closed['faculty']}"),
        ("results", results),
        ("drill-down", f"{results}?unit={closed['section']}"),
    ]


@contextlib.contextmanager
def gunicorn(world: World, workdir: Path, workers: int = WORKERS):
    """gunicorn as production runs it (bench/answering.py's ``start_gunicorn``); its base URL."""
    port = free_port()
    try:
        server, command = start_gunicorn(world.environment, port, workers, workdir)
    except SystemExit:
        print(f"gunicorn's log:\n{gunicorn_log(workdir)}", flush=True)
        raise
    print(f"gunicorn: {' '.join(command[2:])}", flush=True)
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        stop_gunicorn(server)


def gunicorn_log(workdir: Path) -> str:
    """gunicorn's own messages, and each exception logged once with how often it came."""
    exceptions: Counter = Counter()
    messages = []
    for line in (workdir / "gunicorn.log").read_text(errors="replace").splitlines():
        if re.match(r"\[[-0-9 :+]+\] \[\d+\] \[", line):
            messages.append(re.sub(r"\(pid:\d+\)|\[\d+\] ", "", line[line.index("] ") + 2 :]))
        elif re.match(r"[\w.]+(Error|Exception|Interrupt): ", line):
            exceptions[line[:200]] += 1
        elif match := re.match(r"([A-Z][a-z]+(?: [A-Z][a-z]+)*): /", line):
            exceptions[f"(Django) {match.group(1)}: <path>"] += 1
    lines = [f"{n:>5} x {text}" for text, n in Counter(messages).most_common()]
    lines += [f"{n:>5} x {text}" for text, n in exceptions.most_common()]
    return "\n".join(lines)


# --- the mixer, as the periodic job runs it --------------------------------------------------

MIXER = """
import time, django
django.setup()
from dialogues.experiences.domain.mixing import mix
from dialogues.experiences.models import Campaign
start = time.monotonic()
moved = mix(Campaign.objects.get(pk={pk}))
print(moved, f"{{time.monotonic() - start:.2f}}")
"""


async def mix_at(world: World, seconds: float, tally: Tally, found: dict) -> None:
    """At ``seconds`` into the run, the periodic job's mixer, in its own process."""
    await asyncio.sleep(max(0.0, seconds - tally.now()))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", MIXER.format(pk=world.campaign.pk),
        cwd=ROOT, env=os.environ | world.environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    text = output.decode(errors="replace").strip()
    if process.returncode:
        found["error"] = text[-2000:]
        return
    moved, spent = text.splitlines()[-1].split()
    found.update(at=seconds, moved=int(moved), seconds=float(spent))


# --- the machine -----------------------------------------------------------------------------


def machine_before(database: str):
    return os.getloadavg()[0], snapshot(database), resource.getrusage(resource.RUSAGE_SELF)


def machine_after(before, database: str, server_pid: int, elapsed: float) -> dict:
    load, ticks, usage = before
    shares = cpu_shares(ticks, snapshot(database), server_pid, elapsed)
    now = resource.getrusage(resource.RUSAGE_SELF)
    shares["clients"] = (now.ru_utime + now.ru_stime - usage.ru_utime - usage.ru_stime) / elapsed
    shares["load"] = (load, os.getloadavg()[0])
    return shares


def machine_line(cpu: dict) -> str:
    noisy = cpu["other"] > 0.15
    return (
        f"CPU in shares of one core (the machine has {os.cpu_count()}): machine "
        f"{cpu['machine']:.0%}, gunicorn {cpu['gunicorn']:.0%}, PostgreSQL {cpu['postgres']:.0%}, "
        f"these clients {cpu['clients']:.0%}, other processes {cpu['other']:.0%}"
        + (f" (most: {', '.join(f'{n} {s:.0%}' for n, s in cpu['top_others'])})" if noisy else "")
        + f"; load average {cpu['load'][0]:.1f} before, {cpu['load'][1]:.1f} after."
        + ("\nWARNING: other processes were busy: the rates are lower than alone." if noisy else "")
    )


# --- the report ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def table(tally: Tally) -> list[str]:
    """Markdown: per kind of request, the rate over the run and the latencies."""
    elapsed = tally.finished or tally.now()
    lines = [
        "| Request | Count | Requests/s | p50 | p95 | p99 | max | Statuses | Broken |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    kinds = ["open", "autosave", "submit", "results", "drill-down"]
    kinds += sorted((set(tally.statuses) | set(tally.broken)) - set(kinds))
    total = 0
    for kind in dict.fromkeys(kinds):
        values = tally.latencies.get(kind, [])
        broken = sum(tally.broken.get(kind, {}).values())
        if not values and not broken:
            continue
        total += len(values) + broken
        cells = ["", "", "", ""]
        if values:
            cells = [
                f"{percentile(values, share) * 1000:,.0f} ms" for share in (0.5, 0.95, 0.99, 1)
            ]
        statuses = ", ".join(f"{s}: {n:,}" for s, n in sorted(tally.statuses[kind].items()))
        lines.append(
            f"| {kind} | {len(values) + broken:,} | {(len(values) + broken) / elapsed:,.0f} | "
            + " | ".join(cells)
            + f" | {statuses} | {broken:,} |"
        )
    lines.append(f"| **all** | {total:,} | {total / elapsed:,.0f} | | | | | | |")
    return lines


# --- what was stored -------------------------------------------------------------------------


def check_stored(world: World, links: list[Link]) -> tuple[bool, list[str]]:
    """Stored = acknowledged, whole, and on the right links; (all promises kept, lines)."""
    from django.db import connection
    from django.db.models import Count

    from dialogues.experiences.domain.anonymity import token_hash
    from dialogues.experiences.models import Answer, CampaignInvitee, PendingResponse, Response

    campaign, expected = world.campaign, world.questionnaire.expected
    invitees = CampaignInvitee.objects.filter(campaign=campaign)
    acknowledged = [link for link in links if link.outcome == "acknowledged"]
    used = [link for link in links if link.outcome == "used"]
    unknown = [link for link in links if not link.outcome and 0 in link.submits]

    def answered(group: list[Link]) -> int:
        hashes = [token_hash(link.token) for link in group]
        return sum(
            invitees.filter(token_hash__in=hashes[i : i + 5000], answered=True).count()
            for i in range(0, len(hashes), 5000)
        )

    marked = invitees.filter(answered=True).count()
    acknowledged_stored, used_stored = answered(acknowledged), answered(used)
    unknown_stored = answered(unknown)
    per_concept = {}
    problems: list[str] = []
    for concept, questions in expected.items():
        pending = PendingResponse.objects.filter(campaign=campaign, concept=concept)
        mixed = Response.objects.filter(
            campaign=campaign, concept=concept, source=Response.Source.QUESTIONNAIRE
        )
        per_concept[concept] = (pending.count(), mixed.count())
        for answers in pending.values_list("answers", flat=True).iterator(chunk_size=2000):
            given = {
                key for key, value in answers.items() if value.get("choice") or value.get("text")
            }
            if given != questions:
                problems.append(f"a pending {concept} response with {len(given)} of the answers")
        counts = Counter(mixed.annotate(n=Count("answers")).values_list("n", flat=True))
        for count, how_many in counts.items():
            if count != len(questions):
                problems.append(f"{how_many} mixed {concept} response(s) with {count} answers")
        stray = Answer.objects.filter(response__in=mixed).exclude(question_id__in=questions)
        if stray.exists():
            problems.append(f"mixed {concept} answers to questions not asked")
    connection.close()
    stored = [pending + mixed for pending, mixed in per_concept.values()]
    lines = [
        "Stored: "
        + ", ".join(
            f"{concept} {pending:,} pending + {mixed:,} mixed"
            for concept, (pending, mixed) in per_concept.items()
        )
        + f"; {marked:,} invitees marked answered.",
        f"Acknowledged (302 to the thank-you page): {len(acknowledged):,} submissions, "
        f"{acknowledged_stored:,} of their links marked answered."
        + (
            f" Not acknowledged but found submitted when the link was opened again: {len(used):,}"
            f" ({used_stored:,} marked answered)."
            if used
            else ""
        )
        + (f" Submissions whose answer never came: {len(unknown):,}." if unknown else ""),
    ]
    checks = {
        "every acknowledged submission is stored on its link": acknowledged_stored
        == len(acknowledged),
        "every link found used was stored": used_stored == len(used),
        "responses stored = submissions the clients saw acknowledged (+ found used)": all(
            count == len(acknowledged) + len(used) + unknown_stored for count in stored
        ),
        "invitees marked answered = submissions stored": all(count == marked for count in stored)
        and marked == len(acknowledged) + len(used) + unknown_stored,
        "every stored response has all its answers": not problems,
    }
    lines += [f"  {'ok  ' if ok else 'FAIL'}  {name}" for name, ok in checks.items()]
    lines += [f"        {problem}" for problem in dict.fromkeys(problems)]
    return all(checks.values()), lines
