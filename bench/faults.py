"""Faults under load: PostgreSQL stopped, a gunicorn worker killed mid-submission (issue 7).

    .venv/bin/python bench/faults.py           # 200 respondents; a 5 s outage; 5 worker kills
    .venv/bin/python bench/faults.py --quick   # 50 respondents; one 3 s outage; one kill (CI)

It never touches the shared PostgreSQL on 5432: it makes a throwaway cluster on a free port in a
temporary directory with Debian's binaries (bench/reliability_cluster.py; as root, as the
``postgres`` user), builds the database ``dialogues_bench_faults`` there as bench/load.py does
(a two-concept campaign, a personal link per respondent) and starts gunicorn once (4 sync
workers). Respondents (bench/reliability_client.py) take link after link; each autosaves a
draft (every one in the first scenario, every second one in the second) and submits. They do
what the 503 page asks: after a 503 or a broken connection they wait half a second, open the
same link again (which shows the draft, or says the link was used) and submit again.

1. ``database``: at ``--stop-at`` s, ``pg_ctl stop -m immediate``; ``--down`` s later, start.
   A probe respondent autosaves and submits every 0.2 s from the stop on; a probe asks the
   health check every 0.1 s. Promises: no 500 (only 503), every 503 to a submission says the
   answers were not saved, an autosave says the draft could not be saved (never a 503, which
   htmx would not show), every draft autosaved before is shown when the link is opened again,
   the first submission is acknowledged within ``--recovery-limit`` s of the database accepting
   connections again, with the same gunicorn workers (nothing restarted).
2. ``worker``: ``--kills`` times, a worker caught inside a submission's transaction gets
   SIGKILL (bench/reliability_workers.py). Promises: no 5xx, broken connections only from the
   kills, every interrupted respondent ends either acknowledged (nothing was stored, they
   submitted again) or told the link was used (it was stored, whole), and the master replaces
   the worker.

After each: stored = acknowledged (+ found used), every invitee marked answered has its
responses and every response all its answers (no half-written response). Exit status 1 when a
promise fails. Only 127.0.0.1 is ever sent a request; everything stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.answering import wait_until_quiet  # noqa: E402
from bench.reliability_client import (  # noqa: E402
    CSRF_FIELD,
    FORM,
    HTMX,
    REQUEST_TIMEOUT,
    Link,
    Run,
    Tally,
    http_client,
    open_some,
    respondent,
)
from bench.reliability_cluster import Cluster  # noqa: E402
from bench.reliability_workers import kill_in_submission, wait_for_workers, workers  # noqa: E402
from bench.reliability_world import (  # noqa: E402
    WORKERS,
    check_stored,
    gunicorn,
    gunicorn_log,
    prepare,
    table,
)

DATABASE = "dialogues_bench_faults"
AUTOSAVES = ("autosave", "probe autosave")
RAN_OUT = "the links ran out: run again with a larger --invitees"
GRACE = 30.0  # s after the last new link for respondents to finish the links they hold


def first(events, since: float, kind: str, status: int) -> float | None:
    return next((t for t, k, s in events if t >= since and k == kind and s == status), None)


async def probe_health(run: Run, at: dict) -> None:
    """The health check every 0.1 s, until it says 200 after the restart (or the run ends)."""
    async with http_client(run.base_url) as client:
        while not run.over():
            answer = await run.tally.send(client, "health", "GET", "/health/")
            if "start" in at and answer is not None and answer.status_code == 200:
                return
            await asyncio.sleep(0.1)


async def accepting(url: str) -> None:
    """Return as soon as PostgreSQL accepts a connection (tried every 50 ms)."""
    import psycopg

    while True:
        try:
            connection = await psycopg.AsyncConnection.connect(url, connect_timeout=2)
        except psycopg.OperationalError:
            await asyncio.sleep(0.05)
            continue
        await connection.close()
        return


async def database_stop(run: Run, cluster: Cluster, options, at: dict) -> None:
    await asyncio.sleep(options.stop_at)
    at["stop"] = run.tally.now()
    await asyncio.to_thread(cluster.stop)
    at["stopped"] = run.tally.now()
    await asyncio.sleep(options.down)
    at["start"] = run.tally.now()
    started = asyncio.create_task(asyncio.to_thread(cluster.start))
    await accepting(cluster.url(DATABASE))
    at["ready"] = run.tally.now()
    await started


async def probe_submit(run: Run, link: Link, at: dict) -> None:
    """A respondent who, from the stop on, types (an autosave) and presses Submit every 0.2 s
    until it is acknowledged: when submitting works again, to a fifth of a second."""
    url = f"/experiences/answer/{link.token}/"
    questionnaire = run.questionnaire
    async with http_client(run.base_url) as client:
        page = await run.tally.send(client, "open", "GET", url)
        csrf = CSRF_FIELD.search(page.text).group(1)
        body = questionnaire.submit_body(csrf, link.number)
        typed = questionnaire.autosave_body(csrf, link.number)
        while "stopped" not in at:
            await asyncio.sleep(0.05)
        while run.tally.now() < run.stop_at:
            saved = await run.tally.send(
                client, "probe autosave", "POST", url, headers=HTMX, content=typed
            )
            if saved is not None and saved.status_code == 200 and "ready" not in at:
                said = any(text in saved.text for text in questionnaire.draft_not_saved)
                at["autosave said not saved"] = at.get("autosave said not saved", 0) + said
            sent = await run.tally.send(client, "probe", "POST", url, headers=FORM, content=body)
            link.submits.append(0 if sent is None else sent.status_code)
            if sent is not None and sent.status_code in (302, 410):
                link.outcome = "acknowledged" if sent.status_code == 302 else "used"
                return
            if sent is not None and sent.status_code == 503:
                link.refusals.append(questionnaire.refusal(sent.text))
            await asyncio.sleep(0.2)


async def run_with(run: Run, *extra) -> None:
    await open_some(run.base_url, run.links[-16:], Tally())
    tasks = [respondent(run) for _ in range(run.respondents)]
    run.tally.started = time.monotonic()
    try:
        async with asyncio.timeout(run.stop_at + REQUEST_TIMEOUT + 60):
            await asyncio.gather(*tasks, *extra)
    finally:
        run.tally.finished = run.tally.now()


def interrupted(links) -> list:
    return [link for link in links if any(status in (0, 503) for status in link.submits)]


def scenario_database(world, cluster, base_url, master, links, options) -> tuple:
    """The outage; (links taken, lines, broken promises)."""
    probe, links = links[0], links[1:]
    run = Run(base_url, world.questionnaire, links, options.duration, options.duration + GRACE)
    run.persistent, run.autosave_every, run.respondents = True, 1, options.respondents
    at: dict = {}
    before = sorted(workers(master))
    stop = database_stop(run, cluster, options, at)
    asyncio.run(run_with(run, stop, probe_health(run, at), probe_submit(run, probe, at)))
    after = sorted(workers(master))
    tally, links = run.tally, [probe, *run.started_links()]
    ready = at["ready"]
    acknowledged = first(tally.events, at["start"], "submit", 302)
    probed = first(tally.events, at["start"], "probe", 302)
    earliest = min((t for t in (acknowledged, probed) if t is not None), default=None)
    healthy = first(tally.events, at["start"], "health", 200)
    unavailable = [t for t, _kind, status in tally.events if status == 503]
    refused = sum(tally.statuses[kind].get(503, 0) for kind in ("submit", "probe"))
    said = Counter(kind for link in links for kind in link.refusals)
    # Told "not saved" by its last refusal, yet found stored when opened again: untrue.
    untrue = [
        link for link in links if link.outcome == "used" and link.refusals[-1:] == ["not saved"]
    ]
    hit = interrupted(links)
    drafts = [link for link in hit if link.draft_saved and link.draft_shown is not None]
    unresolved = [link for link in hit if not link.outcome]
    autosave_refused = sum(tally.statuses[kind].get(503, 0) for kind in AUTOSAVES)
    autosaved_down = sum(
        1 for t, kind, _s in tally.events if kind in AUTOSAVES and at["stop"] <= t <= ready
    )
    said_unsaved = at.get("autosave said not saved", 0)

    def since(moment) -> str:
        if moment is None:
            return "never"
        return f"{moment - at['start']:.1f} s after the start command ({moment - ready:+.1f} s)"

    last = (
        f", the last {unavailable[-1] - ready:+.1f} s after PostgreSQL was back"
        if unavailable
        else ""
    )
    if tally.no_retry_after:
        last += f"; without Retry-After: {dict(tally.no_retry_after)}"
    lines = table(tally) + [
        f"\nPostgreSQL stopped (immediate) at {at['stop']:.1f} s, started at {at['start']:.1f} s, "
        f"accepting connections {ready - at['start']:.1f} s later (crash recovery).",
        f"First submission acknowledged {since(earliest)} (the probe, Submit every 0.2 s: "
        f"{since(probed)}; the other respondents: {since(acknowledged)}). Health check 200 "
        f"again {since(healthy)}.",
        f"503 answers: {len(unavailable):,}{last}.",
        f"Autosaves answered while PostgreSQL was down: {autosaved_down:,}; the probe's said the "
        f"draft could not be saved {said_unsaved} times; statuses of all autosaves: "
        f"{dict(tally.statuses['autosave'] + tally.statuses['probe autosave'])}.",
        f"Submissions answered 503: {refused:,}: {said['not saved']:,} said the answers were not "
        f"saved, {said['cannot tell']:,} that it could not tell (the COMMIT got no answer), "
        f"{said['other']:,} something else. {len(hit):,} respondents had a submission refused "
        "or cut: "
        f"{sum(link.outcome == 'acknowledged' for link in hit):,} then acknowledged, "
        f"{sum(link.outcome == 'used' for link in hit):,} found their link used (stored although "
        f"the answer was lost), {len(unresolved)} unresolved. Drafts autosaved before and shown "
        f"when the link was opened again: {sum(bool(link.draft_shown) for link in drafts)} of "
        f"{len(drafts)}.",
        f"gunicorn: the same {len(after)} workers before and after."
        if before == after
        else f"gunicorn's workers CHANGED: {before} -> {after}.",
    ]
    other = {s: n for kind in tally.statuses.values() for s, n in kind.items() if s >= 500}
    broken = {
        "server errors other than 503": set(other) - {503},
        "a 503 to a submission said neither 'not saved' nor 'cannot tell'": said["other"]
        or said.total() != refused,
        f"{len(untrue)} respondents were told 'not saved' although their answers were stored": (
            untrue
        ),
        "the outage was not seen (no 503): the fault did not happen": not unavailable,
        f"no submission acknowledged within {options.recovery_limit} s of PostgreSQL's return": (
            earliest is None or earliest - ready > options.recovery_limit
        ),
        "a draft autosaved before the outage was not shown afterwards": any(
            not link.draft_shown for link in drafts
        ),
        f"{len(unresolved)} respondents could not submit after the outage": unresolved,
        "gunicorn's workers were restarted": before != after,
        # htmx swaps no 5xx: the page would go on saying "Draft saved." (views_answering.py)
        "an autosave got a 503 instead of its status saying it was not saved": autosave_refused,
        "no autosave during the outage said the draft could not be saved": not said_unsaved,
        RAN_OUT: run.exhausted,
    }
    return run.taken + 1, lines, [problem for problem, yes in broken.items() if yes]


async def kill_during(run: Run, master: int, url: str, port: int, options, kills: list) -> None:
    for index in range(options.kills):
        at = options.duration * (index + 1) / (options.kills + 1)
        await asyncio.sleep(max(0.0, at - run.tally.now()))
        kill = await kill_in_submission(master, url, port)
        kill["at"] -= run.tally.started
        kills.append(kill)
        await wait_for_workers(master, WORKERS)


def scenario_worker(world, cluster, base_url, master, links, options) -> tuple:
    run = Run(base_url, world.questionnaire, links, options.duration, options.duration + GRACE)
    run.persistent, run.autosave_every, run.respondents = True, 2, options.respondents
    kills: list = []
    url = cluster.url(DATABASE)
    asyncio.run(run_with(run, kill_during(run, master, url, cluster.port, options, kills)))
    replaced = asyncio.run(wait_for_workers(master, WORKERS))
    tally, failed, lines = run.tally, [], table(run.tally)
    hit = [link for link in run.started_links() if 0 in link.submits]
    broken = sum(sum(kind.values()) for kind in tally.broken.values())
    caught = [kill for kill in kills if kill["caught"]]
    lines.append(
        f"\nWorkers killed: {len(kills)} at "
        + ", ".join(f"{kill['at']:.1f} s" for kill in kills)
        + f"; {len(caught)} caught inside a submission's transaction ("
        + "; ".join(dict.fromkeys(kill["caught"] for kill in caught))
        + f"). Broken connections seen by the clients: {broken} ("
        + ", ".join(f"{kind} {sum(n.values())}" for kind, n in tally.broken.items())
        + f"); submissions cut: {len(hit)}, of which "
        f"{sum(link.outcome == 'acknowledged' for link in hit)} were not stored and submitted "
        f"again (acknowledged), {sum(link.outcome == 'used' for link in hit)} had been stored "
        f"(the link said so), {sum(not link.outcome for link in hit)} unresolved. Workers "
        f"running afterwards: {len(workers(master))} of {WORKERS}."
    )
    errors = {s: n for kind in tally.statuses.values() for s, n in kind.items() if s >= 500}
    if errors:
        failed.append(f"server errors: {errors}")
    if broken > len(kills):
        failed.append(f"{broken} broken connections for {len(kills)} kills")
    if any(not link.outcome for link in hit):
        failed.append("a respondent whose submission was cut could not submit again")
    if not replaced:
        failed.append("the master did not replace the killed workers")
    if run.exhausted:
        failed.append(RAN_OUT)
    return run.taken, lines, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="database,worker")
    parser.add_argument("--quick", action="store_true", help="50 respondents, short (CI)")
    parser.add_argument("--respondents", type=int, help="concurrent respondents (200)")
    parser.add_argument("--duration", type=float, help="s of each scenario (40)")
    parser.add_argument("--stop-at", type=float, help="s into the run PostgreSQL stops (15)")
    parser.add_argument("--down", type=float, help="s PostgreSQL stays down (5)")
    parser.add_argument("--kills", type=int, help="workers to kill (5)")
    parser.add_argument("--recovery-limit", type=float, default=10.0)
    parser.add_argument("--invitees", type=int, help="links (150 per second of the runs)")
    parser.add_argument("--pg-bin", help="PostgreSQL's bin directory (Debian's newest)")
    parser.add_argument(
        "--patience", type=int, help="s to wait for other processes to quieten (300; quick 0)"
    )
    options = parser.parse_args()
    defaults = (50, 12, 4, 3, 1, 0) if options.quick else (200, 40, 15, 5, 5, 300)
    for name, value in zip(
        ("respondents", "duration", "stop_at", "down", "kills", "patience"), defaults, strict=True
    ):
        if getattr(options, name) is None:
            setattr(options, name, value)
    scenarios = [name for name in options.scenarios.split(",") if name]
    if unknown := set(scenarios) - {"database", "worker"}:
        sys.exit(f"Unknown scenario(s): {', '.join(sorted(unknown))}")
    invitees = options.invitees or round(
        150 * options.duration * len(scenarios) + 4 * options.respondents
    )
    # A stop by SIGTERM (CI's timeout, say) still stops the throwaway cluster and gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    print(
        f"{options.respondents} respondents, {options.duration:.0f} s per scenario "
        f"({', '.join(scenarios)}); load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    failed: list[str] = []
    with (
        Cluster(options.pg_bin) as cluster,
        tempfile.TemporaryDirectory(prefix="dialogues-faults-") as name,
    ):
        workdir = Path(name)
        world = prepare(cluster.url(DATABASE), workdir, invitees)
        taken = 0
        with gunicorn(world, workdir) as (server, base_url):
            for scenario in scenarios:
                wait_until_quiet(0.15, options.patience)
                print(f"\n## {scenario} (load average {os.getloadavg()[0]:.1f})", flush=True)
                do = scenario_database if scenario == "database" else scenario_worker
                used, lines, broken = do(
                    world, cluster, base_url, server.pid, world.links[taken:], options
                )
                taken += used
                ok, stored = check_stored(world, world.links[:taken])
                print("\n".join(lines + stored), flush=True)
                failed += [f"{scenario}: {problem}" for problem in broken]
                failed += [] if ok else [f"{scenario}: what was stored"]
        print(f"\ngunicorn's log (last lines):\n{gunicorn_log(workdir)}")
        print(f"\nPostgreSQL's log (last lines):\n{cluster.tail(8)}")
    print(f"load average {os.getloadavg()[0]:.1f}; date: {date.today().isoformat()}")
    if failed:
        print("\nFAILED:\n  " + "\n  ".join(failed))
        sys.exit(1)
    print("\nAll promises kept.")


if __name__ == "__main__":
    main()
