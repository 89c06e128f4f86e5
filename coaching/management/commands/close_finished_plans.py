"""Daily job for cron: close every open coaching plan whose goals are all achieved, dropped or
past due, so that lists, to-do items and digests do not show a finished plan as open until
someone happens to open it."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from coaching.models import CoachingPlan
from coaching.services import close_if_finished


class Command(BaseCommand):
    help = "Close the open coaching plans whose goals are all achieved, dropped or past due."

    def handle(self, *args, **options):
        now = timezone.now()
        closed = sum(
            close_if_finished(plan, now=now) for plan in CoachingPlan.objects.open().order_by("id")
        )
        self.stdout.write(f"Plans closed: {closed}")
