from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from asiakaskunto.models import SCORING_COLUMNS, Answer, Method, Question
from tests.factories import submit


def test_all_methods_come_out_as_one_table_in_one_query(org, django_assert_num_queries):
    now = timezone.now()
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4, "OBS3": 5}, answered_at=now)
    submit(
        org.seller_a, Method.CUSTOMER, {"CUS3": 9}, answered_at=now, why={"CUS3": "Hyvä palvelu"}
    )
    with django_assert_num_queries(1):
        rows = list(Answer.objects.for_organisation(org.organisation).scoring_rows())
    table = sorted(
        [dict(zip(SCORING_COLUMNS, row, strict=True)) for row in rows], key=lambda r: r["question"]
    )
    assert [r["question"] for r in table] == ["CUS3", "OBS1", "OBS3"]
    assert (
        table[0]["metric"] == "NPS" and table[0]["why"] == "Hyvä palvelu" and table[0]["value"] == 9
    )
    assert {r["salesperson"] for r in table} == {org.seller_a.pk}
    assert {r["team"] for r in table} == {org.team_a.pk}


def test_the_window_includes_both_ends(org):
    now = timezone.now()
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4}, answered_at=now - timedelta(days=365))
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 3}, answered_at=now - timedelta(days=366))
    assert Answer.objects.in_window(now - timedelta(days=365), now).count() == 1


def test_the_database_refuses_a_value_off_the_scale(org):
    question = Question.objects.get(code="OBS1")
    submission = submit(org.seller_a, Method.OBSERVATION, {})
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.for_question(question, 6, submission=submission).save()


def test_the_database_refuses_a_second_answer_to_one_question(org):
    submission = submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4})
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.for_question(Question.objects.get(code="OBS1"), 3, submission=submission).save()
