"""The demo puts a photo beside an answer of each checklist made with a template, once."""

import io
import random

from django.utils import timezone
from PIL import Image

from observations import demo as observations_demo
from photos import demo
from photos.models import EvidencePhoto
from tests.factories import SalespersonFactory


def test_the_demo_attaches_a_clean_photo_once(org):
    for index in range(4):
        SalespersonFactory(team=org.team_a if index % 2 else org.team_b)
    now = timezone.now()
    observations_demo.seed(org.organisation, now=now, rng=random.Random(1))
    demo.seed(org.organisation, now=now, rng=random.Random(2))
    demo.seed(org.organisation, now=now, rng=random.Random(2))
    photos = list(EvidencePhoto.objects.select_related("checklist__template"))
    assert len(photos) == 2  # one per team's checklist made with a template
    for photo in photos:
        assert photo.checklist.template.name_fi == "Tervehdys ja odotus"
        answered = photo.checklist.submission.answers.values_list("question_id", flat=True)
        assert photo.question_id in set(answered)
        with photo.image.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "JPEG" and image.size == (640, 480)
