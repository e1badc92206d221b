"""The campaigns' periodic job: ``manage.py send_campaign_mail [--campaign ID] [--date D]``.

Sends the invitations not sent yet and the reminders due, mixes waiting answers and closes
campaigns past their close date. Run it hourly or daily (docs/reminders.md); running it again,
or after it was killed, sends only what has not gone out yet. It exits with status 1 when a
message could not be sent.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dialogues.common.outbox import not_sent
from dialogues.experiences.domain.jobs import run_campaign_jobs
from dialogues.experiences.models import Campaign
from dialogues.organisation.importing.progress import TqdmProgress


class Command(BaseCommand):
    help = "Send campaign invitations and reminders; mix answers; close campaigns that are due."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="only this campaign (its number)")
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

    def handle(self, *args, campaign: int | None, date: date | None, enqueue: bool, **options):
        campaigns = None
        if campaign is not None:
            campaigns = Campaign.objects.filter(pk=campaign)
            if not campaigns.exists():
                raise CommandError(f"There is no campaign {campaign}.")
        if enqueue:
            from dialogues.experiences.tasks import campaign_jobs_task

            result = campaign_jobs_task.enqueue(campaign, date.isoformat() if date else None)
            self.stdout.write(f"Enqueued as task {result.id}.")
            return
        with TqdmProgress(tqdm, disable=options["verbosity"] == 0) as progress:
            report = run_campaign_jobs(campaigns, today=date, progress=progress)
        self.stdout.write(f"Open campaigns: {report.campaigns}")
        self.stdout.write(f"Closed (past their close date): {report.closed}")
        self.stdout.write(f"Answers mixed: {report.mixed}")
        self.stdout.write(f"Messages sent: {report.mail.sent}")
        if report.mail.failed:
            raise CommandError(not_sent(report.mail.failed, gave_up=report.mail.gave_up))
