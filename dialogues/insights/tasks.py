"""Background tasks (Django tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from dialogues.experiences.models import Campaign
from dialogues.insights.domain.themes import ensure_themes


@task()
def find_themes_task(campaign_pk: int, question_id: int) -> bool:
    """Group one question's written answers into themes (``ensure_themes``)."""
    campaign = Campaign.objects.filter(pk=campaign_pk, status=Campaign.Status.CLOSED).first()
    return bool(campaign) and ensure_themes(campaign, question_id)
