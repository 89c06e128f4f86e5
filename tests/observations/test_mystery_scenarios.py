"""Mystery scenarios: leadership writes them (questions and instructions in fi/sv/en), a plan
picks one, the shopper's form shows its instructions and asks only its questions."""

import pytest
from django.urls import reverse
from django.utils import translation

from asiakaskunto.models import Method, Question, Role
from observations.models import MysteryPlan, MysteryScenario, MysteryTest
from tests.factories import OrganisationFactory, make_user

from .factories import MysteryPlanFactory, mystery_post
from .test_mystery_plans import plan_post

NEW = reverse("observations:scenario_create")
PROGRAMME = reverse("observations:programme")


def bank():
    return list(Question.objects.active().for_method(Method.MYSTERY_SHOP))


def scenario_post(**fields):
    first = bank()[0]
    data = {
        "name": "Lahja 10-vuotiaalle",
        "instructions_fi": "Pyydä lahjaa 10-vuotiaalle.",
        "instructions_sv": "Be om en present till en 10-åring.",
        "instructions_en": "",
        "questions": [first.pk],
        "active": "on",
    }
    data.update(fields)
    return data


@pytest.fixture
def scenario(org):
    made = MysteryScenario.objects.create(
        organisation=org.organisation,
        name="Lahja",
        instructions_fi="Pyydä lahjaa 10-vuotiaalle.",
        instructions_sv="Be om en present till en 10-åring.",
    )
    made.questions.set([question for question in bank() if question.code in ("MYS1", "MYS3")])
    return made


def test_leadership_creates_a_scenario(org, client_for):
    client = client_for(org.leader)
    response = client.post(NEW, scenario_post(questions=[q.pk for q in bank()[:2]]))
    assert response.status_code == 302 and response.url == PROGRAMME
    scenario = MysteryScenario.objects.get()
    assert scenario.organisation == org.organisation
    assert scenario.name == "Lahja 10-vuotiaalle"
    assert list(scenario.questions.order_by("position")) == bank()[:2]
    page = client.get(PROGRAMME).content.decode()
    assert "Lahja 10-vuotiaalle" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Anna skenaariolle nimi."),
        ({"instructions_fi": ""}, "instructions_fi", "Kirjoita haamuasiakkaalle ohjeet suomeksi."),
        ({"questions": []}, "questions", "Valitse vähintään yksi kysymys."),
        ({"questions": [999999]}, "questions", "Valitse organisaatiosi haamuasiakaskysymyksiä."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(org, client_for, fields, field, message):
    response = client_for(org.leader).post(NEW, scenario_post(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not MysteryScenario.objects.exists()


def test_an_observation_question_cannot_be_chosen(org, client_for):
    observation = Question.objects.filter(method=Method.OBSERVATION).first()
    response = client_for(org.leader).post(NEW, scenario_post(questions=[observation.pk]))
    assert "questions" in response.context["form"].errors
    assert not MysteryScenario.objects.exists()


def test_two_scenarios_cannot_share_a_name(org, client_for, scenario):
    response = client_for(org.leader).post(NEW, scenario_post(name="lahja"))
    assert "Samanniminen skenaario on jo olemassa." in response.content.decode()
    assert MysteryScenario.objects.count() == 1


def test_the_messages_speak_swedish_and_english(org, client_for):
    client = client_for(org.leader)
    for language, text in (("sv", "Välj minst en fråga."), ("en", "Choose at least one question.")):
        client.cookies["django_language"] = language
        response = client.post(NEW, scenario_post(questions=[]), HTTP_ACCEPT_LANGUAGE=language)
        assert text in response.content.decode(), language


def test_leadership_edits_a_scenario(org, client_for, scenario):
    url = reverse("observations:scenario_edit", args=[scenario.pk])
    client = client_for(org.leader)
    assert client.get(url).status_code == 200
    response = client.post(url, scenario_post(name="Lahja", instructions_fi="Uusi ohje."))
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.instructions_fi == "Uusi ohje." and scenario.questions.count() == 1


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_only_leadership_writes_scenarios(org, client_for, scenario, who):
    client = client_for(getattr(org, who))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, scenario_post(name="Toinen")).status_code == 403
    url = reverse("observations:scenario_edit", args=[scenario.pk])
    assert client.post(url, scenario_post(name="Muutettu")).status_code == 403
    assert client.get(PROGRAMME).status_code == 403
    assert list(MysteryScenario.objects.values_list("name", flat=True)) == ["Lahja"]


def test_anonymous_is_sent_to_log_in(client_for, scenario):
    response = client_for(None).get(reverse("observations:scenario_edit", args=[scenario.pk]))
    assert response.status_code == 302 and "/login/" in response.url


def test_another_organisations_leadership_does_not_find_the_scenario(client_for, scenario):
    other = OrganisationFactory(name="Muu Oy")
    stranger = make_user(other, Role.LEADERSHIP, username="stranger")
    client = client_for(stranger)
    url = reverse("observations:scenario_edit", args=[scenario.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, scenario_post(name="Kaapattu")).status_code == 404
    assert "Lahja" not in client.get(PROGRAMME).content.decode()


def test_a_plan_picks_a_scenario(org, client_for, scenario):
    client = client_for(org.manager_a)
    page = client.get(reverse("observations:plan_create")).content.decode()
    assert "Lahja" in page
    response = client.post(
        reverse("observations:plan_create"),
        plan_post(salesperson=org.seller_a.pk, scenario=scenario.pk),
    )
    assert response.status_code == 302
    assert MysteryPlan.objects.get().scenario == scenario


def test_a_retired_or_foreign_scenario_cannot_be_picked(org, client_for, scenario):
    other = OrganisationFactory(name="Muu Oy")
    foreign = MysteryScenario.objects.create(organisation=other, name="X", instructions_fi="x")
    scenario.active = False
    scenario.save()
    client = client_for(org.manager_a)
    for pk in (scenario.pk, foreign.pk):
        response = client.post(
            reverse("observations:plan_create"), plan_post(salesperson=org.seller_a.pk, scenario=pk)
        )
        assert "Valitse jokin käytössä olevista skenaarioista." in response.content.decode()
    assert not MysteryPlan.objects.exists()


def test_the_shopper_reads_the_instructions_and_answers_the_scenarios_questions(
    org, client_for, scenario
):
    plan = MysteryPlanFactory(salesperson=org.seller_a, scenario=scenario, instructions="Lisäksi.")
    url = reverse("observations_public:mystery_form", args=[plan.token])
    client = client_for(None)
    response = client.get(url)
    page = response.content.decode()
    assert "Pyydä lahjaa 10-vuotiaalle." in page and "Lisäksi." in page
    asked = [question.code for question in response.context["form"].questions]
    assert asked == ["MYS1", "MYS3"]
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Be om en present till en 10-åring." in swedish
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pyydä lahjaa 10-vuotiaalle." in english  # no English written: Finnish
    response = client.post(url, mystery_post({"MYS1": 4, "MYS3": 5}))
    assert response.status_code == 302
    answers = MysteryTest.objects.get().submission.answers.all()
    assert sorted(answer.question.code for answer in answers) == ["MYS1", "MYS3"]


def test_without_a_scenario_the_whole_bank_is_asked(org, client_for):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    url = reverse("observations_public:mystery_form", args=[plan.token])
    response = client_for(None).get(url)
    assert [q.pk for q in response.context["form"].questions] == [q.pk for q in bank()]


def test_scenario_instructions_follow_the_language():
    scenario = MysteryScenario(instructions_fi="fi", instructions_sv="sv", instructions_en="")
    with translation.override("sv"):
        assert scenario.instructions == "sv"
    with translation.override("en"):
        assert scenario.instructions == "fi"


def test_the_programme_page_reads_a_bounded_number_of_queries(
    org, client_for, scenario, django_assert_max_num_queries
):
    for number in range(5):
        extra = MysteryScenario.objects.create(
            organisation=org.organisation, name=f"S{number}", instructions_fi="x"
        )
        extra.questions.set(bank())
    client = client_for(org.leader)
    with django_assert_max_num_queries(12):
        assert client.get(PROGRAMME).status_code == 200


def test_a_retired_question_drops_out_of_the_scenario(org, client_for, scenario):
    mys1 = Question.objects.get(code="MYS1")
    Question.objects.filter(pk=mys1.pk).update(active=False)
    plan = MysteryPlanFactory(salesperson=org.seller_a, scenario=scenario)
    url = reverse("observations_public:mystery_form", args=[plan.token])
    asked = client_for(None).get(url).context["form"].questions
    assert [question.code for question in asked] == ["MYS3"]
    edit = client_for(org.leader).get(reverse("observations:scenario_edit", args=[scenario.pk]))
    form = edit.context["form"]
    assert mys1 not in form.fields["questions"].queryset
    mys3 = Question.objects.get(code="MYS3")
    assert form.initial["questions"] == [mys3.pk]


def test_when_all_its_questions_are_retired_the_whole_bank_is_asked(org, client_for, scenario):
    Question.objects.filter(code__in=["MYS1", "MYS3"]).update(active=False)
    plan = MysteryPlanFactory(salesperson=org.seller_a, scenario=scenario)
    url = reverse("observations_public:mystery_form", args=[plan.token])
    asked = client_for(None).get(url).context["form"].questions
    assert [question.code for question in asked] == ["MYS2"]


def test_the_e_mailed_link_carries_the_scenarios_instructions_in_the_language(
    org, scenario, django_capture_on_commit_callbacks
):
    from django.core import mail

    from observations.tasks import send_mystery_link

    plan = MysteryPlanFactory(salesperson=org.seller_a, scenario=scenario, instructions="Lisäksi.")
    assert send_mystery_link.call(plan.pk, "sv")
    body = mail.outbox[-1].body
    assert "Be om en present till en 10-åring." in body and "Lisäksi." in body


def test_a_new_plan_after_a_rejection_starts_from_the_person_and_scenario(
    org, client_for, scenario
):
    url = reverse("observations:plan_create")
    query = f"?salesperson={org.seller_a.pk}&scenario={scenario.pk}"
    form = client_for(org.manager_a).get(url + query).context["form"]
    assert form.initial == {"salesperson": org.seller_a.pk, "scenario": scenario.pk}


def test_the_shoppers_form_and_the_scenario_pages_read_a_bounded_number_of_queries(
    org, client_for, scenario, django_assert_max_num_queries
):
    scenario.questions.set(bank())
    plan = MysteryPlanFactory(team=org.team_a, salesperson=None, scenario=scenario)
    url = reverse("observations_public:mystery_form", args=[plan.token])
    shopper = client_for(None)
    with django_assert_max_num_queries(6):
        assert shopper.get(url).status_code == 200
    values = {question.code: 1 for question in bank()}
    # The post: its rate limit in the shared cache (a table here), the plan, the questions,
    # the link used up, the evidence, the test; savepoints count too.
    with django_assert_max_num_queries(20):
        assert shopper.post(url, mystery_post(values)).status_code == 302
    leader = client_for(org.leader)
    for page in (NEW, reverse("observations:scenario_edit", args=[scenario.pk])):
        with django_assert_max_num_queries(8):
            assert leader.get(page).status_code == 200
