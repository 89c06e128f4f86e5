"""A photo is streamed only to those who may see its evidence: the organisation's leadership,
the team's manager, the salesperson it is about (once it counts); never to another team's
manager, another salesperson, another organisation or anyone without a login."""

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Role
from observations.models import ChecklistStatus, MysteryTest, ReviewStatus
from tests.factories import OrganisationFactory, SalespersonFactory, TeamFactory, make_user
from tests.observations.factories import ChecklistFactory, MysteryPlanFactory

from .images import attach


@pytest.fixture
def photos(org):
    submitted = ChecklistFactory(
        salesperson=org.seller_a,
        author=org.manager_a,
        status=ChecklistStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    draft = ChecklistFactory(salesperson=org.seller_a, author=org.manager_a)
    plan = MysteryPlanFactory(salesperson=org.seller_a, used_at=timezone.now())
    test = MysteryTest.objects.create(
        plan=plan, salesperson=org.seller_a, visited_at=timezone.now()
    )
    return {
        "checklist": attach("OBS1", checklist=submitted),
        "draft": attach("OBS1", checklist=draft),
        "test": attach("MYS1", mystery_test=test),
    }


def urls(photo):
    return [
        reverse("photos:photo", args=[photo.pk]),
        reverse("photos:thumbnail", args=[photo.pk]),
    ]


def test_the_team_manager_and_leadership_get_the_photo_as_a_private_jpeg(org, photos, client_for):
    for user in (org.manager_a, org.leader):
        client = client_for(user)
        for key in ("checklist", "test"):
            for url in urls(photos[key]):
                response = client.get(url)
                assert response.status_code == 200, (user, key, url)
                assert response["Content-Type"] == "image/jpeg"
                assert "no-store" in response["Cache-Control"]
                assert response["X-Content-Type-Options"] == "nosniff"
                body = b"".join(response.streaming_content)
                assert body.startswith(b"\xff\xd8") and b"Exif" not in body


def test_the_salesperson_sees_the_photos_about_them_once_they_count(org, photos, client_for):
    client = client_for(org.seller_a_user)
    assert client.get(urls(photos["checklist"])[0]).status_code == 200
    assert client.get(urls(photos["test"])[0]).status_code == 200
    assert client.get(urls(photos["draft"])[0]).status_code == 404  # a draft is its author's
    test = photos["test"].mystery_test
    test.review_status = ReviewStatus.PENDING
    test.save()
    assert client.get(urls(photos["test"])[0]).status_code == 404
    assert client_for(org.manager_a).get(urls(photos["test"])[0]).status_code == 200


def test_a_draft_photo_is_only_its_authors(org, photos, client_for):
    assert client_for(org.manager_a).get(urls(photos["draft"])[0]).status_code == 200
    assert client_for(org.leader).get(urls(photos["draft"])[0]).status_code == 404


@pytest.mark.parametrize("who", ["manager_b", "seller_b_user"])
def test_another_team_gets_404(org, photos, client_for, who):
    client = client_for(getattr(org, who))
    for photo in photos.values():
        for url in urls(photo):
            assert client.get(url).status_code == 404, (who, url)


def test_another_organisation_gets_404_and_anonymous_the_login(org, photos, client_for):
    other = OrganisationFactory(name="Toinen Oy")
    leader = make_user(other, Role.LEADERSHIP, username="other_leader")
    manager = make_user(other, Role.MANAGER, username="other_manager")
    SalespersonFactory(team=TeamFactory(organisation=other, managers=[manager]))
    for user in (leader, manager):
        client = client_for(user)
        for photo in photos.values():
            for url in urls(photo):
                assert client.get(url).status_code == 404, (user, url)
    client = client_for(None)
    for photo in photos.values():
        for url in urls(photo):
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith("/login/"), url


def test_nothing_is_published_under_a_media_url(org, photos, client):
    name = photos["checklist"].image.name
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + name).status_code == 404


def test_a_missing_file_is_404_not_an_error(org, photos, client_for):
    photo = photos["checklist"]
    photo.image.storage.delete(photo.image.name)
    assert client_for(org.manager_a).get(urls(photo)[0]).status_code == 404


def test_the_person_page_shows_the_photos_each_viewer_may_see(
    org, photos, client_for, django_assert_max_num_queries
):
    url = reverse("reports:person", args=[org.seller_a.pk])
    client = client_for(org.seller_a_user)
    page = client.get(url).content.decode()
    assert 'data-testid="evidence-photos"' in page
    assert f"/photos/{photos['checklist'].pk}/" in page and f"/photos/{photos['test'].pk}/" in page
    assert f"/photos/{photos['draft'].pk}/" not in page  # the manager's unfinished draft
    page = client_for(org.manager_a).get(url).content.decode()
    assert f"/photos/{photos['draft'].pk}/" in page
    # One query for the panel, however many photos.
    client = client_for(org.leader)
    client.get(url)
    with django_assert_max_num_queries(60) as captured:
        client.get(url)
    photo_queries = [q for q in captured.captured_queries if "photos_evidencephoto" in q["sql"]]
    assert len(photo_queries) == 1


def test_a_person_without_photos_has_no_panel(org, client_for):
    url = reverse("reports:person", args=[org.seller_b.pk])
    page = client_for(org.leader).get(url).content.decode()
    assert 'data-testid="evidence-photos"' not in page
