"""Demo data of this app for `manage.py seed_demo`: a photo beside an answer of the checklists
made with a template (drawn with Pillow: a shop counter with a price sign), so the checklist
page, the history and the plan pages show how evidence photos look."""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from observations.models import Checklist, ChecklistStatus

from .images import clean_image
from .services import PhotoChanges, apply_photo_changes, files_kept_only_on_commit


def demo_photo(rng) -> bytes:
    """A small JPEG of a counter, a shelf and a sign, colours varied by ``rng``."""
    image = Image.new("RGB", (640, 480), (236, 232, 224))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 640, 480), fill=(150, 110, 80))  # the counter
    for index in range(4):  # shelves with products
        y = 60 + index * 65
        draw.rectangle((380, y, 620, y + 8), fill=(120, 90, 60))
        for slot in range(6):
            colour = tuple(rng.randint(60, 220) for _ in range(3))
            draw.rectangle((388 + slot * 38, y - 40, 414 + slot * 38, y), fill=colour)
    draw.rectangle((60, 90, 300, 230), fill=(250, 250, 250), outline=(40, 40, 40), width=4)
    draw.text((80, 120), "TERVETULOA", fill=(30, 30, 30))
    draw.text((80, 160), "Tarjous -20 %", fill=(180, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


@transaction.atomic
def seed(organisation, *, now, rng, stdout=None):
    """One photo beside the first answer of each checklist made with a template; nothing when
    the organisation has photos already."""
    from .models import EvidencePhoto

    if EvidencePhoto.objects.filter(organisation=organisation).exists():
        return
    checklists = (
        Checklist.objects.filter(
            organisation=organisation, status=ChecklistStatus.SUBMITTED, template__isnull=False
        )
        .select_related("submission", "author")
        .order_by("id")
    )
    added = 0
    with files_kept_only_on_commit() as written:
        for checklist in checklists:
            answer = checklist.submission.answers.order_by("question__position", "id").first()
            if answer is None:
                continue
            image = clean_image(ContentFile(demo_photo(rng), name="demo.jpg"))
            apply_photo_changes(
                PhotoChanges(added={answer.question_id: [image]}),
                written=written,
                uploaded_by=checklist.author,
                checklist=checklist,
            )
            added += 1
    if stdout is not None:
        stdout.write(f"Photos: {added} on checklist answers.")
