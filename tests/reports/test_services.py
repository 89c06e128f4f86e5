"""The engine's wiring: the database read, the organisation's settings, and the cache."""

from datetime import timedelta

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Level, Method
from reports.results_cache import grades_for
from reports.scoring import ScoringSettings
from reports.services import load_answers, save_scoring_settings, scoring_settings_for
from tests.factories import submit


def give_evidence(person, *, customer_value=5, surveys=5, now=None):
    """Five customer surveys and one observation: enough evidence for a grade."""
    now = now or timezone.now()
    for day in range(surveys):
        submit(
            person,
            Method.CUSTOMER,
            {
                "CUS1": customer_value,
                "CUS2": customer_value,
                "CUS3": 10 if customer_value == 5 else 0,
            },
            answered_at=now - timedelta(days=day + 1),
        )
    submit(
        person,
        Method.OBSERVATION,
        {"OBS1": 5, "OBS2": 5, "OBS3": 5},
        answered_at=now - timedelta(days=2),
    )


def test_the_table_has_the_engines_columns_and_types(org):
    now = timezone.now()
    give_evidence(org.seller_a, now=now)
    frame = load_answers(org.organisation, start=now - timedelta(days=365), end=now)
    assert len(frame) == 5 * 3 + 3
    assert str(frame["salesperson"].dtype) == "Int64"
    assert (
        str(frame["answered_at"].dtype).startswith("datetime64")
        and frame["answered_at"].dt.tz is not None
    )
    assert set(frame["method"]) == {"OBSERVATION", "CUSTOMER"}


def test_the_defaults_are_the_designs_and_the_target_comes_from_the_organisation(org):
    scoring = scoring_settings_for(org.organisation)
    assert scoring == ScoringSettings(target_level=org.organisation.target_level)
    assert scoring.method_weights == {"OBSERVATION": 0.2, "MYSTERY_SHOP": 0.3, "CUSTOMER": 0.5}


def test_a_perfect_salesperson_is_graded_ihan_paras(org):
    """All answers top of the scale: every area 100, index 100 → IHAN PARAS."""
    give_evidence(org.seller_a)
    result = grades_for(org.organisation).people[org.seller_a.pk]
    assert result.index == pytest.approx(100)
    assert result.level == "IHAN_PARAS"


def test_new_answers_make_the_cached_grades_stale(org, django_capture_on_commit_callbacks):
    assert org.seller_a.pk not in grades_for(org.organisation).people
    with django_capture_on_commit_callbacks(execute=True):
        give_evidence(org.seller_a)
    assert grades_for(org.organisation).people[org.seller_a.pk].level == "IHAN_PARAS"


def test_changed_settings_move_the_grades(org, django_capture_on_commit_callbacks):
    """Customer answers all 1 (0 points), observation all 5 (100 points): with the default
    weights the skills area is 0.2·100 + 0.5·0 over 0.7 = 28.6; with the customer weight at 0 it
    is 100."""
    give_evidence(org.seller_a, customer_value=1)
    before = grades_for(org.organisation).people[org.seller_a.pk]
    assert before.areas["SKILLS"].score == pytest.approx(100 * 0.2 / 0.7)
    with django_capture_on_commit_callbacks(execute=True):
        save_scoring_settings(
            org.organisation,
            ScoringSettings(
                method_weights={"OBSERVATION": 0.2, "MYSTERY_SHOP": 0.3, "CUSTOMER": 0.0}
            ),
        )
    after = grades_for(org.organisation).people[org.seller_a.pk]
    assert after.areas["SKILLS"].score == pytest.approx(100)


def test_leadership_saves_settings_in_the_form(org, client_for):
    client = client_for(org.leader)
    url = reverse("reports:settings")
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items()}
    data.update(target_level=Level.IHAN_PARAS, half_life_days=90)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Pisteytysasetukset tallennettu" in response.content.decode()
    org.organisation.refresh_from_db()
    scoring = scoring_settings_for(org.organisation)
    assert org.organisation.target_level == Level.IHAN_PARAS
    assert scoring.half_life_days == 90


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"index_IHAN_PARAS": 70}, "järjestyksessä"),
        ({"method_OBSERVATION": 0, "method_MYSTERY_SHOP": 0, "method_CUSTOMER": 0}, "painon"),
        ({"method_CUSTOMER": -1}, "Tämän luvun on oltava vähintään 0"),
        ({"window_days": "abc"}, "Syötä kokonaisluku"),
    ],
)
def test_bad_settings_get_a_finnish_message_and_change_nothing(org, client_for, change, message):
    client = client_for(org.leader)
    url = reverse("reports:settings")
    data = dict(client.get(url).context["form"].initial)
    data.update(change)
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert scoring_settings_for(org.organisation) == ScoringSettings(
        target_level=org.organisation.target_level
    )


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_only_leadership_may_change_settings(org, client_for, who):
    assert client_for(getattr(org, who)).get(reverse("reports:settings")).status_code == 403


def test_recompute_scores_prints_a_summary(org):
    from io import StringIO

    from django.core.management import call_command

    give_evidence(org.seller_a)
    out = StringIO()
    call_command("recompute_scores", stdout=out)
    assert "1 salespeople graded" in out.getvalue()


def test_finnish_decimal_commas_are_accepted(org, client_for):
    client = client_for(org.leader)
    url = reverse("reports:settings")
    data = dict(client.get(url).context["form"].initial)
    data.update(method_OBSERVATION="0,1", index_HYVA="62,5")
    response = client.post(url, data)
    assert response.status_code == 302
    scoring = scoring_settings_for(org.organisation)
    assert scoring.method_weights["OBSERVATION"] == 0.1
    assert scoring.levels["HYVA"].index_at_least == 62.5


def test_texts_with_commas_quotes_and_newlines_and_team_answers_survive_the_read(org):
    now = timezone.now()
    why = 'Hyvä, "nopea"\npalvelu; kiitos'
    submit(
        org.seller_a, Method.CUSTOMER, {"CUS1": 4, "CSAT": 5}, answered_at=now, why={"CUS1": why}
    )
    from asiakaskunto.models import Answer, Question, Submission

    team_answer = Submission.objects.create(
        organisation=org.organisation,
        method=Method.CUSTOMER,
        salesperson=None,
        team=org.team_b,
        answered_at=now,
    )
    Answer.for_question(Question.objects.get(code="CUS3"), 3, submission=team_answer).save()
    frame = load_answers(org.organisation, start=now - timedelta(days=1), end=now).sort_values(
        "question"
    )
    assert list(frame["question"]) == ["CSAT", "CUS1", "CUS3"]
    assert list(frame["why"]) == ["", why, ""]
    assert list(frame["area"]) == ["", "SKILLS", "LOYALTY"]
    assert frame["salesperson"].isna().tolist() == [False, False, True]
    assert frame["answered_at"].iloc[0] == pd.Timestamp(now)


def test_deleting_the_settings_makes_the_cached_grades_stale(
    org, django_capture_on_commit_callbacks
):
    give_evidence(org.seller_a, customer_value=1)
    with django_capture_on_commit_callbacks(execute=True):
        save_scoring_settings(
            org.organisation,
            ScoringSettings(
                method_weights={"OBSERVATION": 0.2, "MYSTERY_SHOP": 0.3, "CUSTOMER": 0.0}
            ),
        )
    assert grades_for(org.organisation).people[org.seller_a.pk].areas[
        "SKILLS"
    ].score == pytest.approx(100)
    from reports.models import ScoringConfig

    with django_capture_on_commit_callbacks(execute=True):
        ScoringConfig.objects.filter(organisation=org.organisation).delete()
    skills = grades_for(org.organisation).people[org.seller_a.pk].areas["SKILLS"].score
    assert skills == pytest.approx(100 * 0.2 / 0.7)
