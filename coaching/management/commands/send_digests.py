"""Weekly digests for cron: each manager's to-do list and leadership's week, one e-mail per
reader, queued through Django's tasks API. ``--dry-run`` prints them and sends nothing."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from asiakaskunto.models import Organisation, Role
from coaching.digests import digest_email, digest_readers, leadership_digest
from coaching.tasks import send_digest


class Command(BaseCommand):
    help = "Send the weekly digest e-mails (to-do lists to managers, the week to leadership)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print each digest (recipient, subject, text) instead of sending it.",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        queued = skipped = 0
        for organisation in Organisation.objects.order_by("id"):
            readers = digest_readers(organisation)
            leadership = None
            for user, role, preference in readers:
                if not preference.weekly_digest:
                    skipped += 1
                    if dry_run:
                        self.stdout.write(f"-- {user.username} <{user.email}>: switched off\n")
                    continue
                if not dry_run:
                    send_digest.enqueue(user.pk)
                    queued += 1
                    continue
                if role == Role.LEADERSHIP and leadership is None:
                    leadership = leadership_digest(organisation, now=now)
                message = digest_email(user, role, preference, now=now, leadership=leadership)
                self.stdout.write(
                    f"== {role} digest to {user.username} <{user.email}> "
                    f"({preference.language})\n"
                    f"Subject: {message.subject}\n\n{message.body}\n"
                )
                queued += 1
        verb = "printed" if dry_run else "queued"
        self.stdout.write(f"{queued} digests {verb}, {skipped} switched off.")
