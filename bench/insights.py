"""Time the results pages, the PDF report, the themes and the XLSX export of a large campaign
(docs/benchmarks.md, "Results, reports and themes (issue 6)").

    .venv/bin/python bench/insights.py                      # 1,500 / 6,000 / 24,000 respondents
    .venv/bin/python bench/insights.py --sizes 1500         # a quick run
    .venv/bin/python bench/insights.py --sizes 6000 --profile results,pdf   # cProfile to stderr
    .venv/bin/python bench/insights.py --sizes 24000 --reuse var/bench-24000.json \
        --operations results,drilldown      # build once, keep it, measure again without building

For each size N (respondents: people who answered) it resets the PostgreSQL database
``dialogues_bench_insights`` (drop, create, migrate) and builds a closed campaign
(``bench/insights/build.py``): a university of N / 0.75 people made by the demo generator and
loaded through the real HR import, all invited to both concepts with the default question guide
frozen, opened with the real ``open_campaign``, about three in four answering one or both
concepts with the demo's answers, stored as the mixer stores them, a few group interviews, and
the real ``close_campaign``.

Each operation then runs in a fresh process (``--measure OP``, ``bench/insights/measure.py``)
that logs in as the HR administrator with Django's test client (no HTTP; the app's settings with
their defaults: file cache, ``DEBUG`` off), times its requests and reports its peak RSS (VmHWM:
the whole process, Django included; ``baseline`` only sets Django up and runs a query). Before
each, the script waits until other processes leave the machine quiet. The database is dropped
at the end (``--keep`` keeps the last one).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.answering import drop_database, reset_database, wait_until_quiet  # noqa: E402
from bench.insights import setup_django  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/dialogues_bench_insights"
# Operations, each in its own process, in this order (themes need the vectors, the PDF themes).
OPERATIONS = ("baseline", "results", "drilldown", "embed", "themes", "pdf", "xlsx")
# (row label, operation, key of its result, target in seconds or None)
ROWS = [
    ("Results page, whole campaign, cold (publication built)", "results", "cold", 1.0),
    ("Results page, whole campaign, warm (publication cached)", "results", "warm", 1.0),
    ("Drill-down to the largest department (warm)", "drilldown", "faculty", 0.3),
    ("Drill-down to its largest section (warm)", "drilldown", "section", 0.3),
    ("Embedding every written answer (`embed_new_answers`)", "embed", "seconds", None),
    ("Themes of every question from the kept vectors (`find_themes`)", "themes", "seconds", None),
    ("PDF report, whole campaign (themes computed)", "pdf", "median", 10.0),
    ("XLSX export, whole campaign", "xlsx", "median", None),
]
THEMES_TARGET = (10_000, 30.0)  # comments, seconds
MEMORY_TARGET_MB = 500
QUIET = 0.15  # of a core: other processes using more spoil a measurement


def run_operation(operation: str, built: dict, profile: bool, patience: int) -> dict:
    """``operation`` in a fresh process, once the machine is quiet: its figures."""
    wait_until_quiet(QUIET, patience)
    command = [sys.executable, __file__, "--measure", operation]
    command += [f"--{key}={built[key]}" for key in ("campaign", "faculty", "section")]
    command += ["--profile=1"] if profile else []
    started = time.perf_counter()
    environment = os.environ | {"DIALOGUES_LOG_LEVEL": "WARNING"}  # not WeasyPrint's progress
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True, env=environment)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    found = json.loads(line.removeprefix("RESULT "))
    load = os.getloadavg()[0]
    elapsed = time.perf_counter() - started
    print(f"  {operation:<9} {elapsed:6.1f} s  load {load:.1f}  {found}", flush=True)
    return found


# --- the tables -----------------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def size_table(size: int, built: dict, found: dict) -> str:
    lines = [
        f"#### {size:,} respondents",
        "",
        f"{built['invitees']:,} invited, {built['respondents']:,} answered "
        f"({built['responses']:,} questionnaire responses, {built['interviews']} group "
        f"interviews), {built['answers']:,} answers of which {built['comments']:,} written; "
        f"{built['units']} units, {built['groups']} reporting groups; built in "
        f"{built['built']:.0f} s.",
        "",
        "| Operation | Time | Peak RSS of its process |",
        "|---|---:|---:|",
        f"| Baseline: `django.setup()` and one query | | {found['baseline']['peak_mb']:.0f} MB |",
        f"| Results page, first request of a fresh process (empty cache) "
        f"| {seconds(found['results']['first'])} | |",
    ]
    for label, operation, key, _target in ROWS:
        peak = found[operation]["peak_mb"]
        lines.append(f"| {label} | {seconds(found[operation][key])} | {peak:.0f} MB |")
    themes = found["themes"]
    lines += [
        "",
        f"Themes: {themes['comments']:,} comments ({themes['distinct']:,} distinct texts) in "
        f"{themes['questions']} questions. Results page {found['results']['bytes'] / 1024:.0f} "
        f"KB of HTML, PDF {found['pdf']['bytes'] / 1024:.0f} KB (first run "
        f"{seconds(found['pdf']['first'])}), XLSX {found['xlsx']['bytes'] / 1024:.0f} KB.",
    ]
    return "\n".join(lines)


def themes_rows(label: str, operation: str, values: list, found: list[dict], verdict) -> list:
    """The time, and the time per 10,000 comments (the grouping has the issue's target)."""
    comments, limit = THEMES_TARGET
    counts = [one["themes"]["comments"] for one in found]
    pairs = list(zip(values, counts, strict=True))
    cells = " | ".join(f"{seconds(value)} ({count:,} comments)" for value, count in pairs)
    rates = [value / count * comments for value, count in pairs]
    goal = "none: the periodic job embeds answers as they arrive"
    if operation == "themes":
        goal = f"< {limit:.0f} s: " + verdict([rate < limit for rate in rates])
    per = " | ".join(seconds(rate) for rate in rates)
    return [f"| {label} | {cells} | |", f"| … per {comments:,} comments | {per} | {goal} |"]


def summary_table(measured: dict[int, tuple[dict, dict]]) -> str:
    sizes = sorted(measured)
    head = " | ".join(f"{size:,}" for size in sizes)
    lines = [f"| Operation | {head} | Target |", "|---" + "|---:" * len(sizes) + "|---|"]

    def verdict(good: list[bool]) -> str:
        held = [f"{size:,}" for size, ok in zip(sizes, good, strict=True) if ok]
        if all(good):
            return "met at every size"
        return "**not met** at any size" if not held else f"met at {', '.join(held)} only"

    for label, operation, key, target in ROWS:
        values = [measured[size][1][operation][key] for size in sizes]
        cells = " | ".join(seconds(value) for value in values)
        if operation in {"embed", "themes"}:
            found = [measured[size][1] for size in sizes]
            lines += themes_rows(label, operation, values, found, verdict)
            continue
        goal = ""
        if target is not None:
            goal = f"< {seconds(target)}: " + verdict([value < target for value in values])
        lines.append(f"| {label} | {cells} | {goal} |")
    for operation in OPERATIONS:
        peaks = [measured[size][1][operation]["peak_mb"] for size in sizes]
        cells = " | ".join(f"{peak:.0f} MB" for peak in peaks)
        goal = ""
        if operation != "baseline":
            goal = f"< {MEMORY_TARGET_MB} MB: " + verdict([p < MEMORY_TARGET_MB for p in peaks])
        lines.append(f"| Peak RSS, {operation} process | {cells} | {goal} |")
    return "\n".join(lines)


# --- the run --------------------------------------------------------------------------------


def machine(connection) -> str:
    import django

    with open("/proc/cpuinfo") as cpuinfo:
        names = [line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split(" ")[0]
    return (
        f"{os.cpu_count()} cores ({names[0] if names else '?'}), Linux {platform.release()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {postgres}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1500,6000,24000", help="respondents, comma-separated")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--profile", default="", help="operations to profile (cProfile), e.g. pdf")
    parser.add_argument("--patience", type=int, default=600, help="s to wait for quiet")
    parser.add_argument("--keep", action="store_true", help="keep the database of the last size")
    parser.add_argument(
        "--reuse",
        type=Path,
        help="one size: a file describing its kept database; built (and kept) when missing",
    )
    parser.add_argument("--operations", default=",".join(OPERATIONS), help="which to measure")
    parser.add_argument("--measure", choices=OPERATIONS, help=argparse.SUPPRESS)
    for name in ("campaign", "faculty", "section"):
        parser.add_argument(f"--{name}", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        from bench.insights.measure import measure_main

        return measure_main(options)
    sizes = [int(size) for size in options.sizes.split(",")]
    if options.reuse and len(sizes) != 1:
        parser.error("--reuse takes one size")
    operations = [op for op in OPERATIONS if op in options.operations.split(",")]
    profiled = set(filter(None, options.profile.split(",")))
    measured: dict[int, tuple[dict, dict]] = {}
    keep = options.keep or options.reuse is not None
    reusing = options.reuse is not None and options.reuse.exists()
    if not reusing:
        reset_database(options.database_url)
    with tempfile.TemporaryDirectory(prefix="dialogues-bench-insights-") as name:
        setup_django(options.database_url, Path(name) / "var")
        from django.core.management import call_command
        from django.db import connection

        from bench.insights.build import build

        call_command("collectstatic", verbosity=0, interactive=False)
        print(machine(connection), flush=True)
        try:
            for index, size in enumerate(sizes):
                if reusing:
                    built = json.loads(options.reuse.read_text())
                    print(f"{size:,} respondents, reused: {built}", flush=True)
                else:
                    if index:
                        connection.close()
                        reset_database(options.database_url)
                    call_command("migrate", verbosity=0)
                    built = build(size)
                    print(f"{size:,} respondents: {built}", flush=True)
                    if options.reuse:
                        options.reuse.parent.mkdir(parents=True, exist_ok=True)
                        options.reuse.write_text(json.dumps(built))
                shutil.rmtree(Path(name) / "var" / "cache", ignore_errors=True)
                connection.close()
                found = {
                    op: run_operation(op, built, op in profiled, options.patience)
                    for op in operations
                }
                measured[size] = (built, found)
                if len(found) == len(OPERATIONS):
                    print("\n" + size_table(size, built, found) + "\n", flush=True)
        finally:
            connection.close()
            if not keep:
                drop_database(options.database_url)
    if all(len(found) == len(OPERATIONS) for _, found in measured.values()):
        print(summary_table(measured))
    print(f"\ndate: {date.today().isoformat()}")


if __name__ == "__main__":
    main()
