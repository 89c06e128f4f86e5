"""Writing photos: attach cleaned images to a checklist's or a mystery-shop test's answers,
remove chosen ones, and drop those whose question has no answer. Files are written before the
rows (the storage has no transactions); ``files_kept_only_on_commit`` deletes the files a
failed transaction wrote, and ``signals`` deletes a deleted row's files after it commits."""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .images import CleanImage
from .models import EvidencePhoto, new_photo_name


@dataclass
class PhotoChanges:
    """What a form asked: new images per question id, and the ids of photos to remove."""

    added: dict[int, list[CleanImage]] = field(default_factory=dict)
    removed: list[int] = field(default_factory=list)

    def __bool__(self):
        return bool(self.removed) or any(self.added.values())


@contextmanager
def files_kept_only_on_commit():
    """Yield a list to record written file names in; if the block raises, delete them.

    Wrap the whole transaction (``with files_kept_only_on_commit() as written: with
    transaction.atomic(): ...``), so that a rollback leaves no file behind."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def _save(photo: EvidencePhoto, image: CleanImage, written: list[str]):
    base = new_photo_name(photo.organisation_id)
    photo.image.save(f"{base}.jpg", ContentFile(image.data), save=False)
    written.append(photo.image.name)
    photo.thumbnail.save(f"{base}-thumb.jpg", ContentFile(image.thumbnail), save=False)
    written.append(photo.thumbnail.name)
    photo.width, photo.height, photo.size = image.width, image.height, len(image.data)


def apply_photo_changes(
    changes: PhotoChanges,
    *,
    written: list[str],
    uploaded_by=None,
    checklist=None,
    mystery_test=None,
) -> dict[int, tuple[int, int]]:
    """Remove and add the photos of one checklist or test, in the caller's transaction.

    Returns {question id: (photos before, photos after)} for the questions that changed."""
    source = {"checklist": checklist} if checklist is not None else {"mystery_test": mystery_test}
    organisation_id = (
        checklist.organisation_id if checklist is not None else mystery_test.plan.organisation_id
    )
    photos = EvidencePhoto.objects.filter(**source)
    before = defaultdict(int)
    for question_id in photos.values_list("question_id", flat=True):
        before[question_id] += 1
    after = defaultdict(int, before)
    if changes.removed:
        for photo in photos.filter(pk__in=changes.removed):
            after[photo.question_id] -= 1
            photo.delete()
    for question_id, images in changes.added.items():
        for image in images:
            photo = EvidencePhoto(
                organisation_id=organisation_id,
                question_id=question_id,
                uploaded_by=uploaded_by,
                **source,
            )
            _save(photo, image, written)
            photo.save()
            after[question_id] += 1
    return {
        question_id: (before[question_id], after[question_id])
        for question_id in sorted(set(before) | set(after))
        if before[question_id] != after[question_id]
    }


def drop_photos_without_answer(*, answered_ids, checklist=None, mystery_test=None) -> int:
    """Delete the photos of questions that ended up without an answer (a correction cleared
    the answer); a photo is evidence of an answer."""
    source = {"checklist": checklist} if checklist is not None else {"mystery_test": mystery_test}
    stale = EvidencePhoto.objects.filter(**source).exclude(question_id__in=list(answered_ids))
    count = 0
    for photo in stale:
        photo.delete()
        count += 1
    return count


def photos_by_question(photos) -> dict[int, list[EvidencePhoto]]:
    grouped = defaultdict(list)
    for photo in photos:
        grouped[photo.question_id].append(photo)
    return dict(grouped)
