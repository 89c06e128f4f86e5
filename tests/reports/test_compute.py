"""reports.compute: one call gives the same results as grading each moment on its own."""

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from django.utils import timezone

from reports.compute import compute
from reports.results_cache import grades_for
from reports.scoring import months_between, trend
from reports.services import load_answers, scoring_settings_for
from tests.reports.dashboard_data import fill
from tests.reports.test_compute_sums import assert_close, assert_frames_close

pytestmark = pytest.mark.django_db


def test_one_call_equals_separate_results(org):
    organisation = org.organisation
    fill([org.team_a, org.team_b], people_per_team=3, seed=5)
    scoring = scoring_settings_for(organisation)
    now = timezone.now()
    earlier = now - timedelta(days=40)
    months = months_between(date(now.year - 1, now.month, 1), now.date())
    computed = compute(organisation, scoring=scoring, as_of=[now, earlier], trend_months=months)
    assert len(computed.grades) == 2
    # The same within rounding (1e-9): compute adds up all moments in one pass.
    assert_close(grades_for(organisation, as_of=earlier), computed.grades[1])
    first = timezone.make_aware(datetime(months[0].year, months[0].month, 1))
    answers = load_answers(organisation, start=first - timedelta(days=scoring.window_days), end=now)
    alone = trend(answers, settings=scoring, months=months, tz=timezone.get_current_timezone_name())
    for name in ("people", "teams", "organisation"):
        assert_frames_close(getattr(alone, name), getattr(computed.trend, name), name)
    assert len(computed.grades[0].people) > 0


def test_nothing_asked_nothing_read(org, django_assert_num_queries):
    scoring = scoring_settings_for(org.organisation)
    with django_assert_num_queries(0):
        computed = compute(org.organisation, scoring=scoring, as_of=[])
    assert computed.grades == () and computed.trend is None


def test_the_answer_kind_the_database_keeps_decodes_to_the_answer_s_own_codes(org):
    """``Answer.kind`` is computed by the database from the four strings; the lean read decodes
    it back into the engine's codes: every kind the questions can give comes back as itself."""
    from asiakaskunto.models import Answer
    from reports.compute import _decode_row
    from reports.scoring import AREAS, METHODS, METRICS, SCALES

    fill([org.team_a], people_per_team=2, seed=3)
    rows = list(Answer.objects.values_list("kind", "method", "area", "metric", "scale").distinct())
    assert len({row[1:] for row in rows}) >= 3
    for kind, method, area, metric, scale in rows:
        codes = [int(c[0]) for c in _decode_row(np.array([kind]))]
        assert codes == [
            SCALES.index(scale),
            AREAS.index(area) if area else -1,
            METRICS.index(metric) if metric else -1,
            METHODS.index(method),
        ]


def test_an_answer_of_an_unknown_kind_stops_the_lean_read(org):
    """An answer whose method (or area, metric, scale) is none the engine knows has a negative
    ``Answer.kind``; the lean read refuses it, as the row path does, instead of decoding a
    wrong question or value from the packed number it reads."""
    from asiakaskunto.models import Answer
    from reports.scoring import AnswersError

    fill([org.team_a], people_per_team=2, seed=3)
    scoring = scoring_settings_for(org.organisation)
    assert compute(org.organisation, scoring=scoring, as_of=[timezone.now()]).grades
    Answer.objects.filter(pk=Answer.objects.order_by("pk").values("pk")[:1]).update(method="PHONE")
    with pytest.raises(AnswersError, match="Unknown method"):
        compute(org.organisation, scoring=scoring, as_of=[timezone.now()])
