from asiakaskunto.models import Area, Method, Question, Scale


def test_the_default_bank_has_the_nine_questions_of_the_design(org):
    bank = {q.code: q for q in Question.objects.filter(organisation=org.organisation)}
    expected = {
        "OBS1": (Method.OBSERVATION, Area.ATTITUDE, Scale.FIVE_POINT),
        "OBS2": (Method.OBSERVATION, Area.ATTITUDE, Scale.FIVE_POINT),
        "OBS3": (Method.OBSERVATION, Area.SKILLS, Scale.FIVE_POINT),
        "MYS1": (Method.MYSTERY_SHOP, Area.KNOWLEDGE, Scale.FIVE_POINT),
        "MYS2": (Method.MYSTERY_SHOP, Area.SKILLS, Scale.FIVE_POINT),
        "MYS3": (Method.MYSTERY_SHOP, Area.ATTITUDE, Scale.FIVE_POINT),
        "CUS1": (Method.CUSTOMER, Area.SKILLS, Scale.FIVE_POINT),
        "CUS2": (Method.CUSTOMER, Area.LOYALTY, Scale.FIVE_POINT),
        "CUS3": (Method.CUSTOMER, Area.LOYALTY, Scale.ELEVEN_POINT),
    }
    for code, (method, area, scale) in expected.items():
        assert (bank[code].method, bank[code].area, bank[code].scale) == (method, area, scale)
        assert bank[code].text_fi and bank[code].text_en and bank[code].text_sv
    assert bank["OBS1"].text_fi == "Irtoaako asiakashymy helposti?"
    assert bank["CUS3"].metric == "NPS"
    assert all(bank[code].asks_why for code in ("CUS1", "CUS2", "CUS3"))


def test_a_question_speaks_the_active_language(org):
    from django.utils import translation

    question = Question.objects.get(code="CUS1")
    with translation.override("en"):
        assert question.text == "Did you get what you came for?"
    with translation.override("sv"):
        assert question.text == "Fick du det du kom för?"
    with translation.override("fi"):
        assert question.text == "Saitko sen mitä tulit hakemaan?"
