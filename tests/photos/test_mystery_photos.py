"""A mystery shopper attaches photos through the public link: stored with the test (also one
waiting for review), shown beside the answers on the plan's page; a bad photo uses nothing up."""

from pathlib import Path

from django.urls import reverse

from asiakaskunto.models import Question
from observations.models import MysterySettings, MysteryTest, PlanStatus
from photos.models import EvidencePhoto
from tests.observations.factories import ALL_MYS, MysteryPlanFactory, mystery_post

from .images import upload


def link(plan):
    return reverse("observations_public:mystery_form", args=[plan.token])


def with_photos(data, code, *uploads):
    question = (
        Question.objects.filter(code=code, replaced_by__isnull=True)
        .order_by("organisation_id")
        .first()
    )
    data[f"photos_{question.pk}"] = list(uploads)
    return data


def test_the_shoppers_photos_are_kept_with_the_test(org, client_for):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    client = client_for(None)
    page = client.get(link(plan)).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'accept="image/*" multiple' in page
    response = client.post(link(plan), with_photos(mystery_post(ALL_MYS), "MYS1", upload()))
    assert response.status_code == 302
    test = MysteryTest.objects.get()
    photo = EvidencePhoto.objects.get()
    assert (photo.mystery_test, photo.question.code, photo.uploaded_by) == (test, "MYS1", None)
    page = client_for(org.manager_a).get(plan.get_absolute_url()).content.decode()
    assert f'src="/photos/{photo.pk}/thumbnail/"' in page
    history = reverse("observations:salesperson_history", args=[org.seller_a.pk])
    assert f'href="/photos/{photo.pk}/"' in client_for(org.manager_a).get(history).content.decode()


def test_a_test_waiting_for_review_keeps_its_photos(org, client_for):
    MysterySettings.objects.create(organisation=org.organisation, review_required=True)
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    client_for(None).post(link(plan), with_photos(mystery_post(ALL_MYS), "MYS2", upload()))
    test = MysteryTest.objects.get()
    assert test.submission is None and test.photos.count() == 1


def test_a_bad_photo_says_why_and_leaves_the_link_unused(org, client_for, settings):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    data = with_photos(mystery_post(ALL_MYS), "MYS1", upload(), upload(b"GIF89a rikki", "x.gif"))
    response = client_for(None).post(link(plan), data)
    assert response.status_code == 200
    assert "x.gif: Tiedosto ei ole kuva" in response.content.decode()
    assert MysteryTest.objects.count() == 0 and EvidencePhoto.objects.count() == 0
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED
