"""Add dialogue rounds in every state to the demo organisation: ``manage.py load_demo_rounds``.

Run it after ``load_demo``. Running it again adds nothing once rounds exist.
"""

from django.core.management.base import BaseCommand, CommandError

from dialogues.organisation.models import Unit
from dialogues.rounds.demo import create_demo_rounds
from dialogues.rounds.models import Round


class Command(BaseCommand):
    help = "Create demo dialogue rounds in every state (after load_demo); idempotent."

    def handle(self, *args, **options):
        if Round.objects.exists():
            self.stdout.write("Rounds exist already: no demo rounds added.")
            return
        if not Unit.objects.filter(code="COMPUTE").exists():
            raise CommandError("Load the demo organisation first: manage.py load_demo")
        created = create_demo_rounds()
        self.stdout.write(self.style.SUCCESS(f"Demo rounds: {len(created)} created."))
