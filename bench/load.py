"""Load: concurrent respondents (and HR users) against gunicorn + PostgreSQL (issue 7).

    .venv/bin/python bench/load.py                  # 200 respondents for 60 s
    .venv/bin/python bench/load.py --profile mixed  # the same, and 10 HR users reading results
    .venv/bin/python bench/load.py --quick          # 50 respondents for 10 s (CI adds mixed)

It resets the PostgreSQL database ``dialogues_bench_load`` (bench/answering.py's
``reset_database``: only on 127.0.0.1, only a ``*bench*`` database), opens a two-concept
campaign with a personal link per respondent (``build_campaign``) and, for ``--profile mixed``,
first builds a closed campaign with results (bench/insights/build.py) whose HR administrator
the script gives a password. It starts gunicorn as production does (4 sync workers, free port
on 127.0.0.1) and runs the respondents (bench/reliability_client.py) as asyncio tasks with
httpx: each takes a new link, opens it, every second one autosaves a draft, submits the whole
questionnaire and counts the 302 to the thank-you page, then takes the next link, with no pause.
HR users sign in before the clock starts (each their own session of the HR administrator),
then read the whole campaign's results and two drill-downs in turn, with no pause. Half-way,
the periodic job's mixer runs in its own process, as the hourly job would.

When the time is up no new request starts; the ones sent are waited for. The promises, checked
after gunicorn has stopped (exit status 1 when one fails): no answer 5xx, no broken connection,
every request answered as expected (200; 302 for a submission), and the responses stored
(pending + mixed, per concept), the invitees marked answered and the submissions the clients
saw acknowledged are the same number, every acknowledged link marked answered, every response
whole. Only 127.0.0.1 is ever sent a request; everything stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import tempfile
import time
import urllib.parse
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.answering import drop_database, wait_until_quiet  # noqa: E402
from bench.reliability_client import (  # noqa: E402
    REQUEST_TIMEOUT,
    Run,
    Tally,
    hr_reader,
    open_some,
    respondent,
    sign_in,
)
from bench.reliability_cluster import Cluster  # noqa: E402
from bench.reliability_world import (  # noqa: E402
    check_stored,
    gunicorn,
    gunicorn_log,
    machine_after,
    machine_before,
    machine_line,
    mix_at,
    prepare,
    table,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/dialogues_bench_load"
# What each kind of request must be answered with; anything else (HR pages, the health check): 200.
EXPECTED = {"open": 200, "autosave": 200, "submit": 302, "sign-in": 302}


async def warm_up(world, base_url: str, options) -> tuple[list, Tally]:
    """Before the clock: HR users sign in and read each page once (the first reading builds
    the cached publication), and every worker opens a few links (templates, caches)."""
    tally = Tally()
    readers = []
    if options.profile == "mixed":
        for _ in range(options.hr_users):
            readers.append(
                await sign_in(base_url, world.hr_email, world.hr_password, world.hr_pages, tally)
            )
        for kind, path in dict.fromkeys(world.hr_pages):
            await tally.send(readers[0].client, kind, "GET", path)
    await open_some(base_url, world.links[:16], tally)
    return readers, tally


async def drive(world, base_url: str, options, mixer: dict, database: str) -> Run:
    readers, warm = await warm_up(world, base_url, options)
    if problems := unexpected(warm):
        raise SystemExit(f"The warm-up failed: {'; '.join(problems)}")
    run = Run(base_url, world.questionnaire, world.links, options.duration, options.duration)
    tasks = [respondent(run) for _ in range(options.respondents)]
    tasks += [hr_reader(run, reader) for reader in readers]
    if not options.no_mixer:
        tasks.append(mix_at(world, options.duration / 2, run.tally, mixer))
    run.machine = machine_before(database)
    run.tally.started = time.monotonic()
    try:
        async with asyncio.timeout(options.duration + REQUEST_TIMEOUT + 120):
            await asyncio.gather(*tasks)
    finally:
        run.tally.finished = run.tally.now()
        for reader in readers:
            await reader.client.aclose()
    return run


def unexpected(tally: Tally) -> list[str]:
    found = []
    for kind, counts in tally.statuses.items():
        want = EXPECTED.get(kind, 200)
        wrong = {status: count for status, count in counts.items() if status != want}
        if wrong:
            found.append(f"{kind}: {wrong} (expected {want})")
    for kind, errors in tally.broken.items():
        found.append(f"{kind}: broken connections {dict(errors)}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=["respondents", "mixed"], default="respondents")
    parser.add_argument("--respondents", type=int, help="concurrent respondents (200)")
    parser.add_argument("--duration", type=float, help="seconds (60)")
    parser.add_argument("--hr-users", type=int, help="signed-in HR users, --profile mixed (10)")
    parser.add_argument("--closed-size", type=int, help="respondents of the closed campaign (1500)")
    parser.add_argument("--invitees", type=int, help="links (200 per second, 2 per respondent)")
    parser.add_argument("--quick", action="store_true", help="50 respondents for 10 s (CI)")
    parser.add_argument("--no-mixer", action="store_true", help="no mixer half-way")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument(
        "--own-cluster",
        action="store_true",
        help="a throwaway PostgreSQL cluster (as bench/faults.py) instead of --database-url's",
    )
    parser.add_argument(
        "--patience", type=int, help="s to wait for other processes to quieten (300; quick 0)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    options = parser.parse_args()
    defaults = (50, 10, 2, 300, 0) if options.quick else (200, 60, 10, 1500, 300)
    for name, value in zip(
        ("respondents", "duration", "hr_users", "closed_size", "patience"), defaults, strict=True
    ):
        if getattr(options, name) is None:
            setattr(options, name, value)
    invitees = options.invitees or round(200 * options.duration + 2 * options.respondents)
    closed_size = options.closed_size if options.profile == "mixed" else 0
    database = urllib.parse.urlsplit(options.database_url).path.lstrip("/")
    print(
        f"{options.respondents} respondents for {options.duration:.0f} s"
        + (f" and {options.hr_users} HR users" if closed_size else "")
        + f"; database {database}",
        flush=True,
    )

    # A stop by SIGTERM (CI's timeout, say) still stops gunicorn and drops the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    with contextlib.ExitStack() as stack:
        url = options.database_url
        if options.own_cluster:
            url = stack.enter_context(Cluster()).url(database)
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dialogues-load-")))
        world = prepare(url, workdir, invitees, closed_size)
        mixer: dict = {}
        try:
            with gunicorn(world, workdir) as (server, base_url):
                wait_until_quiet(0.15, options.patience)
                run = asyncio.run(drive(world, base_url, options, mixer, database))
                cpu = machine_after(run.machine, database, server.pid, run.tally.finished)
            ok, stored = check_stored(world, run.started_links())
        finally:
            if not options.keep and not options.own_cluster:
                drop_database(url)
        log = gunicorn_log(workdir)

    print()
    print("\n".join(table(run.tally)))
    print(
        f"\n{run.taken:,} links taken in {run.tally.finished:.1f} s "
        f"({run.taken / run.tally.finished:,.0f} respondents/s); "
        f"{sum(1 for link in run.started_links() if link.outcome):,} submissions acknowledged."
    )
    if mixer:
        print(
            f"The mixer at {mixer['at']:.0f} s moved {mixer['moved']:,} responses in "
            f"{mixer['seconds']:.1f} s."
            if "error" not in mixer
            else f"The mixer FAILED:\n{mixer['error']}"
        )
    print(machine_line(cpu))
    print("\n".join(stored))
    problems = unexpected(run.tally)
    if run.exhausted:
        problems.append("the links ran out: run again with a larger --invitees")
    if "error" in mixer:
        problems.append("the mixer failed")
    if log.strip():
        print(f"\ngunicorn's log (last lines):\n{log}")
    print(f"date: {date.today().isoformat()}")
    if problems or not ok:
        print("\nFAILED: " + "; ".join(problems or ["what was stored"]))
        sys.exit(1)
    print("\nAll promises kept: no server error, every acknowledged submission stored whole.")


if __name__ == "__main__":
    main()
