"""Starting, saving and submitting a checklist through its form, and every kind of bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Answer, Method, Submission
from observations.models import Checklist, ChecklistStatus

from .factories import ALL_OBS, checklist_post

NEW = reverse("observations:checklist_create")


def test_the_form_lists_my_salespeople_recently_observed_first(org, client_for):
    from .factories import ChecklistFactory

    ChecklistFactory(
        salesperson=org.colleague_a,
        author=org.manager_a,
        status=ChecklistStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    page = client_for(org.manager_a).get(NEW).content.decode()
    assert page.index("Cecilia Colleague") < page.index("Aino Seller")
    assert "Bertta Seller" not in page
    assert 'type="datetime-local"' in page


def test_a_complete_checklist_is_submitted_as_evidence(org, client_for):
    client = client_for(org.manager_a)
    data = checklist_post(org.seller_a, ALL_OBS, notes={"OBS1": "Hymyili kaikille"})
    response = client.post(NEW, data)
    checklist = Checklist.objects.get()
    assert response.status_code == 302 and response.url == checklist.get_absolute_url()
    assert checklist.status == ChecklistStatus.SUBMITTED
    submission = checklist.submission
    assert submission.method == Method.OBSERVATION and submission.salesperson == org.seller_a
    assert submission.team == org.team_a
    answers = {a.question.code: (a.value, a.why) for a in submission.answers.all()}
    assert answers == {"OBS1": (4, "Hymyili kaikille"), "OBS2": (5, ""), "OBS3": (3, "")}
    page = client.get(response.url).content.decode()
    assert "Havainnointi lähetetty." in page


def test_a_draft_can_leave_questions_empty_and_writes_no_evidence(org, client_for):
    client = client_for(org.manager_a)
    response = client.post(NEW, checklist_post(org.seller_a, {"OBS1": 2}, action="draft"))
    checklist = Checklist.objects.get()
    assert response.url == reverse("observations:checklist_edit", args=[checklist.pk])
    assert checklist.status == ChecklistStatus.DRAFT
    assert Submission.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert 'value="2" autocomplete="off" checked' in page


def test_submitting_without_a_required_answer_says_which_and_saves_nothing(org, client_for):
    response = client_for(org.manager_a).post(NEW, checklist_post(org.seller_a, {"OBS1": 4}))
    assert response.status_code == 200
    assert response.content.decode().count("Vastaa tähän kysymykseen ennen lähettämistä") == 2
    assert Checklist.objects.count() == 0 and Submission.objects.count() == 0


@pytest.mark.parametrize("value", ["6", "0", "abc", "-1"])
def test_a_value_outside_the_scale_is_refused(org, client_for, value):
    data = checklist_post(org.seller_a, {**ALL_OBS, "OBS2": value})
    response = client_for(org.manager_a).post(NEW, data)
    assert response.status_code == 200
    assert "Valitse arvo väliltä 1–5" in response.content.decode()
    assert Checklist.objects.count() == 0 and Answer.objects.count() == 0


def test_a_salesperson_of_another_team_is_refused(org, client_for):
    response = client_for(org.manager_a).post(NEW, checklist_post(org.seller_b, ALL_OBS))
    assert response.status_code == 200
    assert "Valitse myyjä omista tiimeistäsi" in response.content.decode()
    assert Checklist.objects.count() == 0


def test_a_time_in_the_future_is_refused(org, client_for):
    data = checklist_post(
        org.seller_a, ALL_OBS, observed_at=timezone.localtime() + timedelta(days=1)
    )
    response = client_for(org.manager_a).post(NEW, data)
    assert "Aika ei voi olla tulevaisuudessa" in response.content.decode()
    assert Checklist.objects.count() == 0


def test_a_missing_salesperson_and_time_get_their_own_messages(org, client_for):
    data = checklist_post(None, ALL_OBS, observed_at=timezone.localtime())
    data["observed_at"] = "eilen"
    page = client_for(org.manager_a).post(NEW, data).content.decode()
    assert "Valitse havainnoimasi myyjä" in page
    assert "Anna päivä ja aika" in page
    assert Checklist.objects.count() == 0


def test_a_double_click_on_submit_gives_exactly_one_checklist(org, client_for):
    client = client_for(org.manager_a)
    data = checklist_post(org.seller_a, ALL_OBS)
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert Checklist.objects.count() == 1 and Submission.objects.count() == 1
    assert Answer.objects.count() == 3
    assert second.status_code == 302 and second.url == first.url


def test_submitting_a_draft_twice_writes_the_evidence_once(org, client_for):
    client = client_for(org.manager_a)
    client.post(NEW, checklist_post(org.seller_a, {"OBS1": 3}, action="draft"))
    checklist = Checklist.objects.get()
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    data = checklist_post(org.seller_a, ALL_OBS, key=checklist.idempotency_key)
    assert client.post(edit, data).status_code == 302
    client.post(edit, data)
    assert Submission.objects.count() == 1 and Answer.objects.count() == 3
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.SUBMITTED and checklist.draft_answers == {}


def test_a_failed_submit_names_the_missing_questions_and_links_to_each(org, client_for):
    from tests.visible import list_items, parse

    response = client_for(org.manager_a).post(NEW, checklist_post(org.seller_a, {"OBS1": 4}))
    assert not Checklist.objects.exists()
    missing = list_items(response.content, "missing-questions")
    assert [item.text for item in missing] == [
        "Huomioiko myyjä jokaisen asiakkaan?",
        "Onko myyjä aidosti valmiina auttamaan ja palvelemaan?",
    ]
    [banner] = parse(response.content).find_all(data_testid="form-errors")
    assert "Vastaa näihin 2 kysymykseen:" in banner.text
    tree = parse(response.content)
    for item in missing:
        [link] = item.find_all("a")
        [target] = tree.find_all(id=link.attrs["href"].removeprefix("#"))
        assert target.tag == "legend" and target.text.startswith(item.text)


def test_every_question_shows_its_note_field_without_a_tap(org, client_for):
    from tests.visible import parse

    tree = parse(client_for(org.manager_a).get(NEW).content)
    notes = [area for area in tree.find_all("textarea") if area.attrs["name"].startswith("note_")]
    assert len(notes) == 3
    assert tree.find_all("details") == []
    labels = {label.attrs.get("for") for label in tree.find_all("label")}
    assert all(note.attrs["id"] in labels for note in notes)
