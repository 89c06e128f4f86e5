"""Draft → submit → correct: the evidence is updated in place and the previous version kept."""

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import SCORING_COLUMNS, Answer, Submission
from observations.models import Checklist, ChecklistRevision

from .factories import ALL_OBS, checklist_post

NEW = reverse("observations:checklist_create")


def submitted_checklist(client, seller, values=ALL_OBS, **extra):
    client.post(NEW, checklist_post(seller, values, **extra))
    return Checklist.objects.order_by("-id").first()


def test_draft_then_submit_then_correct_keeps_who_when_and_what(org, client_for):
    client = client_for(org.manager_a)
    client.post(NEW, checklist_post(org.seller_a, {"OBS1": 2}, action="draft"))
    checklist = Checklist.objects.get()
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    client.post(edit, checklist_post(org.seller_a, ALL_OBS, notes={"OBS3": "Auttoi heti"}))
    checklist.refresh_from_db()
    submission_id = checklist.submission_id
    answer_ids = set(Answer.objects.values_list("id", flat=True))

    corrected = checklist_post(org.seller_a, {**ALL_OBS, "OBS2": 2}, notes={"OBS3": "Auttoi"})
    corrected["location"] = "Kassa 2"
    response = client.post(edit, corrected)

    assert response.url == checklist.get_absolute_url()
    assert Submission.objects.get().pk == submission_id  # updated in place
    assert set(Answer.objects.values_list("id", flat=True)) == answer_ids
    assert Answer.objects.get(question__code="OBS2").value == 2
    assert Answer.objects.get(question__code="OBS3").why == "Auttoi"
    revision = ChecklistRevision.objects.get()
    assert revision.edited_by == org.manager_a
    assert revision.previous["answers"]["OBS2"] == {"value": 5, "note": ""}
    assert revision.previous["location"] == "Kassa"
    fields = {change["field"] for change in revision.changes}
    assert fields == {"OBS2", "OBS3:note", "location"}
    page = client.get(response.url).content.decode()
    assert "Muutoshistoria" in page and "Kassa 2" in page and "<del>5</del>" in page


def test_saving_a_correction_without_changes_keeps_no_revision(org, client_for):
    client = client_for(org.manager_a)
    checklist = submitted_checklist(client, org.seller_a)
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    data = checklist_post(org.seller_a, ALL_OBS)
    data["observed_at"] = timezone.localtime(checklist.observed_at).strftime("%Y-%m-%dT%H:%M")
    client.post(edit, data)
    client.post(edit, data)  # a double click
    assert ChecklistRevision.objects.count() == 0


def test_a_correction_cannot_drop_a_required_answer(org, client_for):
    client = client_for(org.manager_a)
    checklist = submitted_checklist(client, org.seller_a)
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    response = client.post(edit, checklist_post(org.seller_a, {"OBS1": 4, "OBS2": 5}))
    assert response.status_code == 200
    assert "Vastaa tähän kysymykseen ennen lähettämistä" in response.content.decode()
    assert Answer.objects.count() == 3 and ChecklistRevision.objects.count() == 0


def test_a_correction_keeps_the_salesperson(org, client_for):
    client = client_for(org.manager_a)
    checklist = submitted_checklist(client, org.seller_a)
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    client.post(edit, checklist_post(org.colleague_a, {**ALL_OBS, "OBS1": 1}))
    assert Submission.objects.get().salesperson == org.seller_a


def test_leadership_may_correct_and_is_named_in_the_history(org, client_for):
    checklist = submitted_checklist(client_for(org.manager_a), org.seller_a)
    client = client_for(org.leader)
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    client.post(edit, checklist_post(org.seller_a, {**ALL_OBS, "OBS1": 1}))
    assert ChecklistRevision.objects.get().edited_by == org.leader


def test_another_manager_of_the_same_team_may_read_but_not_correct(org, client_for):
    from tests.factories import make_user

    checklist = submitted_checklist(client_for(org.manager_a), org.seller_a)
    deputy = make_user(org.organisation, "MANAGER", username="deputy")
    org.team_a.managers.add(deputy)
    client = client_for(deputy)
    assert client.get(checklist.get_absolute_url()).status_code == 200
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    assert client.get(edit).status_code == 403


def test_submitted_checklists_come_out_of_the_scoring_query(org, client_for):
    checklist = submitted_checklist(
        client_for(org.manager_a), org.seller_a, notes={"OBS1": "Hymy irtosi"}
    )
    rows = [
        dict(zip(SCORING_COLUMNS, row, strict=True))
        for row in Answer.objects.for_organisation(org.organisation).scoring_rows()
    ]
    assert len(rows) == 3
    obs1 = next(row for row in rows if row["question"] == "OBS1")
    assert obs1 == {
        "submission": checklist.submission_id,
        "salesperson": org.seller_a.pk,
        "team": org.team_a.pk,
        "method": "OBSERVATION",
        "area": "ATTITUDE",
        "question": "OBS1",
        "metric": "",
        "scale": "FIVE_POINT",
        "value": 4,
        "answered_at": checklist.observed_at,
        "why": "Hymy irtosi",
    }


def test_drafts_are_not_evidence(org, client_for):
    client_for(org.manager_a).post(NEW, checklist_post(org.seller_a, ALL_OBS, action="draft"))
    assert list(Answer.objects.for_organisation(org.organisation).scoring_rows()) == []


def test_a_correction_moves_the_cached_grades_at_once(
    org, client_for, django_capture_on_commit_callbacks
):
    """OBS2 corrected from 5 to 1: the attitude score (observation only) falls from 87.5
    (OBS1 4 → 75, OBS2 5 → 100) to 37.5 (75 and 0), and the cached grades show it at once."""
    from reports.results_cache import grades_for

    client = client_for(org.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        checklist = submitted_checklist(client, org.seller_a)
    attitude = grades_for(org.organisation).people[org.seller_a.pk].areas["ATTITUDE"]
    assert attitude.score == pytest.approx(87.5)
    edit = reverse("observations:checklist_edit", args=[checklist.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, checklist_post(org.seller_a, {**ALL_OBS, "OBS2": 1}))
    assert grades_for(org.organisation).people[org.seller_a.pk].areas[
        "ATTITUDE"
    ].score == pytest.approx(37.5)
