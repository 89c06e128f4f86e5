from django.core.management.base import BaseCommand
from django.utils import timezone

from surveys.invitations import due_reminders, erase_expired_addresses
from surveys.tasks import send_invitation_email


class Command(BaseCommand):
    help = (
        "Send the one reminder of unanswered survey invitations that are due "
        "(SURVEY_REMINDER_AFTER_DAYS) and erase the addresses of expired invitations. "
        "Run it from cron, e.g. hourly."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        ids = list(due_reminders(now).values_list("pk", flat=True))
        for pk in ids:
            send_invitation_email.enqueue(pk, reminder=True)
        erased = erase_expired_addresses(now)
        self.stdout.write(f"Reminders queued: {len(ids)}. Expired addresses erased: {erased}.")
