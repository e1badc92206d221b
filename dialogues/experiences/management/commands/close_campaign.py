"""Close a campaign now: ``manage.py close_campaign ID``.

The last answers are mixed into the results and the unfinished drafts are deleted; the
personal links stop working.
"""

from django.core.management.base import BaseCommand, CommandError

from dialogues.experiences.domain.anonymity import CampaignRefused
from dialogues.experiences.domain.mixing import close_campaign
from dialogues.experiences.models import Campaign


class Command(BaseCommand):
    help = "Close an open campaign: mix the last answers and delete the drafts."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="the campaign's number")

    def handle(self, *args, campaign: int, **options):
        found = Campaign.objects.filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"There is no campaign {campaign}.")
        try:
            moved = close_campaign(found)
        except CampaignRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Closed “{found}”; {moved} answers mixed at the close.")
        )
