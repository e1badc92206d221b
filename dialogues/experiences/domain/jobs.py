"""The periodic work of the open campaigns (``manage.py send_campaign_mail``, hourly or daily).

For each open campaign: past its close date it is closed (the last answers are mixed and the
drafts deleted); otherwise the answers waiting are mixed if there are enough of them, and the
invitations not sent yet and the reminders due go out.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from dialogues.common.outbox import Outbox
from dialogues.experiences.domain.mailing import MailReport, send_campaign_mail
from dialogues.experiences.domain.mixing import close_campaign, mix
from dialogues.experiences.models import Campaign

Progress = Callable[[str, int, int], None]


@dataclass
class JobReport:
    campaigns: int = 0
    closed: int = 0
    mixed: int = 0
    mail: MailReport = field(default_factory=MailReport)


def run_campaign_jobs(
    campaigns=None, today: date | None = None, progress: Progress | None = None
) -> JobReport:
    today = today or timezone.localdate()
    if campaigns is None:
        campaigns = Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("pk")
    report = JobReport()
    # One outbox for the run: a mail server that is down for one campaign is down for the
    # next. Mixing and closing go on; the mail waits for the next run.
    with Outbox() as outbox:
        for campaign in campaigns:
            if campaign.status != Campaign.Status.OPEN:
                continue
            report.campaigns += 1
            if today > campaign.closes_on:
                report.mixed += close_campaign(campaign)
                report.closed += 1
                continue
            report.mixed += mix(campaign)
            if not report.mail.gave_up:
                report.mail += send_campaign_mail(campaign, today, progress, outbox)
    return report
