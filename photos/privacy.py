"""Photos' personal data (see ``privacy.registry``): the photos attached to the answers about a
salesperson (checklists about them, mystery-shop tests of them). The export carries each photo
itself (the stored JPEG, which has no metadata, base64-encoded); erasure and retention delete
the rows and, once that commits, their files (``photos.signals``).

Registered after ``observations`` (INSTALLED_APPS order), so it runs before it in erasure and
retention: the counts say how many photos went, before the checklists and tests take the
rest with them."""

import base64

from django.db.models import Q

from privacy.registry import register

from .models import EvidencePhoto


def _about(salesperson):
    return EvidencePhoto.objects.filter(
        Q(checklist__salesperson=salesperson) | Q(mystery_test__salesperson=salesperson)
    )


def export_person(salesperson) -> list[dict]:
    rows = []
    for photo in _about(salesperson).select_related("question").order_by("created_at", "id"):
        try:
            with photo.image.open("rb") as handle:
                data = base64.b64encode(handle.read()).decode("ascii")
        except FileNotFoundError:
            data = None
        rows.append(
            {
                "id": photo.pk,
                "checklist": photo.checklist_id,
                "mystery_test": photo.mystery_test_id,
                "question": photo.question.code,
                "created_at": photo.created_at.isoformat(),
                "width": photo.width,
                "height": photo.height,
                "content_type": "image/jpeg",
                "base64": data,
            }
        )
    return rows


def _delete(photos) -> int:
    count = 0
    for photo in photos:  # one by one: each deletion queues its files' removal
        photo.delete()
        count += 1
    return count


def erase_person(salesperson) -> int:
    return _delete(_about(salesperson))


def apply_retention(organisation, policy, now) -> dict[str, int]:
    """When the organisation erases answers older than an age, their photos go too."""
    if policy.answers_before is None:
        return {}
    before = policy.answers_before
    old = EvidencePhoto.objects.filter(organisation=organisation).filter(
        Q(checklist__observed_at__lt=before) | Q(mystery_test__visited_at__lt=before)
    )
    return {"photos": _delete(old)}


register(
    "photos",
    export_person=export_person,
    erase_person=erase_person,
    apply_retention=apply_retention,
)
