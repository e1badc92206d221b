"""Send the reminders for overdue steps: ``manage.py send_reminders [--date YYYY-MM-DD]``.

Run once a day from a systemd timer or cron (docs/reminders.md). Running it again the same
day, or after it was killed, sends only what has not gone out yet. It exits with status 1 when
a message could not be sent.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dialogues.common.outbox import not_sent
from dialogues.organisation.importing.progress import TqdmProgress
from dialogues.rounds.domain.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail reminders for overdue dialogue steps, and a digest to each HR partner."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            help="act as if today were this date (YYYY-MM-DD), for testing",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the job to the task worker (manage.py db_worker) instead of running it",
        )

    def handle(self, *args, date: date | None, enqueue: bool, **options):
        if enqueue:
            from dialogues.rounds.tasks import send_reminders_task

            result = send_reminders_task.enqueue(date.isoformat() if date else None)
            self.stdout.write(f"Enqueued as task {result.id}.")
            return
        with TqdmProgress(tqdm, disable=options["verbosity"] == 0) as progress:
            report = send_reminders(today=date, progress=progress)
        self.stdout.write(f"Overdue steps: {report.due}")
        self.stdout.write(f"Reminders sent: {report.sent}")
        self.stdout.write(f"Already sent before: {report.already_sent}")
        self.stdout.write(f"Digests sent: {report.digests}")
        if report.failed:
            raise CommandError(not_sent(report.failed, gave_up=report.gave_up))
