from asiakaskunto.models import Answer, Method, Submission
from asiakaskunto.privacy import erase_salesperson, export_salesperson
from tests.factories import submit


def test_the_export_holds_every_answer_about_the_person(org):
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4}, why={"OBS1": "Hymyili"})
    submit(org.seller_b, Method.OBSERVATION, {"OBS1": 2})
    data = export_salesperson(org.seller_a)
    assert data["salesperson"]["name"] == "Aino Seller"
    assert [(a["question"], a["value"], a["why"]) for a in data["answers"]] == [
        ("OBS1", 4, "Hymyili")
    ]


def test_erasing_removes_the_answers_and_the_name_and_closes_the_account(org):
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4, "OBS2": 3})
    submit(org.seller_b, Method.OBSERVATION, {"OBS1": 2})
    assert erase_salesperson(org.seller_a) >= 1
    org.seller_a.refresh_from_db()
    org.seller_a_user.refresh_from_db()
    assert not Submission.objects.filter(salesperson=org.seller_a).exists()
    assert Answer.objects.count() == 1  # seller_b's stays
    assert "Aino" not in org.seller_a.name and not org.seller_a.active and org.seller_a.user is None
    assert not org.seller_a_user.is_active


def test_admins_export_and_erase_from_the_admin(org, client_for):
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4})
    client = client_for(org.admin)
    url = "/admin/asiakaskunto/salesperson/"
    response = client.post(url, {"action": "export_data", "_selected_action": [org.seller_a.pk]})
    assert response["Content-Type"].startswith("application/json")
    assert b"OBS1" in response.content
    client.post(url, {"action": "erase_data", "_selected_action": [org.seller_a.pk]})
    assert not Submission.objects.filter(salesperson=org.seller_a).exists()


def test_erasing_also_removes_checklists_notes_and_mystery_tests(org, client_for):
    from observations.models import Checklist, ChecklistRevision, MysteryPlan, MysteryTest
    from tests.observations.factories import ChecklistFactory, MysteryPlanFactory

    ChecklistFactory(salesperson=org.seller_a, author=org.manager_a, general_note="Oli töykeä")
    MysteryPlanFactory(salesperson=org.seller_a)
    data = export_salesperson(org.seller_a)
    assert data["observation_checklists"][0]["general_note"] == "Oli töykeä"
    erase_salesperson(org.seller_a)
    assert not Checklist.objects.filter(salesperson=org.seller_a).exists()
    assert not ChecklistRevision.objects.exists()
    assert not MysteryPlan.objects.filter(salesperson=org.seller_a).exists()
    assert not MysteryTest.objects.filter(salesperson=org.seller_a).exists()
    assert not Checklist.objects.filter(general_note__contains="töykeä").exists()


def test_the_erase_count_is_of_submissions(org):
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4, "OBS2": 3, "OBS3": 5})
    assert erase_salesperson(org.seller_a) == 1
