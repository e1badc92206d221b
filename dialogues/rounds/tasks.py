"""Background tasks (Django tasks, run by ``manage.py db_worker``)."""

from dataclasses import asdict
from datetime import date

from django.tasks import task

from dialogues.rounds.domain.reminders import send_reminders


@task()
def send_reminders_task(today: str | None = None) -> dict:
    """The same job as ``manage.py send_reminders``; ``today`` as YYYY-MM-DD, or None."""
    report = send_reminders(today=date.fromisoformat(today) if today else None)
    return asdict(report)
