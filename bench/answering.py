"""Load-test answering the questionnaire (docs/benchmarks.md, "Answering the questionnaire").

    apt-get install wrk                 # the load generator (Debian package), once
    .venv/bin/python bench/answering.py

It resets the PostgreSQL database ``dialogues_bench`` (drop, create, migrate), builds an
organisation, opens one two-concept campaign for N invitees (one personal link per submission),
measures in-process what a page and a submission cost (queries, time in SQL, form, template,
mixer), starts gunicorn (4 sync workers on 127.0.0.1, no access log, the app's own settings
plus two reference views from ``bench/answering_site``), and drives it with wrk at 50
connections, one fixed-length phase each:

1. ``trivial``: a view returning a short response (the ceiling of the stack);
2. ``insert``: a view doing one INSERT (the ceiling of a view that commits);
3. ``page``: opening the questionnaire through a personal link (GET);
4. ``submit``: submitting a complete two-concept questionnaire, every time with another link.

Each phase waits until other processes leave the machine quiet, and is run again (``--retries``)
if they took more than a little CPU during it. Then it stops gunicorn, checks that every
acknowledged submission (302) is stored, counts the deadlocks in PostgreSQL's log, prints the
tables and drops the database (``--keep`` keeps it). Only 127.0.0.1 is ever sent a request;
wrk stops by itself after each phase (``--duration``, 20 s).
"""

import argparse
import contextlib
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LUA = Path(__file__).resolve().parent / "answering_site" / "load.lua"
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/dialogues_bench"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TARGETS = {"page": (1000, 50), "submit": (400, 100)}  # requests/s at least, p95 ms under
PHASES = {
    "trivial": "Trivial view (reference)",
    "insert": "One-INSERT view (reference)",
    "page": "Questionnaire page (GET)",
    "submit": "Submission (POST, 2 concepts)",
}
# Other processes (someone's tests, say) using more than this share of a core spoil a phase.
OTHER_LIMIT = 0.15
EXPECTED = {"trivial": 200, "insert": 200, "page": 200, "submit": 302}
# Texts typed into the open questions and the "why" of the closed ones (a sentence or two).
TEXTS = [
    "We talked openly about the workload in the team and agreed on two things to try before "
    "the summer. It helped that everyone had prepared a little beforehand.",
    "The first meeting felt a bit formal, but the second one was much better; we would like "
    "more time for the conversation and fewer slides next time.",
    "Mostly yes: the material was useful, although the film was long. The HR partner helped "
    "us keep to the point when the discussion drifted.",
    "I would like us to follow up after three months, so that the agreements do not fade "
    "away in the daily work.",
]


# --- the database -----------------------------------------------------------------------------


def reset_database(url: str) -> None:
    """Drop and create the database of ``url`` (only a loopback ``*bench*`` database)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql"} or (parts.hostname or "") not in LOOPBACK:
        sys.exit(f"Refusing {url}: the benchmark runs only on PostgreSQL at 127.0.0.1.")
    if "bench" not in name or not re.fullmatch(r"[a-z0-9_]+", name):
        sys.exit(f"Refusing to drop {name!r}: the database's name must contain 'bench'.")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def setup_django(url: str, workdir: Path) -> dict:
    """Configure this process like the server's workers; returns the environment for them."""
    environment = {
        "DATABASE_URL": url,
        "DIALOGUES_VAR_DIR": str(workdir / "var"),
        "DIALOGUES_SECRET_KEY": "benchmark-only-" + "k" * 50,
        "DJANGO_SETTINGS_MODULE": "bench.answering_site.settings",
    }
    os.environ.update(environment)
    import django

    django.setup()
    return environment


# --- the campaign -----------------------------------------------------------------------------


def build_campaign(invitees: int):
    """A university of 8 departments of 8 sections, and an open campaign; (campaign, tokens)."""
    from django.utils import timezone

    from dialogues.experiences.domain.anonymity import open_campaign
    from dialogues.experiences.domain.guide import freeze_guide
    from dialogues.experiences.models import Campaign, CampaignInvitee, QuestionGuide
    from dialogues.experiences.rolegroups import RoleGroup
    from dialogues.organisation.models import Unit
    from dialogues.organisation.models.units import rebuild_lineage

    university = Unit.objects.create(code="U", name="Bench University", kind=Unit.Kind.UNIVERSITY)
    departments = Unit.objects.bulk_create(
        Unit(code=f"D{d}", name=f"Department {d}", kind=Unit.Kind.DEPARTMENT, parent=university)
        for d in range(8)
    )
    sections = Unit.objects.bulk_create(
        Unit(code=f"S{d}-{s}", name=f"Section {d}.{s}", kind=Unit.Kind.SECTION, parent=department)
        for d, department in enumerate(departments)
        for s in range(8)
    )
    rebuild_lineage()
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Benchmark",
        guide_version=freeze_guide(QuestionGuide.objects.default()),
        concepts=["wellbeing", "leadership"],
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=14),
    )
    campaign.units.add(university)
    rows = [
        CampaignInvitee(
            email=f"person{n}@bench.example",
            unit=sections[n % len(sections)],
            role_group=RoleGroup.MANAGER if n % 25 == 0 else RoleGroup.EMPLOYEE,
            language=("da", "en")[n % 2],
            preset_concepts=["wellbeing", "leadership"],
        )
        for n in range(invitees)
    ]
    tokens = open_campaign(campaign, rows)
    campaign.refresh_from_db()
    return campaign, [tokens[row.pk] for row in rows]


def complete_answers(campaign) -> dict[str, str]:
    """Form data answering every question shown for both concepts, follow-ups included.

    Built from ``AnswerForm``'s own fields: answered closed questions can reveal follow-ups,
    so the form is built again with the answers until no new field appears. A closed question
    that a follow-up depends on gets the first choice that shows the follow-up.
    """
    from dialogues.experiences.forms_answering import AnswerForm

    snapshot = campaign.guide_version.snapshot
    reveals: dict[int, str] = {}
    for section in snapshot["sections"]:
        for question in section["questions"]:
            condition = question.get("condition")
            if condition and condition["answers"]:
                reveals.setdefault(condition["question"], condition["answers"][0])
    closed_choices = ["yes", "partly", "yes", "no"]
    data: dict[str, str] = {}
    answers: dict[str, dict] = {}
    while True:
        form = AnswerForm(campaign, answers=answers, concepts=campaign.concepts)
        new = [name for name in form.fields if name != "concepts" and name not in data]
        if not new:
            break
        for name in new:
            kind, question_id, part = name.rsplit("-", 2)
            number = int(question_id)
            if part == "choice":
                value = reveals.get(number, closed_choices[number % len(closed_choices)])
                answers.setdefault(kind, {}).setdefault(question_id, {})["choice"] = value
            else:
                value = TEXTS[(number + len(kind)) % len(TEXTS)]
                if part == "why":
                    answers.setdefault(kind, {}).setdefault(question_id, {})["why"] = value
                else:
                    answers.setdefault(kind, {})[question_id] = value
            data[name] = value
    return data


def form_body(data: dict[str, str], csrf: str) -> str:
    fields = [("csrfmiddlewaretoken", csrf)]
    fields += [("concepts", kind) for kind in ("wellbeing", "leadership")]
    fields += sorted(data.items())
    fields.append(("submit", "submit"))
    return urllib.parse.urlencode(fields)


# --- in-process costs -------------------------------------------------------------------------


class Meter:
    """Counts and times the SQL of a request, and the time spent in named functions."""

    def __init__(self):
        self.queries: list[tuple[str, float]] = []
        self.spent: dict[str, float] = {}

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, time.perf_counter() - start))

    def wrap(self, label, function):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.perf_counter() - start

        return timed

    def reset(self):
        self.queries, self.spent = [], {}


def short_sql(sql: str) -> str:
    sql = re.sub(r'"[a-z_]+"\."([a-z_]+)"', r"\1", sql)
    if not sql.startswith("SELECT COUNT(*)"):
        sql = re.sub(r"SELECT .*? FROM", "SELECT … FROM", sql, count=1)
    return " ".join(sql.split())[:110]


def measure_in_process(campaign, page_tokens, submit_tokens, body: str, profile: bool) -> dict:
    """Queries and time per page and per submission, one request at a time, in this process."""
    from django.db import connection

    database = connection.settings_dict["NAME"]
    before = snapshot(database)
    started = time.monotonic()
    report = _measure_in_process(campaign, page_tokens, submit_tokens, body, profile)
    cpu = cpu_shares(before, snapshot(database), -1, time.monotonic() - started)
    report["other"] = cpu["other"]
    return report


def _measure_in_process(campaign, page_tokens, submit_tokens, body: str, profile: bool) -> dict:
    from django.db import connection
    from django.test import Client

    from dialogues.experiences import views_answering
    from dialogues.experiences.domain import mixing

    meter = Meter()
    client = Client(HTTP_HOST="127.0.0.1")
    originals = {
        "render": views_answering.render,
        "AnswerForm": views_answering.AnswerForm,
        "store_answers": views_answering.store_answers,
        "mix": mixing.mix,
    }
    views_answering.render = meter.wrap("template", originals["render"])
    views_answering.AnswerForm = meter.wrap("form", originals["AnswerForm"])
    views_answering.store_answers = meter.wrap("store_answers()", originals["store_answers"])
    mixing.mix = meter.wrap("mix()", originals["mix"])
    report: dict = {"page": [], "submit": [], "mixing": []}
    profiler = None
    if profile:
        import cProfile

        profiler = {"page": cProfile.Profile(), "submit": cProfile.Profile()}
    try:
        with connection.execute_wrapper(meter):
            for index, token in enumerate(page_tokens):
                meter.reset()
                start = time.perf_counter()
                if profiler and index:
                    profiler["page"].enable()
                response = client.get(f"/experiences/answer/{token}/")
                if profiler and index:
                    profiler["page"].disable()
                total = time.perf_counter() - start
                assert response.status_code == 200, response.status_code
                if index:  # the first one warms the caches up
                    report["page"].append((total, list(meter.queries), dict(meter.spent)))
            report["page_bytes"] = len(response.content)
            for index, token in enumerate(submit_tokens):
                meter.reset()
                start = time.perf_counter()
                if profiler and index:
                    profiler["submit"].enable()
                response = client.post(
                    f"/experiences/answer/{token}/",
                    body,
                    content_type="application/x-www-form-urlencoded",
                )
                if profiler and index:
                    profiler["submit"].disable()
                total = time.perf_counter() - start
                assert response.status_code == 302, (response.status_code, response.content[:500])
                mixed = "mix()" in meter.spent
                entry = (total, list(meter.queries), dict(meter.spent))
                if mixed:
                    report["mixing"].append(entry)
                elif index:
                    report["submit"].append(entry)
    finally:
        views_answering.render = originals["render"]
        views_answering.AnswerForm = originals["AnswerForm"]
        views_answering.store_answers = originals["store_answers"]
        mixing.mix = originals["mix"]
    report["profiler"] = profiler
    return report


def print_in_process(report: dict, invitees: int) -> list[str]:
    lines = [
        "",
        "In-process cost, one request at a time (Django test client, no HTTP; other processes "
        f"used {report['other']:.0%} of a core meanwhile):",
    ]

    def median(values):
        return statistics.median(values) if values else 0.0

    for key, label in (
        ("page", "page GET"),
        ("submit", "submission"),
        ("mixing", "submission that runs the mixer"),
    ):
        entries = report[key]
        if not entries:
            continue
        totals = [entry[0] for entry in entries]
        counts = [len(entry[1]) for entry in entries]
        sql = [sum(seconds for _sql, seconds in entry[1]) for entry in entries]
        parts = {}
        for entry in entries:
            for name, seconds in entry[2].items():
                parts.setdefault(name, []).append(seconds)
        detail = ", ".join(
            f"{name} {median(values) * 1000:.1f} ms" for name, values in sorted(parts.items())
        )
        lines.append(
            f"  {label} ({len(entries)} measured, medians): {median(totals) * 1000:.1f} ms, "
            f"{min(counts)}–{max(counts)} queries taking {median(sql) * 1000:.1f} ms; {detail}"
        )
        if key == "mixing":
            lines.append(f"    (the mixer touches all {invitees:,} invitee rows of the campaign)")
        lines.append("    queries of one request:")
        for sql_text, seconds in entries[-1][1]:
            lines.append(f"      {seconds * 1000:6.2f} ms  {short_sql(sql_text)}")
    if "page_bytes" in report:
        lines.append(f"  page size: {report['page_bytes']:,} bytes of HTML")
    print("\n".join(lines), flush=True)
    profiler = report.get("profiler")
    if profiler:
        import io
        import pstats

        for key, prof in profiler.items():
            stream = io.StringIO()
            stats = pstats.Stats(prof, stream=stream)
            stats.sort_stats("tottime").print_stats(25)
            ours = "dialogues|django/(db/models/query|middleware|template/loader|contrib)"
            stats.sort_stats("cumulative").print_stats(ours, 40)
            print(f"\ncProfile of the {key} requests (by own time):\n{stream.getvalue()}")
    return lines


# --- the server and the load ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(environment: dict, port: int, workers: int, workdir: Path):
    log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the server
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dialogues.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
        # No --access-logfile, as in production: the access log would hold personal links.
    ]
    server = subprocess.Popen(
        command,
        env=os.environ | environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited:\n{(workdir / 'gunicorn.log').read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=2):
                return server, command
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    stop_gunicorn(server)
    sys.exit("gunicorn did not answer within 60 s")


def stop_gunicorn(server) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    server.log.close()


def fetch_csrf(port: int, token: str) -> tuple[str, str, str]:
    """The csrftoken cookie, the form's csrfmiddlewaretoken and the HTML of a served page."""
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/experiences/answer/{token}/", timeout=10
    ) as response:
        html = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
    cookie = next(
        (c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("csrftoken=")), None
    )
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not cookie or not match:
        sys.exit("The questionnaire page set no CSRF cookie or token.")
    return cookie, match.group(1), html


PG_BACKGROUND = (
    "checkpointer",
    "background writer",
    "walwriter",
    "autovacuum",
    "logical replication",
    "stats collector",
    "archiver",
)


def process_ticks(database: str) -> dict[int, tuple[str, int, int, str]]:
    """Every process: (kind, CPU ticks so far, parent, name); kind "postgres" for the server's
    own processes and the backends of ``database``, "self" for this script and its wrk."""
    ticks = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                text = stat.read()
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                title = cmdline.read().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        name = text[text.index("(") + 1 : text.rindex(")")]
        kind = "other"
        if name == "postgres":
            rest = title.split(": ", 2)[-1]
            words = rest.split()
            postmaster = not title.startswith("postgres:")
            if postmaster or rest.startswith(PG_BACKGROUND) or words[1:2] == [database]:
                kind = "postgres"
        elif os.getpid() in (int(entry.name), int(fields[1])):
            kind = "self"  # this script and wrk (counted on its own)
        ticks[int(entry.name)] = (kind, int(fields[11]) + int(fields[12]), int(fields[1]), name)
    return ticks


def machine_ticks() -> int:
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:8]]
    return sum(fields) - fields[3] - fields[4]


def cpu_shares(before, after, gunicorn_pid: int, elapsed: float) -> dict[str, float]:
    """Shares of one core by kind between two ``(machine_ticks, process_ticks)``."""
    hertz = os.sysconf("SC_CLK_TCK")
    shares = {"machine": (after[0] - before[0]) / hertz / elapsed, "gunicorn": 0.0}
    shares["postgres"] = 0.0
    others: dict[str, float] = {}
    for pid, (kind, used, parent, name) in after[1].items():
        old = before[1].get(pid)
        spent = (used - old[1] if old is not None else used) / hertz / elapsed
        if gunicorn_pid in (pid, parent):
            kind = "gunicorn"
        if kind in shares:
            shares[kind] += spent
        elif kind == "other" and spent > 0:
            others[name] = others.get(name, 0.0) + spent
    shares["other"] = sum(others.values())
    shares["top_others"] = sorted(others.items(), key=lambda item: -item[1])[:3]
    return shares


def snapshot(database: str):
    return machine_ticks(), process_ticks(database)


def run_wrk(options, port: int, arguments: list[str], seconds: int, workdir: Path) -> dict:
    output = workdir / "wrk.out"
    command = [
        "wrk",
        f"-t{options.threads}",
        f"-c{options.connections}",
        f"-d{seconds}s",
        f"--timeout={options.timeout}s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        *arguments[:2],
        str(options.threads),
        *arguments[2:],
    ]
    with open(output, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + seconds + 120
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                process.kill()
                _pid, _status, usage = os.wait4(process.pid, 0)
                sys.exit("wrk did not stop by itself")
            time.sleep(0.1)
    text = output.read_text()
    if process.returncode != 0 or "RESULT" not in text:
        sys.exit(f"wrk failed ({process.returncode}):\n{text}")
    result: dict = {"statuses": {}, "sent": 0, "exhausted": 0, "command": command}
    most = 0  # the most tokens one thread took (thread 0 took one more to check the script)
    for line in text.splitlines():
        kind, _space, rest = line.partition(" ")
        if kind in {"RESULT", "LATENCY", "THREAD"}:
            for pair in rest.split():
                key, value = pair.split("=")
                if kind == "THREAD":
                    result[key] += int(value)
                    if key == "sent":
                        most = max(most, int(value) + 1)
                else:
                    result[key] = float(value)
        elif kind == "STATUS":
            status, count = (int(value) for value in rest.split())
            result["statuses"][status] = result["statuses"].get(status, 0) + count
    result["used"] = most * options.threads
    result["wrk_cpu"] = usage.ru_utime + usage.ru_stime
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def machine_busy(seconds: float = 1.0) -> float:
    """The share of one core that the whole machine used over the next ``seconds``."""
    before = machine_ticks()
    time.sleep(seconds)
    return (machine_ticks() - before) / os.sysconf("SC_CLK_TCK") / seconds


def wait_until_quiet(limit: float, patience: int) -> float:
    """Wait (at most ``patience`` s) until other processes use under ``limit`` of a core."""
    deadline = time.monotonic() + patience
    busy = machine_busy()
    while busy > limit and time.monotonic() < deadline:
        print(f"    the machine is busy ({busy:.0%} of a core) with other work; waiting ...")
        time.sleep(4)
        busy = machine_busy()
    return busy


def run_phase(options, name, port, arguments, seconds, workdir, gunicorn_pid) -> dict:
    idle = wait_until_quiet(OTHER_LIMIT, options.patience)
    database = urllib.parse.urlsplit(options.database_url).path.lstrip("/")
    before = snapshot(database)
    started = time.monotonic()
    result = run_wrk(options, port, arguments, seconds, workdir)
    elapsed = time.monotonic() - started
    cpu = cpu_shares(before, snapshot(database), gunicorn_pid, elapsed)
    cpu["wrk"] = result["wrk_cpu"] / elapsed
    cpu["before"] = idle
    result["cpu"] = cpu
    expected = result["statuses"].get(EXPECTED[name], 0)
    errors = sum(result[key] for key in ("connect", "read", "write", "timeout"))
    result["unexpected"] = result["requests"] - expected + errors
    statuses = dict(sorted(result["statuses"].items()))
    print(
        f"  {name:<8} {result['rate']:8.0f}/s  p50 {result['p50_us'] / 1000:6.1f} ms  "
        f"p95 {result['p95_us'] / 1000:6.1f} ms  p99 {result['p99_us'] / 1000:6.1f} ms  "
        f"max {result['max_us'] / 1000:7.1f} ms\n"
        f"           statuses {statuses}, socket errors {errors:.0f}, in flight at the stop "
        f"{result['sent'] - result['requests']:.0f}; CPU: machine {cpu['machine']:.0%}, "
        f"gunicorn {cpu['gunicorn']:.0%}, PostgreSQL {cpu['postgres']:.0%}, wrk {cpu['wrk']:.0%}, "
        f"other {cpu['other']:.0%}",
        flush=True,
    )
    if cpu["other"] > OTHER_LIMIT:
        print(
            f"           WARNING: other processes used {cpu['other']:.0%} of a core during this "
            "phase: the machine was not quiet, the figures are too low (most: "
            + ", ".join(f"{name} {share:.0%}" for name, share in cpu["top_others"])
            + ")",
            flush=True,
        )
    return result


def server_log() -> Path | None:
    """PostgreSQL's log file as Debian writes it, if this process can read it."""
    logs = sorted(Path("/var/log/postgresql").glob("postgresql-*-main.log"))
    return logs[-1] if logs and os.access(logs[-1], os.R_OK) else None


def deadlocks_since(log: Path | None, offset: int, database: str) -> dict[str, int] | None:
    """Deadlocks of ``database`` logged after ``offset``, by what the victim was doing."""
    if log is None:
        return None
    with open(log, "rb") as file:
        file.seek(offset)
        lines = file.read().decode(errors="replace").splitlines()
    victims: dict[str, str] = {}
    found: dict[str, int] = {}
    for line in lines:
        match = re.search(r"\[(\d+)\] \S+@(\S+) (ERROR|STATEMENT):  (.*)", line)
        if not match or match.group(2) != database:
            continue
        pid, kind, message = match.group(1), match.group(3), match.group(4)
        if kind == "ERROR":
            if message.startswith("deadlock detected"):
                victims[pid] = ""
        elif pid in victims:
            del victims[pid]
            if message.startswith("COMMIT"):
                what = "a submission's COMMIT (rolled back: not stored)"
            elif "reminders_sent" in message or "FOR UPDATE" in message:
                what = "the mixer, after the submission's COMMIT (stored)"
            else:
                what = message[:60]
            found[what] = found.get(what, 0) + 1
    return found


# --- the report -------------------------------------------------------------------------------


def machine_description(connection) -> dict[str, str]:
    import django
    import gunicorn

    model = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        kib = int(meminfo.readline().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split(" ")[0]
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0]
    code = "not a git checkout"
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        git = ["git", "-C", str(ROOT)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "status", "--porcelain", "--", "dialogues"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        code = f"commit {head}" + (
            f" with {len(changed)} uncommitted change(s) under dialogues/" if changed else ""
        )
    return {
        "cores": str(os.cpu_count()),
        "cpu": model,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgres": postgres,
        "wrk": wrk.strip(),
        "code": code,
    }


def share(value: float) -> str:
    return f"{value:.1%}" if value < 0.1 else f"{value:.0%}"


def print_table(results: dict, options, invitees: int) -> None:
    trivial, insert = results["trivial"]["rate"], results["insert"]["rate"]
    print(
        "\n| Phase | Requests/s | p50 | p95 | p99 | max | Requests | Unexpected "
        "| Share of trivial | Share of one-INSERT | Target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, label in PHASES.items():
        result = results[name]
        target = ""
        if name in TARGETS:
            rate, p95 = TARGETS[name]
            met = result["rate"] >= rate and result["p95_us"] / 1000 < p95
            target = f"≥ {rate:,}/s, p95 < {p95} ms: {'met' if met else 'NOT met'}"
        print(
            f"| {label} | {result['rate']:,.0f} | {result['p50_us'] / 1000:.1f} ms "
            f"| {result['p95_us'] / 1000:.1f} ms | {result['p99_us'] / 1000:.1f} ms "
            f"| {result['max_us'] / 1000:.0f} ms | {result['requests']:,.0f} "
            f"| {result['unexpected']:,.0f} | {share(result['rate'] / trivial)} "
            f"| {share(result['rate'] / insert)} | {target} |"
        )
    print(
        f"\n{options.connections} connections, {options.duration} s per phase, wrk with "
        f"{options.threads} thread(s), gunicorn {options.workers} sync workers, "
        f"{invitees:,} invitees in the campaign."
    )
    print(f"\nCPU per phase (share of one core; the machine has {os.cpu_count()} cores):")
    print("| Phase | machine busy | gunicorn workers | PostgreSQL | wrk | other processes | runs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, label in PHASES.items():
        cpu = results[name]["cpu"]
        print(
            f"| {label} | {cpu['machine']:.0%} | {cpu['gunicorn']:.0%} | {cpu['postgres']:.0%} "
            f"| {cpu['wrk']:.0%} | {cpu['other']:.0%} | {results[name]['attempts']} |"
        )


def check_stored(campaign, acknowledged: int, in_flight: int, refused: dict) -> bool:
    """Every acknowledged submission stored: (pending + mixed responses) / 2 and answered.

    A request still in the server when wrk stopped (``in_flight``) may be stored without wrk
    having seen its 302; anything beyond that was stored although the server said otherwise.
    """
    from dialogues.experiences.models import Answer, CampaignInvitee, PendingResponse, Response

    pending = PendingResponse.objects.filter(campaign=campaign).count()
    mixed = Response.objects.filter(campaign=campaign).count()
    answers = Answer.objects.filter(response__campaign=campaign).count()
    answered = CampaignInvitee.objects.filter(campaign=campaign, answered=True).count()
    concepts = len(campaign.concepts)
    stored = (pending + mixed) / concepts
    ok = stored == answered and acknowledged <= stored <= acknowledged + in_flight
    print(
        f"\nStored: {pending:,} pending + {mixed:,} mixed responses = {stored:,.1f} submissions "
        f"of {concepts} concepts ({answers:,} answer rows after mixing); {answered:,} invitees "
        f"marked answered; {acknowledged:,} submissions acknowledged with 302 "
        f"(+ at most {in_flight} sent but not answered when wrk stopped or failed). "
        + ("OK: every acknowledged submission is stored." if ok else "MISMATCH!")
    )
    if stored > acknowledged + in_flight:
        print(
            f"  {stored - acknowledged - in_flight:,.0f} submission(s) were stored although the "
            f"server did not answer 302: other statuses seen {refused}"
        )
    if stored < acknowledged:
        print(f"  {acknowledged - stored:,.0f} acknowledged submission(s) are NOT stored")
    return ok


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--duration", type=int, default=20, help="seconds per phase (20)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--timeout", type=int, default=30, help="wrk request timeout, s (30)")
    parser.add_argument(
        "--invitees",
        type=int,
        help="invitees of the campaign (default: 1,500 per second of --duration, at least "
        "30,000, plus the few used for the in-process measurement); one per submission",
    )
    parser.add_argument(
        "--phases",
        default="trivial,insert,page,submit",
        help="the load phases to run, in order; empty: only the in-process measurement",
    )
    parser.add_argument(
        "--patience",
        type=int,
        default=300,
        help="seconds to wait before a phase for other processes to quieten down (300)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help="run a phase again (at most this many times) when other processes used more than "
        f"{OTHER_LIMIT:.0%} of a core during it; the least disturbed run is reported (2)",
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile of the requests")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    options = parser.parse_args()
    phases = [name for name in options.phases.split(",") if name]
    if unknown := set(phases) - set(PHASES):
        sys.exit(f"Unknown phase(s): {', '.join(sorted(unknown))}")
    if not shutil.which("wrk"):
        sys.exit(
            "wrk is missing: this benchmark drives the server with wrk (Debian package 'wrk'):\n"
            "    apt-get install wrk"
        )
    page_count, measured = 1000, 120
    load = options.invitees or max(30_000, 1_500 * options.duration)
    invitees = load + page_count + 2 * measured

    reset_database(options.database_url)
    with tempfile.TemporaryDirectory(prefix="dialogues-bench-") as name:
        workdir = Path(name)
        environment = setup_django(options.database_url, workdir)
        from django.core.management import call_command
        from django.db import connection

        from bench.answering_site.urls import BENCH_TABLE_SQL

        try:
            machine = machine_description(connection)
            print(
                f"{machine['cores']} cores ({machine['cpu']}), {machine['memory']} RAM, "
                f"Linux {machine['kernel']}; Python {machine['python']}, Django "
                f"{machine['django']}, gunicorn {machine['gunicorn']}, PostgreSQL "
                f"{machine['postgres']}, {machine['wrk']}; code: {machine['code']}",
                flush=True,
            )
            start = time.perf_counter()
            call_command("migrate", verbosity=0)
            call_command("collectstatic", verbosity=0, interactive=False)
            with connection.cursor() as cursor:
                cursor.execute(BENCH_TABLE_SQL)
            print(f"database migrated in {time.perf_counter() - start:.1f} s", flush=True)
            start = time.perf_counter()
            campaign, tokens = build_campaign(invitees)
            print(
                f"campaign opened for {invitees:,} invitees in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            page_tokens = tokens[:page_count]
            measure_page = tokens[page_count : page_count + measured]
            measure_submit = tokens[page_count + measured : page_count + 2 * measured]
            submit_tokens = tokens[page_count + 2 * measured :]
            data = complete_answers(campaign)
            body_preview = form_body(data, "x" * 64)
            wait_until_quiet(OTHER_LIMIT, options.patience)
            report = measure_in_process(
                campaign, measure_page, measure_submit, body_preview, options.profile
            )
            print_in_process(report, invitees)
            acknowledged = len(measure_submit)
            (workdir / "page-tokens.txt").write_text("\n".join(page_tokens) + "\n")
            (workdir / "submit-tokens.txt").write_text("\n".join(submit_tokens) + "\n")
            connection.close()
            if not phases:
                return

            port = free_port()
            server, command = start_gunicorn(environment, port, options.workers, workdir)
            results: dict = {}
            in_flight = 0
            refused: dict[int, int] = {}
            log, log_offset = None, 0
            try:
                cookie, csrf, html = fetch_csrf(port, page_tokens[0])
                body = form_body(data, csrf)
                shown = set(re.findall(r'name="((?:wellbeing|leadership)-\d+-\w+)"', html))
                missing = shown - set(data)
                assert not missing, f"the page has fields the benchmark does not fill: {missing}"
                (workdir / "body.txt").write_text(body)
                print(
                    f"\ngunicorn: {' '.join(command[2:])}\n"
                    f"submission: {len(data)} fields ({len(shown)} shown before any answer), "
                    f"{len(body):,} bytes; page: {len(html):,} bytes",
                    flush=True,
                )
                print("warming up (3 s each of trivial, insert, page) ...", flush=True)
                for arguments in (
                    ["get", "/bench/trivial/"],
                    ["get", "/bench/insert/"],
                    ["page", str(workdir / "page-tokens.txt")],
                ):
                    run_wrk(options, port, arguments, 3, workdir)
                log = server_log()
                log_offset = log.stat().st_size if log else 0
                print("measuring:", flush=True)
                submit_file = workdir / "submit-tokens.txt"
                remaining = list(submit_tokens)
                for name in phases:
                    for attempt in range(options.retries + 1):
                        if name == "submit":
                            submit_file.write_text("\n".join(remaining) + "\n")
                        arguments = {
                            "trivial": ["get", "/bench/trivial/"],
                            "insert": ["get", "/bench/insert/"],
                            "page": ["page", str(workdir / "page-tokens.txt")],
                            "submit": [
                                "submit",
                                str(submit_file),
                                str(workdir / "body.txt"),
                                f"csrftoken={cookie}",
                            ],
                        }[name]
                        time.sleep(2)
                        result = run_phase(
                            options, name, port, arguments, options.duration, workdir, server.pid
                        )
                        if name == "submit":
                            acknowledged += result["statuses"].get(302, 0)
                            in_flight += int(result["sent"] - result["requests"])
                            for status, count in result["statuses"].items():
                                if status != 302:
                                    refused[status] = refused.get(status, 0) + count
                            remaining = remaining[result["used"] :]
                            if result["exhausted"]:
                                print(
                                    f"VOID: the links ran out ({result['exhausted']:,} requests "
                                    "without one); run again with a larger --invitees",
                                    flush=True,
                                )
                        best = results.get(name)
                        if best is None or result["cpu"]["other"] < best["cpu"]["other"]:
                            results[name] = result | {"attempts": attempt + 1}
                        if result["cpu"]["other"] <= OTHER_LIMIT:
                            break
                        if attempt < options.retries:
                            print("           ... so once more", flush=True)
                time.sleep(2)  # let the requests still in the server finish
            finally:
                stop_gunicorn(server)
            messages = (workdir / "gunicorn.log").read_text()
            if messages.strip():
                print(f"\ngunicorn's log (last lines):\n{messages[-3000:]}")
            if {"trivial", "insert"} <= results.keys() and len(results) == len(PHASES):
                print_table(results, options, invitees)
            if "submit" in results:
                check_stored(campaign, acknowledged, in_flight, refused)
                database = connection.settings_dict["NAME"]
                deadlocks = deadlocks_since(log, log_offset, database)
                if deadlocks is None:
                    print("PostgreSQL's log is not readable here: deadlocks not counted")
                else:
                    total = sum(deadlocks.values())
                    print(
                        f"Deadlocks in PostgreSQL's log during the phases: {total}"
                        + "".join(
                            f"\n  {count:,} victim(s): {what}" for what, count in deadlocks.items()
                        )
                    )
            print(f"date: {date.today().isoformat()}")
        finally:
            connection.close()
            if not options.keep:
                drop_database(options.database_url)


if __name__ == "__main__":
    main()
