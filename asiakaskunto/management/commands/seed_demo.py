import importlib
import random

from django.core.management.base import BaseCommand
from django.utils import timezone

from asiakaskunto.demo import DEMO_PASSWORD, seed_organisation
from asiakaskunto.models import Organisation

APP_SEEDERS = ["observations.demo", "photos.demo", "surveys.demo", "coaching.demo"]


class Command(BaseCommand):
    help = "Fill a realistic demo organisation so that every page shows something (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has an organisation.",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed for the demo answers."
        )

    def handle(self, *args, if_empty=False, seed=2026, **options):
        if if_empty and Organisation.objects.exists():
            self.stdout.write("The database has data already: no demo data loaded.")
            return
        organisation, logins = seed_organisation()
        now = timezone.now()
        for module_name in APP_SEEDERS:
            module = importlib.import_module(module_name)
            module.seed(
                organisation,
                now=now,
                rng=random.Random(f"{seed}-{module_name}"),
                stdout=self.stdout,
            )
        self.stdout.write(self.style.SUCCESS(f"Demo organisation ready: {organisation.name}"))
        self.stdout.write(f"Logins (password for all: {DEMO_PASSWORD}):")
        for username, role in logins:
            self.stdout.write(f"  {username:<10} {role}")
