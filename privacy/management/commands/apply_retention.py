from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from asiakaskunto.models import Organisation
from privacy.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Erase what each organisation's retention settings say is too old: customers' contact "
        "details and free texts, shoppers' addresses of finished plans, expired invitations' "
        "addresses, answers (when a limit is set), and login records after LOGIN_RECORDS_DAYS. "
        "Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing."
        )
        parser.add_argument(
            "--organisation", type=int, help="Only this organisation (id); login records too."
        )

    def handle(self, *args, dry_run=False, organisation=None, **options):
        organisations = None
        if organisation is not None:
            organisations = list(
                Organisation.objects.filter(pk=organisation).select_related("retention_settings")
            )
            if not organisations:
                raise CommandError(f"No organisation with id {organisation}.")
        report = apply_retention(now=timezone.now(), organisations=organisations, dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        for whose, counts in report.items():
            found = ", ".join(f"{what} {count}" for what, count in counts.items() if count)
            self.stdout.write(
                f"{whose}: {verb.lower() if found else 'nothing to erase'} {found}".rstrip()
            )
