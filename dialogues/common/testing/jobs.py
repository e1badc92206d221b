"""Run a management command as its own process, on the test database, as cron would.

For tests that kill a job half-way: the command runs in a child process (so that it can be
killed for real) against the test database (``DATABASE_URL`` built from the test's connection,
SQLite or PostgreSQL) and, when given one, the loopback ``MailServer`` (through the same
``DIALOGUES_SMTP_*`` variables that production sets). Use it from a test marked
``django_db(transaction=True)``, so that the child sees the data the test wrote.
"""

import os
import subprocess
import sys
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import quote

from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection

from dialogues.common.testing.smtp import HOST, MailServer

SEED_MIGRATIONS = (
    "dialogues.concepts.migrations.0002_seed_concepts",
    "dialogues.common.migrations.0002_seed_accessibility_statement",
    "dialogues.experiences.migrations.0002_seed_guide",
)


def restore_seed_rows() -> None:
    """Put back what the data migrations seed: a transactional test empties every table."""
    for migration in SEED_MIGRATIONS:
        import_module(migration).seed(django_apps, None)


def database_url() -> str:
    """The test database as a ``DATABASE_URL`` that settings.py reads."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError("A test database in memory cannot be shared with a process.")
        return f"sqlite:///{os.path.abspath(name)}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{user}{password}@{db['HOST']}{port}/{db['NAME']}"
    raise RuntimeError(f"No DATABASE_URL for {db['ENGINE']}")


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode == -9


def start_command(*arguments: str, mail_server: MailServer | None = None, smtp_port=None):
    """Start ``manage.py <arguments>`` in a child process; ``finish`` waits for it.

    The child gets the test's secret key (the campaigns' links are derived from it), site URL
    and sender, and not ``PYTEST_VERSION``: it runs with the settings of production.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTEST_VERSION" and not key.startswith(("DIALOGUES_SMTP_", "DATABASE_URL"))
    }
    environment |= {
        "DATABASE_URL": database_url(),
        "DIALOGUES_SECRET_KEY": settings.SECRET_KEY,
        "DIALOGUES_SITE_URL": settings.SITE_URL,
        "DIALOGUES_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "DIALOGUES_LOG_LEVEL": "INFO",
    }
    port = mail_server.port if mail_server else smtp_port
    if port is not None:
        environment |= {
            "DIALOGUES_SMTP_HOST": HOST,
            "DIALOGUES_SMTP_PORT": str(port),
            "DIALOGUES_SMTP_STARTTLS": "0",
            "DIALOGUES_SMTP_TIMEOUT": "10",
        }
    job = subprocess.Popen(  # noqa: S603 (the test's own arguments, no shell)
        [sys.executable, "manage.py", *arguments, "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if mail_server is not None:
        mail_server.job = job
    return job


def finish(job: subprocess.Popen) -> Finished:
    try:
        stdout, stderr = job.communicate(timeout=120)
    finally:
        if job.poll() is None:
            job.kill()
            job.wait()
    return Finished(job.returncode, stdout, stderr)


def run_command(*arguments: str, mail_server: MailServer | None = None, smtp_port=None):
    """``manage.py <arguments>`` in a child process (see ``start_command``); how it ended."""
    return finish(start_command(*arguments, mail_server=mail_server, smtp_port=smtp_port))
