"""Load the demo organisation through the HR import: ``manage.py load_demo [--password P]``.

Then the demo rounds and experience campaigns. ``--full`` loads 2,000 people instead of 250, so
that the closed experience campaign holds about 1,500 respondents' answers (the campaigns are
made once, with the organisation as it is then). Running it again changes nothing but the demo
passwords, and gives the fixed demo answer link back to a fresh invitee if it was used.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from dialogues.experiences.demo import create_demo_campaigns
from dialogues.organisation.demo import DEMO_LOGINS, generate_organisation, to_csv
from dialogues.organisation.importing import import_file, record_applied_import
from dialogues.organisation.importing.progress import TqdmProgress
from dialogues.organisation.models import Person
from dialogues.rounds.demo import create_demo_rounds

SMALL, FULL = 250, 2000


class Command(BaseCommand):
    help = (
        "Import a made-up university (250 people, or 2,000 with --full), its dialogue rounds "
        "and experience campaigns, and set the demo log-ins' password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default="dialogues-demo")
        parser.add_argument(
            "--people", type=int, default=None, help=f"default {SMALL} ({FULL} with --full)"
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help=f"{FULL} people: about 1,500 answers in the closed experience campaign",
        )
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo even though the database holds people who are not in it",
        )

    def handle(self, *args, password: str, people, full: bool, seed: int, force: bool, **options):
        if people is not None and full:
            raise CommandError("Give either --people or --full.")
        if people is None:
            people = FULL if full else SMALL
        rows = generate_organisation(people=people, seed=seed)
        strangers = self._people_outside_the_demo(rows)
        if strangers and not force:
            raise CommandError(
                f"This database holds {strangers} imported people who are not in the demo; "
                "loading the demo would deactivate them. Use an empty database, or --force."
            )
        content = to_csv(rows).encode("utf-8")
        with transaction.atomic(), TqdmProgress(tqdm, disable=options["verbosity"] == 0) as bar:
            result = import_file(content, "demo.csv", progress=bar)
            if not result.ok:
                raise CommandError("\n".join(str(problem) for problem in result.errors))
            if result.changed_anything:
                record_applied_import("demo organisation", result)
            logins = {
                person.email: person
                for person in Person.objects.filter(
                    email__in=[email for email, _, _ in DEMO_LOGINS]
                )
            }
            for person in logins.values():
                person.set_password(password)
            Person.objects.bulk_update(logins.values(), ["password"])
        rounds = create_demo_rounds()
        campaigns = create_demo_campaigns(seed=seed)
        counts = result.summary["people"]["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation: {len(rows)} people ({counts['added']} added, "
                f"{counts['changed']} changed, {counts['reactivated']} reactivated)."
            )
        )
        if rounds:
            self.stdout.write(f"Demo dialogue rounds: {len(rounds)}, in every state.")
        for line in campaigns.lines():
            self.stdout.write(line)
        self.stdout.write(f"Sign in with the password {password!r} as:")
        for email, name, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:<34} {role:<15} {name}")

    @staticmethod
    def _people_outside_the_demo(rows) -> int:
        demo_ids = {row["employee_id"] for row in rows if row.get("employee_id")}
        return (
            Person.objects.filter(is_active=True, employee_id__isnull=False)
            .exclude(employee_id__in=demo_ids)
            .count()
        )
