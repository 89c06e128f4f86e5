"""Delete photo files no row refers to: left behind when a process died between writing a
photo's files and committing its row (a failed transaction deletes its own files, and a
deleted row's files go when the deletion commits). Only files older than ``--hours`` are
touched, so an upload being saved right now is safe. Works on any storage that can list
(local files and S3 alike). Cron, e.g. daily."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from photos.models import EvidencePhoto

ROOT = "evidence"


def stored_names(storage) -> list[str]:
    """Every file under the photos' folder (evidence/<organisation>/<name>)."""
    if not storage.exists(ROOT):
        return []
    names = []
    folders, _files = storage.listdir(ROOT)
    for folder in folders:
        _subfolders, files = storage.listdir(f"{ROOT}/{folder}")
        names.extend(f"{ROOT}/{folder}/{name}" for name in files)
    return names


def prune(*, now, older_than: timedelta, storage=default_storage, dry_run=False) -> list[str]:
    """The orphaned files deleted (or that would be, on a dry run)."""
    referenced = set()
    for image, thumbnail in EvidencePhoto.objects.values_list("image", "thumbnail").iterator():
        referenced.update((image, thumbnail))
    orphans = [
        name
        for name in stored_names(storage)
        if name not in referenced and storage.get_modified_time(name) < now - older_than
    ]
    if not dry_run:
        for name in orphans:
            storage.delete(name)
    return orphans


class Command(BaseCommand):
    help = "Delete evidence photo files that no photo refers to (older than --hours)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, hours, dry_run, **options):
        orphans = prune(now=timezone.now(), older_than=timedelta(hours=hours), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {len(orphans)} orphaned photo file(s).")
