"""Images made in the tests: a small photo with a GPS location in its EXIF, and uploads."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from asiakaskunto.models import Question
from photos.images import clean_image
from photos.models import EvidencePhoto

GPS_IFD = 0x8825
MAKE = 0x010F
ORIENTATION = 0x0112


def photo_bytes(size=(64, 48), color=(200, 80, 40), fmt="JPEG", *, gps=True, orientation=None):
    """A photo as a phone writes it: EXIF with the camera's make and a GPS position."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (60.0, 10.0, 12.5), 3: "E", 4: (24.0, 56.0, 30.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(data=None, name="kuva.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else photo_bytes(), content_type)


def attach(question_code, **source):
    """A stored photo beside the answer to ``question_code`` of a checklist or a test."""
    image = clean_image(upload())
    first = source.get("checklist") or source["mystery_test"]
    organisation_id = getattr(first, "organisation_id", None) or first.plan.organisation_id
    photo = EvidencePhoto(
        organisation_id=organisation_id,
        question=Question.objects.get(
            organisation_id=organisation_id, code=question_code, replaced_by__isnull=True
        ),
        width=image.width,
        height=image.height,
        size=len(image.data),
        **source,
    )
    photo.image.save("evidence/t/photo.jpg", ContentFile(image.data), save=False)
    photo.thumbnail.save("evidence/t/thumb.jpg", ContentFile(image.thumbnail), save=False)
    photo.save()
    return photo
