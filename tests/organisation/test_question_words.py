"""A question as people read it: its wording in their language, shortened where space is short
with the whole wording on hover and tap, never its code."""

import pytest
from django.template import Context, Template
from django.utils import translation

from asiakaskunto.models import Question, shorten

pytestmark = pytest.mark.django_db


def test_a_short_wording_is_kept_whole():
    assert shorten("Saitko sen mitä tulit hakemaan?") == "Saitko sen mitä tulit hakemaan?"


def test_a_long_wording_is_cut_at_a_word_within_the_limit():
    text = "Suosittelisitko tuotteitamme ja palveluitamme kavereillesi?"
    assert shorten(text) == "Suosittelisitko tuotteitamme ja…"
    assert len(shorten(text, 20)) <= 20


@pytest.mark.parametrize(
    ("language", "short"),
    [
        ("fi", "Miten halukas ja kykenevä myyjä on…"),
        ("sv", "Hur villig och kapabel är säljaren att…"),
        ("en", "How willing and able is the salesperson…"),
    ],
)
def test_the_short_wording_follows_the_active_language(org, language, short):
    question = Question.objects.get(code="MYS2")
    with translation.override(language):
        assert question.short_text == short
        assert question.text.startswith(short[:-1])


def test_the_filter_gives_the_whole_wording_as_a_tooltip_without_queries(
    org, django_assert_num_queries
):
    question = Question.objects.get(code="MYS2")
    template = Template("{% load questions %}{{ question|question_text }}")
    with translation.override("fi"), django_assert_num_queries(0):
        html = template.render(Context({"question": question}))
    assert html == (
        '<abbr title="Miten halukas ja kykenevä myyjä on ratkaisemaan tarpeesi?" tabindex="0">'
        "Miten halukas ja kykenevä myyjä on…</abbr>"
    )
    assert "MYS2" not in html
