"""Group the written answers of closed campaigns into themes: ``manage.py find_themes [ID …]``.

It first embeds every written answer that has no vector yet, in open campaigns too (the slow
part, 10–40 ms an answer by its length), then groups each question of a closed campaign that
has no themes yet, from the stored vectors. Questions already grouped are left as they are: an
analyst's edits are never redone. The periodic job runs it after ``send_campaign_mail``.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dialogues.experiences.models import Campaign
from dialogues.insights.domain.themes import (
    embed_new_answers,
    ensure_themes,
    questions_with_texts,
)


class Command(BaseCommand):
    help = "Group the written answers of closed campaigns into themes (all closed if no ID)."

    def add_arguments(self, parser):
        parser.add_argument("campaigns", type=int, nargs="*", help="the campaigns' numbers")

    def handle(self, *args, campaigns, **options):
        # First the vectors of every answer written since the last run (open campaigns too):
        # the slow part, done as answers arrive so that grouping at the close is quick.
        embedded = embed_new_answers()
        if embedded:
            self.stdout.write(f"{embedded} written answers embedded.")
        chosen = Campaign.objects.filter(status=Campaign.Status.CLOSED)
        if campaigns:
            chosen = chosen.filter(pk__in=campaigns)
            missing = set(campaigns) - set(chosen.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No closed campaign with the number {min(missing)}.")
        for campaign in chosen:
            questions = questions_with_texts(campaign)
            grouped = 0
            for question in tqdm(questions, desc=str(campaign), disable=None):
                grouped += ensure_themes(campaign, question)
            self.stdout.write(
                self.style.SUCCESS(
                    f"“{campaign}”: {grouped} questions grouped, "
                    f"{len(questions) - grouped} already had themes."
                )
            )
