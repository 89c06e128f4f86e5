import time

from django.core.management.base import BaseCommand

from asiakaskunto.models import Organisation
from reports.results_cache import refresh


class Command(BaseCommand):
    help = "Compute and store the results as of now (per organisation), printing a summary."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", type=int, help="Only this organisation id.")

    def handle(self, *args, organisation=None, **options):
        organisations = Organisation.objects.order_by("id")
        if organisation:
            organisations = organisations.filter(pk=organisation)
        for org in organisations:
            started = time.perf_counter()
            grades = refresh(org).grades()
            seconds = time.perf_counter() - started
            whole = grades.organisation
            distribution = ", ".join(
                f"{level} {count}" for level, count in whole.level_distribution.items()
            )
            index = "—" if whole.index is None else f"{whole.index:.1f}"
            self.stdout.write(
                f"{org.name}: {len(grades.people)} salespeople graded in {seconds:.2f} s; "
                f"organisation index {index} ({whole.level}); {distribution}"
            )
