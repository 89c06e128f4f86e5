"""Photos in the person's export (the photo itself), their erasure and retention: rows and
files go together, and only the person's or the too-old ones."""

import base64
import io
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from PIL import Image

from observations.models import ChecklistStatus
from photos.models import EvidencePhoto
from privacy import registry
from privacy.models import RetentionSettings
from privacy.retention import apply_retention
from tests.observations.factories import ChecklistFactory

from .images import attach


def files(settings):
    return sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def checklist_of(person, author, days_ago=1):
    return ChecklistFactory(
        salesperson=person,
        author=author,
        status=ChecklistStatus.SUBMITTED,
        observed_at=timezone.now() - timedelta(days=days_ago),
        submitted_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_export_carries_the_persons_photos_and_no_one_elses(org):
    mine = attach("OBS1", checklist=checklist_of(org.seller_a, org.manager_a))
    attach("OBS1", checklist=checklist_of(org.seller_b, org.manager_b))
    rows = registry.export_person(org.seller_a)["photos"]
    assert [(row["id"], row["question"]) for row in rows] == [(mine.pk, "OBS1")]
    image = Image.open(io.BytesIO(base64.b64decode(rows[0]["base64"])))
    assert image.format == "JPEG" and len(image.getexif()) == 0


def test_erasing_a_person_deletes_their_photos_and_files(
    org, settings, django_capture_on_commit_callbacks
):
    attach("OBS1", checklist=checklist_of(org.seller_a, org.manager_a))
    other = attach("OBS1", checklist=checklist_of(org.seller_b, org.manager_b))
    assert len(files(settings)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        counts = registry.erase_person(org.seller_a)
    assert counts["photos"] == 1
    assert list(EvidencePhoto.objects.all()) == [other]
    assert len(files(settings)) == 2


def test_retention_of_answers_takes_their_photos_and_files(
    org, settings, django_capture_on_commit_callbacks
):
    RetentionSettings.objects.create(organisation=org.organisation, answers_months=12)
    old = attach("OBS1", checklist=checklist_of(org.seller_a, org.manager_a, days_ago=400))
    new = attach("OBS1", checklist=checklist_of(org.seller_a, org.manager_a, days_ago=10))
    with django_capture_on_commit_callbacks(execute=True):
        report = apply_retention(now=timezone.now(), organisations=[org.organisation])
    assert report[org.organisation]["photos.photos"] == 1
    assert list(EvidencePhoto.objects.all()) == [new]
    assert not EvidencePhoto.objects.filter(pk=old.pk).exists()
    assert len(files(settings)) == 2


def test_a_dry_run_keeps_rows_and_files(org, settings, django_capture_on_commit_callbacks):
    RetentionSettings.objects.create(organisation=org.organisation, answers_months=12)
    attach("OBS1", checklist=checklist_of(org.seller_a, org.manager_a, days_ago=400))
    with django_capture_on_commit_callbacks(execute=True):
        report = apply_retention(now=timezone.now(), organisations=[org.organisation], dry_run=True)
    assert report[org.organisation]["photos.photos"] == 1
    assert EvidencePhoto.objects.count() == 1 and len(files(settings)) == 2
