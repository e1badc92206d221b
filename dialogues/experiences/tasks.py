"""Background tasks (Django tasks, run by ``manage.py db_worker``)."""

from dataclasses import asdict
from datetime import date

from django.tasks import task

from dialogues.experiences.domain.jobs import run_campaign_jobs
from dialogues.experiences.models import Campaign


@task()
def campaign_jobs_task(campaign_pk: int | None = None, today: str | None = None) -> dict:
    """The same job as ``manage.py send_campaign_mail``, for one campaign or all open ones."""
    campaigns = None if campaign_pk is None else Campaign.objects.filter(pk=campaign_pk)
    report = run_campaign_jobs(campaigns, today=date.fromisoformat(today) if today else None)
    return asdict(report)
