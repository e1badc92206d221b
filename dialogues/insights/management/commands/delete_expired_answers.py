"""Delete the answers of campaigns whose time is up: ``manage.py delete_expired_answers``.

Part of the periodic work (docs/reminders.md): run it daily after ``send_campaign_mail`` and
``find_themes``. A campaign's answers are kept for its retention after its close date
(``DIALOGUES_ANSWER_RETENTION_DAYS`` or the campaign's own, docs/privacy.md); the campaign itself
stays, marked with the time its answers were deleted. Running it again deletes nothing twice.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dialogues.experiences.models import Campaign
from dialogues.insights.domain.retention import PARTS, delete_expired_answers
from dialogues.organisation.importing.progress import TqdmProgress

PART_NAMES = {
    "responses": "questionnaire responses",
    "interviews": "group interviews",
    "answers": "answers",
    "vectors": "answer vectors",
    "theme_assignments": "answers' themes",
    "redactions": "redactions",
    "themes": "themes",
    "theme_edits": "theme edits",
    "drafts": "drafts",
    "pending_responses": "responses waiting to be mixed",
}


class Command(BaseCommand):
    help = "Delete the answers of closed campaigns whose retention has run out."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be deleted; delete nothing"
        )
        parser.add_argument("--campaign", type=int, help="only this campaign (its number)")
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            help="act as if today were this date (YYYY-MM-DD), for testing",
        )

    def handle(self, *args, dry_run: bool, campaign: int | None, date: date | None, **options):
        campaigns = None
        if campaign is not None:
            campaigns = Campaign.objects.filter(pk=campaign)
            if not campaigns.exists():
                raise CommandError(f"There is no campaign {campaign}.")
        with TqdmProgress(tqdm, disable=options["verbosity"] == 0 or dry_run) as progress:
            deletions = delete_expired_answers(
                date, campaigns=campaigns, dry_run=dry_run, progress=progress
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was deleted.")
        if not deletions:
            self.stdout.write("No campaign has answers due for deletion.")
            return
        verb = "would be deleted" if dry_run else "deleted"
        for deletion in deletions:
            found = deletion.campaign
            parts = ", ".join(
                f"{deletion.counts[part]} {PART_NAMES[part]}"
                for part in PARTS
                if deletion.counts[part]
            )
            kept = found.answers_expire_on.isoformat()
            self.stdout.write(
                self.style.SUCCESS(
                    f"“{found}” (campaign {found.pk}, closed {found.closes_on.isoformat()}, "
                    f"due {kept}): {parts or 'no answers left'} {verb}."
                )
            )
        total = sum(sum(deletion.counts.values()) for deletion in deletions)
        self.stdout.write(f"Campaigns: {len(deletions)}; rows {verb}: {total}.")
