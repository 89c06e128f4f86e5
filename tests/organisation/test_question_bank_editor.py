"""Leadership's question bank editor: adding, editing in place or as a new version, retiring
and reactivating, reordering; clear messages for bad input with nothing saved; denials for
everyone else; bounded queries."""

import pytest
from django.urls import reverse
from django.utils import translation

from asiakaskunto.models import Answer, Method, Question, Role
from asiakaskunto.questions import active_questions, bank
from surveys.services import survey_questions
from tests.factories import OrganisationFactory, make_user, submit

BANK = reverse("question_bank")
NEW = reverse("question_create")


def current(org, code):
    return bank(org.organisation).get(code=code)


def question_post(**fields):
    data = {
        "text_fi": "Kiittikö myyjä asiakasta lopuksi?",
        "text_sv": "Tackade säljaren kunden till slut?",
        "text_en": "Did the salesperson thank the customer at the end?",
        "method": Method.OBSERVATION,
        "area": "ATTITUDE",
        "metric": "",
        "scale": "YES_PARTLY_NO",
        "asks_why": "",
        "required": "on",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def edit_post(question, **fields):
    data = question_post(
        text_fi=question.text_fi,
        text_sv=question.text_sv,
        text_en=question.text_en,
        method=question.method,
        area=question.area,
        metric=question.metric,
        scale=question.scale,
        asks_why="on" if question.asks_why else "",
        required="on" if question.required else "",
    )
    data.update(fields)
    return data


def test_leadership_adds_a_question_and_the_checklist_asks_it(org, client_for):
    client = client_for(org.leader)
    response = client.post(NEW, question_post())
    assert response.status_code == 302
    added = Question.objects.get(organisation=org.organisation, text_fi__startswith="Kiittikö")
    assert added.code == "OBS14" and added.active and added.version == 1  # after OBS13
    assert added.text_sv == "Tackade säljaren kunden till slut?"
    assert [q.code for q in active_questions(org.organisation, Method.OBSERVATION)][-1] == "OBS14"
    page = client_for(org.manager_a).get(reverse("observations:checklist_create"))
    assert "Kiittikö myyjä asiakasta lopuksi?" in page.content.decode()


def test_the_bank_lists_the_organisations_questions_by_method(org, client_for):
    page = client_for(org.leader).get(BANK).content.decode()
    assert "Irtoaako asiakashymy helposti?" in page
    assert (
        page.count('data-testid="bank-question"')
        == Question.objects.filter(organisation=org.organisation).count()
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text_fi": "  "}, "text_fi", "Kirjoita kysymys suomeksi."),
        ({"text_en": ""}, "text_en", "Kirjoita kysymys myös englanniksi"),
        ({"text_fi": "x" * 301}, "text_fi", "enintään 300 merkkiä"),
        (
            {"method": Method.CUSTOMER, "metric": "NPS", "area": "LOYALTY", "scale": "FIVE_POINT"},
            "scale",
            "NPS kysytään asteikolla 0–10: valitse se asteikoksi.",
        ),
        (
            {"method": Method.CUSTOMER, "metric": "CSAT", "area": "", "scale": "ELEVEN_POINT"},
            "scale",
            "CSAT kysytään asteikolla 1–5: valitse se asteikoksi.",
        ),
        ({"metric": "CES", "scale": "FIVE_POINT"}, "metric", "kysytään asiakkailta"),
        ({"area": ""}, "area", "Valitse alue"),
        ({"scale": "TEN"}, "scale", "Valitse oikea vaihtoehto"),
    ],
)
def test_bad_input_gets_a_finnish_message_and_saves_nothing(
    org, client_for, fields, field, message
):
    before = Question.objects.count()
    response = client_for(org.leader).post(NEW, question_post(**fields))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in page
    assert message in page
    assert Question.objects.count() == before


def test_the_messages_speak_swedish_and_english(org, client_for):
    bad = question_post(method=Method.CUSTOMER, metric="NPS", area="LOYALTY", scale="FIVE_POINT")
    client = client_for(org.leader)
    for language, message in (
        ("sv", "NPS frågas på skalan 0–10: välj den skalan."),
        ("en", "NPS is asked on the 0–10 scale: choose that scale."),
    ):
        client.cookies["django_language"] = language
        with translation.override(language):
            page = client.post(NEW, bad, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert message in page, language


def test_an_unanswered_question_is_edited_in_place(org, client_for):
    question = current(org, "OBS1")
    client_for(org.leader).post(
        reverse("question_edit", args=[question.pk]),
        edit_post(question, text_fi="Hymyileekö myyjä?", scale="YES_PARTLY_NO"),
    )
    question.refresh_from_db()
    assert (question.text_fi, question.scale, question.version) == (
        "Hymyileekö myyjä?",
        "YES_PARTLY_NO",
        1,
    )
    assert Question.objects.filter(organisation=org.organisation, code="OBS1").count() == 1


def test_an_answered_question_changing_scale_becomes_a_new_version(org, client_for):
    submission = submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4})
    old = current(org, "OBS1")
    response = client_for(org.leader).post(
        reverse("question_edit", args=[old.pk]),
        edit_post(old, scale="YES_PARTLY_NO", text_fi="Hymyileekö myyjä?"),
        follow=True,
    )
    assert "versiona 2" in response.content.decode()
    old.refresh_from_db()
    new = current(org, "OBS1")
    assert new.pk != old.pk and new.version == 2 and new.scale == "YES_PARTLY_NO"
    assert old.replaced_by_id == new.pk and not old.active
    assert (old.scale, old.text_fi) == ("FIVE_POINT", "Irtoaako asiakashymy helposti?")
    answer = Answer.objects.get(submission=submission)
    assert (answer.question_id, answer.scale, answer.value) == (old.pk, "FIVE_POINT", 4)
    assert answer.question.text_fi == "Irtoaako asiakashymy helposti?"  # its wording kept
    assert new.position == old.position and new.code == "OBS1"
    asked = active_questions(org.organisation, Method.OBSERVATION)
    assert [q.pk for q in asked if q.code == "OBS1"] == [new.pk]
    # New evidence goes to the new version, under the same code the engine groups by.
    later = submit(org.seller_a, Method.OBSERVATION, {"OBS1": 2})
    assert later.answers.get().question_id == new.pk


def test_an_answered_question_changing_area_or_wording_is_versioned_too(org, client_for):
    submit(org.seller_a, Method.CUSTOMER, {"CUS1": 4, "CUS2": 5, "CUS3": 9})
    client = client_for(org.leader)
    cus1, cus2 = current(org, "CUS1"), current(org, "CUS2")
    client.post(reverse("question_edit", args=[cus1.pk]), edit_post(cus1, area="KNOWLEDGE"))
    client.post(reverse("question_edit", args=[cus2.pk]), edit_post(cus2, text_en="Again?"))
    assert current(org, "CUS1").version == 2 and current(org, "CUS1").area == "KNOWLEDGE"
    assert current(org, "CUS2").version == 2


def test_filling_a_missing_translation_or_why_stays_in_place_on_an_answered_question(
    org, client_for
):
    submit(org.seller_a, Method.OBSERVATION, {"OBS2": 3})
    question = current(org, "OBS2")
    Question.objects.filter(pk=question.pk).update(text_sv="")
    question.refresh_from_db()
    client_for(org.leader).post(
        reverse("question_edit", args=[question.pk]),
        edit_post(question, text_sv="Uppmärksammar säljaren alla?", asks_why="on"),
    )
    question.refresh_from_db()
    assert question.version == 1 and question.asks_why
    assert question.text_sv == "Uppmärksammar säljaren alla?"


def test_retire_and_reactivate_show_on_the_survey_at_once(
    org, client_for, django_capture_on_commit_callbacks
):
    client = client_for(org.leader)
    question = current(org, "CUS2")
    assert "CUS2" in [q.code for q in survey_questions(org.organisation)]  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("question_active", args=[question.pk]), {"active": "0"})
    assert "CUS2" not in [q.code for q in survey_questions(org.organisation)]
    page = client.get(BANK).content.decode()
    assert "Aiotko asioida jatkossakin meillä?" in page  # listed under "not in use"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("question_active", args=[question.pk]), {"active": "1"})
    assert "CUS2" in [q.code for q in survey_questions(org.organisation)]


def test_an_old_version_cannot_be_reactivated_or_edited(org, client_for):
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4})
    old = current(org, "OBS1")
    client = client_for(org.leader)
    client.post(reverse("question_edit", args=[old.pk]), edit_post(old, scale="YES_PARTLY_NO"))
    assert client.post(reverse("question_active", args=[old.pk]), {"active": "1"}).status_code == (
        404
    )
    assert client.get(reverse("question_edit", args=[old.pk])).status_code == 404
    old.refresh_from_db()
    assert not old.active


def test_reorder_moves_a_question_within_its_method(org, client_for):
    client = client_for(org.leader)
    obs3 = current(org, "OBS3")
    client.post(reverse("question_move", args=[obs3.pk]), {"step": "up"})
    codes = [q.code for q in active_questions(org.organisation, Method.OBSERVATION)]
    assert codes == ["OBS1", "OBS3", "OBS2"]
    client.post(reverse("question_move", args=[obs3.pk]), {"step": "up"})
    client.post(reverse("question_move", args=[obs3.pk]), {"step": "up"})  # already first
    codes = [q.code for q in active_questions(org.organisation, Method.OBSERVATION)]
    assert codes == ["OBS3", "OBS1", "OBS2"]
    assert [q.code for q in active_questions(org.organisation, Method.MYSTERY_SHOP)] == [
        "MYS1",
        "MYS2",
        "MYS3",
    ]


# --- Denials --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_managers_and_salespeople_are_refused_everywhere(org, client_for, who):
    client = client_for(getattr(org, who))
    question = current(org, "OBS1")
    assert client.get(BANK).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, question_post()).status_code == 403
    edit = reverse("question_edit", args=[question.pk])
    assert client.post(edit, edit_post(question, text_fi="Kaapattu")).status_code == 403
    assert (
        client.post(reverse("question_active", args=[question.pk]), {"active": "0"}).status_code
        == 403
    )
    assert (
        client.post(reverse("question_move", args=[question.pk]), {"step": "down"}).status_code
        == 403
    )
    question.refresh_from_db()
    assert question.text_fi == "Irtoaako asiakashymy helposti?" and question.active
    assert not Question.objects.filter(text_fi__startswith="Kiittikö").exists()


def test_anonymous_is_sent_to_log_in(org, client):
    question = current(org, "OBS1")
    for url in (BANK, NEW, reverse("question_edit", args=[question.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.post(reverse("question_active", args=[question.pk]), {"active": "0"})
    question.refresh_from_db()
    assert question.active


def test_another_organisations_leadership_cannot_see_or_touch_our_questions(org, client_for):
    other = make_user(OrganisationFactory(name="Toinen Oy"), Role.LEADERSHIP, username="other")
    client = client_for(other)
    question = current(org, "OBS1")
    assert client.get(reverse("question_edit", args=[question.pk])).status_code == 404
    edit = reverse("question_edit", args=[question.pk])
    assert client.post(edit, edit_post(question, text_fi="Kaapattu")).status_code == 404
    assert (
        client.post(reverse("question_active", args=[question.pk]), {"active": "0"}).status_code
        == 404
    )
    assert (
        client.post(reverse("question_move", args=[question.pk]), {"step": "down"}).status_code
        == 404
    )
    client.post(NEW, question_post(text_fi="Heidän uusi kysymyksensä"))
    question.refresh_from_db()
    assert question.text_fi == "Irtoaako asiakashymy helposti?" and question.active
    assert not bank(org.organisation).filter(text_fi="Heidän uusi kysymyksensä").exists()
    page = client.get(BANK).content.decode()
    assert page.count('data-testid="bank-question"') == bank(other.profile.organisation).count()


# --- Bounded queries ------------------------------------------------------------------------


def test_the_bank_page_keeps_its_query_count(org, client_for, django_assert_max_num_queries):
    client = client_for(org.leader)
    for index in range(15):
        client.post(NEW, question_post(text_fi=f"Kysymys {index}"))
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4})
    old = current(org, "OBS1")
    client.post(reverse("question_edit", args=[old.pk]), edit_post(old, scale="YES_PARTLY_NO"))
    with django_assert_max_num_queries(7):
        page = client.get(BANK).content.decode()
    assert page.count('data-testid="bank-question"') == bank(org.organisation).count() == 42
    assert "1 aiempi versio" in page


def test_the_edit_page_keeps_its_query_count(org, client_for, django_assert_max_num_queries):
    client = client_for(org.leader)
    question = current(org, "CUS3")
    with django_assert_max_num_queries(7):
        assert client.get(reverse("question_edit", args=[question.pk])).status_code == 200


def test_old_versions_and_retired_questions_stay_in_the_export_with_their_wording(org, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from reports.exports import answer_rows
    from reports.scoring import ScoringSettings

    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4, "OBS2": 5})
    client = client_for(org.leader)
    old = current(org, "OBS1")
    client.post(
        reverse("question_edit", args=[old.pk]),
        edit_post(old, scale="YES_PARTLY_NO", text_fi="Hymyileekö myyjä?"),
    )
    client.post(reverse("question_active", args=[current(org, "OBS2").pk]), {"active": "0"})
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 2})
    now = timezone.now()
    with translation.override("fi"):
        rows = list(
            answer_rows(
                org.organisation,
                teams=[org.team_a],
                start=now - timedelta(days=1),
                end=now + timedelta(minutes=1),
                settings=ScoringSettings(),
            )
        )
    texts = {(row[5], row[6]) for row in rows}
    assert ("OBS1", "Irtoaako asiakashymy helposti?") in texts  # the old version's answer
    assert ("OBS1", "Hymyileekö myyjä?") in texts  # the new version's
    assert ("OBS2", "Huomioiko myyjä jokaisen asiakkaan?") in texts  # retired, still there


def test_saving_an_edit_of_a_version_replaced_meanwhile_is_refused_and_saves_nothing(org):
    from asiakaskunto.questions import QuestionChanged, save_question

    submit(org.seller_a, Method.CUSTOMER, {"CUS1": 4})
    seen = current(org, "CUS1")  # two leaders open the same question
    fields = {
        name: getattr(seen, name)
        for name in ("method", "area", "metric", "scale", "text_fi", "text_sv", "text_en")
    } | {"asks_why": True, "required": True}
    save_question(org.organisation, fields | {"scale": "YES_PARTLY_NO"}, question=seen)
    with pytest.raises(QuestionChanged):
        save_question(org.organisation, fields | {"text_fi": "Myöhässä"}, question=seen)
    assert not Question.objects.filter(text_fi="Myöhässä").exists()
    assert Question.objects.filter(organisation=org.organisation, code="CUS1").count() == 2


def test_a_new_question_gets_the_next_free_code_of_its_method(org, client_for):
    client = client_for(org.leader)
    client.post(NEW, question_post(method=Method.MYSTERY_SHOP, text_fi="Eka"))
    client.post(NEW, question_post(method=Method.MYSTERY_SHOP, text_fi="Toka"))
    codes = list(
        bank(org.organisation).filter(text_fi__in=["Eka", "Toka"]).values_list("code", flat=True)
    )
    assert codes == ["MYS16", "MYS17"]
