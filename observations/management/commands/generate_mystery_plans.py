"""Daily job for cron: generate the mystery-shop plans that the recurring schedules ask for in
the current period (idempotent: a second run creates nothing)."""

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone

from observations.tasks import generate_scheduled_plans


class Command(BaseCommand):
    help = "Generate the current period's mystery-shop plans of every active schedule."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="The day to generate for (YYYY-MM-DD).")

    def handle(self, *args, date, **options):
        day = date or timezone.localdate().isoformat()
        result = generate_scheduled_plans.enqueue(day)
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"Plans generated: {result.return_value}")
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(f"Generating the plans failed: {result.errors}")
        else:
            self.stdout.write(f"Generation queued for {day} (task {result.id}).")
