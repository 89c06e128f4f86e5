"""The survey form: fields shared by the forms of one shape of survey never carry one
customer's answer or errors into another's, and any change of shape builds new fields."""

import pytest
from django.core.cache import cache
from django.utils import translation

from asiakaskunto.models import Organisation, Question
from surveys.forms import SurveyForm
from surveys.services import survey_questions
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db


def _form(data=None, *, members=None, free_text=True):
    questions = survey_questions(Organisation.objects.first())
    return SurveyForm(data, questions=questions, team_members=members, ask_free_text=free_text)


def test_one_customers_errors_and_answers_stay_on_their_form(org):
    bad = _form(survey_post(q_CUS1="9", consent=None))
    assert not bad.is_valid()
    good = _form(survey_post())
    assert good.is_valid(), good.errors
    fresh = _form()
    assert not fresh.errors and not fresh.is_bound
    html = str(fresh["q_CUS1"])
    assert "checked" not in html and "Choose one of the options" not in html
    assert good.answers(language="fi").values["CUS1"] == (5, "Löysin heti oikean tuotteen.")


def test_every_form_gets_a_new_form_key(org):
    assert _form()["form_key"].value() != _form()["form_key"].value()


def test_the_language_a_new_wording_and_the_switches_make_new_fields(org):
    with translation.override("fi"):
        finnish = _form()
    with translation.override("sv"):
        swedish = _form()
    assert finnish.fields["q_CUS1"].label == "Saitko sen mitä tulit hakemaan?"
    assert swedish.fields["q_CUS1"].label == "Fick du det du kom för?"

    Question.objects.filter(code="CUS1").update(text_fi="Löysitkö etsimäsi?")
    cache.clear()  # the question list is cached for a minute
    with translation.override("fi"):
        assert _form().fields["q_CUS1"].label == "Löysitkö etsimäsi?"
        assert "free_text" not in _form(free_text=False).fields


def test_a_team_forms_choices_follow_its_members(org):
    with_two = _form(members=[org.seller_a, org.colleague_a])
    with_one = _form(members=[org.seller_a])
    assert str(org.colleague_a.pk) in dict(with_two.fields["salesperson"].choices)
    assert str(org.colleague_a.pk) not in dict(with_one.fields["salesperson"].choices)
    assert not _form(
        survey_post(salesperson=str(org.colleague_a.pk)), members=[org.seller_a]
    ).is_valid()


def _fresh_render(form):
    from django.template.loader import render_to_string

    return render_to_string("surveys/public/_questions.html", {"form": form})


def test_a_new_forms_questions_are_rendered_once_per_shape_and_as_a_fresh_render(org):
    from django.template.loader import get_template

    with translation.override("fi"):
        first = _form(members=[org.seller_a]).questions_html()
        template = get_template("surveys/public/_questions.html")
        calls = []
        original = template.template.render
        template.template.render = lambda context: calls.append(1) or original(context)
        try:
            again = _form(members=[org.seller_a]).questions_html()
        finally:
            template.template.render = original
        assert calls == [] and again == first
        assert first == _fresh_render(_form(members=[org.seller_a]))
        assert "Saitko sen mitä tulit hakemaan?" in first and "Aino Seller" in first
    with translation.override("sv"):
        swedish = _form(members=[org.seller_a]).questions_html()
        assert swedish == _fresh_render(_form(members=[org.seller_a]))
    assert "Fick du det du kom för?" in swedish and swedish != first


def test_a_sent_forms_questions_show_its_own_answers_and_errors(org):
    new = _form().questions_html()
    bad = _form(survey_post(q_CUS1="2", q_CUS3="99", why_CUS1="<b>huono</b>", consent=None))
    assert not bad.is_valid()
    html = bad.questions_html()
    assert html != new
    assert 'value="2" id="id_q_CUS1_1" checked' in html
    assert "&lt;b&gt;huono&lt;/b&gt;" in html and "<b>huono</b>" not in html
    assert 'class="error"' in html and 'class="error"' not in new
    assert _form().questions_html() == new  # the sent form left nothing in the shared copy
