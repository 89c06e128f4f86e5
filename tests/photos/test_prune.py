"""Files that no photo refers to, older than the grace period, are deleted; the rest stay."""

import os
import time
from io import StringIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from observations.models import ChecklistStatus
from tests.observations.factories import ChecklistFactory

from .images import attach


def age(name, hours):
    path = Path(default_storage.path(name))
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_it_deletes_old_orphans_only(org):
    photo = attach(
        "OBS1",
        checklist=ChecklistFactory(
            salesperson=org.seller_a, author=org.manager_a, status=ChecklistStatus.DRAFT
        ),
    )
    old_orphan = default_storage.save(f"evidence/{org.organisation.pk}/old.jpg", ContentFile(b"x"))
    new_orphan = default_storage.save(f"evidence/{org.organisation.pk}/new.jpg", ContentFile(b"x"))
    for name in (old_orphan, photo.image.name, photo.thumbnail.name):
        age(name, 48)
    out = StringIO()
    call_command("prune_photo_files", "--dry-run", stdout=out)
    assert "Would delete 1" in out.getvalue() and default_storage.exists(old_orphan)
    call_command("prune_photo_files", stdout=out)
    assert not default_storage.exists(old_orphan)
    for name in (new_orphan, photo.image.name, photo.thumbnail.name):
        assert default_storage.exists(name)


def test_nothing_stored_is_nothing_to_do(db):
    out = StringIO()
    call_command("prune_photo_files", stdout=out)
    assert "Deleted 0" in out.getvalue()
