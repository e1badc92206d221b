"""Create a campaign from a file: ``manage.py create_campaign FILE [--open]``.

The file is TOML (or JSON) as in examples/campaign.toml: name, concepts, unit codes, role
groups, dates, invitation texts, reminders, and where the invitees come from (the held rounds
and/or a CSV/XLSX list). Everything is checked first; nothing is created if anything is wrong.
With ``--open`` the campaign is opened and, from its opening date, the invitations are sent.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from dialogues.experiences.domain.anonymity import CampaignRefused
from dialogues.experiences.domain.campaigns import (
    DefinitionRefused,
    campaign_from_definition,
    read_definition,
    start_campaign,
)
from dialogues.experiences.domain.mailing import send_invitations
from dialogues.organisation.importing.progress import TqdmProgress


class Command(BaseCommand):
    help = "Create a campaign (and its invitees) from a TOML or JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--open",
            action="store_true",
            help="open it at once and send the invitations (from its opening date)",
        )

    def handle(self, *args, file: Path, open: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        try:
            created = campaign_from_definition(read_definition(file), file.parent)
        except DefinitionRefused as refused:
            raise CommandError("\n".join(refused.problems)) from None
        campaign = created.campaign
        self.stdout.write(
            f"Created campaign {campaign.pk}, “{campaign}”: {created.from_rounds} invitees from "
            f"the held rounds, {created.from_list} from the list."
        )
        if not open:
            self.stdout.write("Open it on its page, or run again with --open.")
            return
        try:
            invited = start_campaign(campaign)
        except CampaignRefused as refused:
            raise CommandError(f"The campaign was created but not opened: {refused}") from None
        self.stdout.write(f"Opened for {invited} invitees.")
        if campaign.opens_on > timezone.localdate():
            self.stdout.write(
                f"The invitations go out on {campaign.opens_on} (manage.py send_campaign_mail)."
            )
            return
        with TqdmProgress(tqdm, disable=options["verbosity"] == 0) as progress:
            report = send_invitations(campaign, progress=progress)
        self.stdout.write(f"Invitations sent: {report.sent}")
        if report.failed:
            raise CommandError(
                f"{report.failed} invitation(s) could not be sent; "
                "manage.py send_campaign_mail sends them later."
            )
