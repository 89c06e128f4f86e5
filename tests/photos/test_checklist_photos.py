"""A manager attaches photos to a checklist's answers: kept with a draft, limited to three an
answer, refused when not photos (nothing saved, no file left), shown beside the answer, removed
in a correction with the change in its history, and their files gone with the checklist."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from asiakaskunto.models import Question
from observations.models import Checklist
from photos.models import EvidencePhoto
from tests.observations.factories import ALL_OBS, checklist_post

from .images import upload

NEW = reverse("observations:checklist_create")


def obs(code):
    """The first organisation's current question with ``code``."""
    return (
        Question.objects.filter(code=code, replaced_by__isnull=True)
        .order_by("organisation_id")
        .first()
    )


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def with_photos(data, code, *uploads):
    data[f"photos_{obs(code).pk}"] = list(uploads)
    return data


def test_a_submitted_checklist_keeps_its_photos_stripped_of_location(org, client_for, settings):
    client = client_for(org.manager_a)
    data = with_photos(checklist_post(org.seller_a, ALL_OBS), "OBS2", upload(), upload())
    response = client.post(NEW, data)
    checklist = Checklist.objects.get()
    assert response.url == checklist.get_absolute_url()
    photos = list(EvidencePhoto.objects.order_by("id"))
    assert [(p.checklist, p.question.code, p.uploaded_by) for p in photos] == [
        (checklist, "OBS2", org.manager_a)
    ] * 2
    assert len(stored_files(settings)) == 4  # each photo and its thumbnail
    assert all(
        name.startswith(f"evidence/{org.organisation.pk}/") for name in stored_files(settings)
    )
    with photos[0].image.open("rb") as handle:
        data = handle.read()
    assert b"Exif" not in data and len(Image.open(io.BytesIO(data)).getexif()) == 0
    page = client.get(response.url).content.decode()
    assert page.count(f'href="/photos/{photos[0].pk}/"') == 1
    assert f'src="/photos/{photos[1].pk}/thumbnail/"' in page


def test_the_form_offers_a_camera_friendly_photo_input(org, client_for):
    page = client_for(org.manager_a).get(NEW).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/*" multiple' in page and 'data-testid="photos-OBS1"' in page
    assert "enintään 8 Mt" in page or "8 MB" in page


def test_a_draft_keeps_photos_and_the_edit_page_shows_them(org, client_for):
    client = client_for(org.manager_a)
    data = with_photos(checklist_post(org.seller_a, {"OBS1": 3}, action="draft"), "OBS1", upload())
    response = client.post(NEW, data)
    draft = Checklist.objects.get()
    photo = EvidencePhoto.objects.get()
    assert photo.checklist == draft
    page = client.get(response.url).content.decode()
    assert f'src="/photos/{photo.pk}/thumbnail/"' in page
    assert f'name="remove_photo_{photo.pk}"' in page


@pytest.mark.parametrize(
    "uploads, message",
    [
        ([b"%PDF-1.4"], "ei ole kuva"),
        ([None, None, None, None], "enintään 3 kuvaa"),
    ],
)
def test_bad_photos_say_why_and_save_nothing(org, client_for, settings, uploads, message):
    files = [upload(data) if data else upload() for data in uploads]
    data = with_photos(checklist_post(org.seller_a, ALL_OBS), "OBS1", *files)
    response = client_for(org.manager_a).post(NEW, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'data-testid="error-photos-OBS1"' in page
    assert Checklist.objects.count() == 0 and EvidencePhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_a_photo_needs_an_answer_when_submitting(org, client_for, settings):
    data = with_photos(checklist_post(org.seller_a, ALL_OBS), "OBS1", upload())
    data.pop(f"q_{obs('OBS1').pk}")
    obs1 = obs("OBS1")
    obs1.required = False
    obs1.save()
    response = client_for(org.manager_a).post(NEW, data)
    assert "Vastaa kysymykseen tai poista sen kuvat." in response.content.decode()
    assert Checklist.objects.count() == 0 and stored_files(settings) == []


def test_a_failure_after_the_files_were_written_leaves_no_file(
    org, client_for, settings, monkeypatch
):
    import observations.views.checklists as views

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(views, "drop_photos_without_answer", broken)
    data = with_photos(checklist_post(org.seller_a, ALL_OBS), "OBS1", upload())
    with pytest.raises(RuntimeError):
        client_for(org.manager_a).post(NEW, data)
    assert Checklist.objects.count() == 0 and EvidencePhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_three_photos_per_answer_counting_those_kept(org, client_for):
    client = client_for(org.manager_a)
    client.post(
        NEW,
        with_photos(
            checklist_post(org.seller_a, {"OBS1": 3}, action="draft"), "OBS1", upload(), upload()
        ),
    )
    draft = Checklist.objects.get()
    url = reverse("observations:checklist_edit", args=[draft.pk])
    data = checklist_post(org.seller_a, {"OBS1": 3}, action="draft", key=draft.idempotency_key)
    response = client.post(url, with_photos(data, "OBS1", upload(), upload()))
    assert "enintään 3 kuvaa" in response.content.decode()
    assert EvidencePhoto.objects.count() == 2
    # Removing one makes room for two.
    first = EvidencePhoto.objects.order_by("id").first()
    data = checklist_post(org.seller_a, {"OBS1": 3}, action="draft", key=draft.idempotency_key)
    data[f"remove_photo_{first.pk}"] = "on"
    client.post(url, with_photos(data, "OBS1", upload(), upload()))
    assert EvidencePhoto.objects.count() == 3
    assert not EvidencePhoto.objects.filter(pk=first.pk).exists()


def test_a_correction_removes_a_photo_keeps_the_change_and_deletes_its_files(
    org, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for(org.manager_a)
    client.post(NEW, with_photos(checklist_post(org.seller_a, ALL_OBS), "OBS3", upload()))
    checklist = Checklist.objects.get()
    photo = EvidencePhoto.objects.get()
    assert len(stored_files(settings)) == 2
    data = checklist_post(
        org.seller_a, ALL_OBS, observed_at=timezone.localtime(checklist.observed_at)
    )
    data["location"] = checklist.location
    data[f"remove_photo_{photo.pk}"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("observations:checklist_edit", args=[checklist.pk]), data)
    assert response.status_code == 302
    assert EvidencePhoto.objects.count() == 0 and stored_files(settings) == []
    revision = checklist.revisions.get()
    assert revision.changes == [{"field": "OBS3:photos", "before": 1, "after": 0}]
    page = client.get(checklist.get_absolute_url()).content.decode()
    assert "(kuvat)" in page


def test_deleting_a_draft_deletes_its_photo_files(
    org, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for(org.manager_a)
    client.post(
        NEW,
        with_photos(checklist_post(org.seller_a, {"OBS1": 2}, action="draft"), "OBS1", upload()),
    )
    draft = Checklist.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("observations:checklist_delete", args=[draft.pk]))
    assert EvidencePhoto.objects.count() == 0 and stored_files(settings) == []


def test_pages_with_photos_keep_their_query_counts(org, client_for, django_assert_max_num_queries):
    client = client_for(org.manager_a)
    for _ in range(4):
        client.post(
            NEW,
            with_photos(checklist_post(org.seller_a, ALL_OBS), "OBS1", upload(), upload()),
        )
    checklist = Checklist.objects.order_by("-id").first()
    history = reverse("observations:salesperson_history", args=[org.seller_a.pk])
    with django_assert_max_num_queries(15):
        page = client.get(history).content.decode()
    assert page.count('data-testid="photo-thumbs"') == 4
    with django_assert_max_num_queries(12):
        page = client.get(checklist.get_absolute_url()).content.decode()
    assert page.count("/thumbnail/") == 2
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    with django_assert_max_num_queries(14):
        page = client.get(edit).content.decode()
    assert page.count("remove_photo_") >= 2
