"""Properties of the scoring engine (hypothesis) and the trend's agreement with `grade`.

The answer tables are generated from a seed with numpy (fast, and hypothesis still explores
sizes, settings and seeds): up to a few dozen submissions of 3 salespeople (and team-link
surveys without salesperson) in 2 teams, spread over the year and a bit before `T`.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.scoring import (
    AREAS,
    LEVELS,
    METHODS,
    Grades,
    ScoringSettings,
    empty_answers_frame,
    grade,
    month_end,
    trend,
)

T = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
BANK = {
    "OBSERVATION": [
        ("OBS1", "ATTITUDE", "", "FIVE_POINT"),
        ("OBS2", "ATTITUDE", "", "FIVE_POINT"),
        ("OBS3", "SKILLS", "", "FIVE_POINT"),
        ("OBSYN", "KNOWLEDGE", "", "YES_PARTLY_NO"),
    ],
    "MYSTERY_SHOP": [
        ("MYS1", "KNOWLEDGE", "", "FIVE_POINT"),
        ("MYS2", "SKILLS", "", "FIVE_POINT"),
        ("MYS3", "ATTITUDE", "", "FIVE_POINT"),
    ],
    "CUSTOMER": [
        ("CUS1", "SKILLS", "", "FIVE_POINT"),
        ("CUS2", "LOYALTY", "", "FIVE_POINT"),
        ("CUS3", "LOYALTY", "NPS", "ELEVEN_POINT"),
        ("CSAT", "", "CSAT", "FIVE_POINT"),
        ("CES", "", "CES", "FIVE_POINT"),
    ],
}
SCALE_MAX = {"FIVE_POINT": 5, "ELEVEN_POINT": 10, "YES_PARTLY_NO": 2}
SCALE_MIN = {"FIVE_POINT": 1, "ELEVEN_POINT": 0, "YES_PARTLY_NO": 0}
FIXED_TEAMS = {1: 10, 2: 10, 3: 20}


def random_answers(
    seed: int,
    n_subs: int,
    *,
    end: datetime = T,
    span_days: float = 420,
    fixed_teams: bool = False,
) -> pd.DataFrame:
    """n_subs submissions with random methods, people, teams, times and answers."""
    rng = np.random.default_rng(seed)
    rows = []
    for sid in range(1, n_subs + 1):
        method = METHODS[rng.choice(3, p=[0.25, 0.2, 0.55])]
        person = [1, 2, 3, None][rng.choice(4, p=[0.35, 0.3, 0.25, 0.1])]
        if fixed_teams:
            team = FIXED_TEAMS.get(person, 10) if person else int(rng.choice([10, 20]))
        else:
            team = int(rng.choice([10, 20]))
        # Times on whole seconds, some exactly on window edges of the month ends.
        at = end - timedelta(seconds=int(rng.integers(0, int(span_days * 86_400))))
        questions = BANK[method]
        chosen = [q for q in questions if rng.random() < 0.7] or [questions[0]]
        for question, area, metric, scale in chosen:
            value = int(rng.integers(SCALE_MIN[scale], SCALE_MAX[scale] + 1))
            why = ["", "", "hyvä", "huono", "ok"][rng.integers(0, 5)]
            rows.append((sid, person, team, method, area, question, metric, scale, value, at, why))
    if not rows:
        return empty_answers_frame()
    df = pd.DataFrame(rows, columns=list(empty_answers_frame().columns))
    df["answered_at"] = pd.to_datetime(df["answered_at"], utc=True)
    return df.astype({c: t for c, t in empty_answers_frame().dtypes.items() if c != "answered_at"})


settings_strategy = st.builds(
    ScoringSettings,
    half_life_days=st.sampled_from([0.0, 30.0, 180.0]),
    window_days=st.sampled_from([60.0, 365.0]),
    min_customer_surveys=st.sampled_from([1, 5]),
)
seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(0, 40)
common = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def all_results(grades: Grades):
    yield from grades.people.values()
    yield from grades.teams.values()
    yield grades.organisation


@common
@given(seed=seeds, n=sizes, s=settings_strategy)
def test_every_score_and_interval_is_within_0_100(seed, n, s):
    grades = grade(random_answers(seed, n), settings=s, as_of=T)
    for result in all_results(grades):
        values = []
        for area in result.areas.values():
            values += [area.score, area.interval.low, area.interval.high]
            for m in area.methods.values():
                values += [m.score, m.interval.low, m.interval.high]
        values += [q.score for q in result.questions]
        if result.index is not None:
            assert result.index_interval.low <= result.index <= result.index_interval.high
            values += [result.index, result.index_interval.low, result.index_interval.high]
        assert all(-1e-9 <= v <= 100 + 1e-9 for v in values)
        assert result.level in LEVELS


@common
@given(seed=seeds, n=st.integers(1, 40), s=settings_strategy, pick=st.integers(0, 10**6))
def test_raising_one_answer_never_lowers_its_area_or_the_index(seed, n, s, pick):
    answers = random_answers(seed, n)
    scale_max = answers["scale"].map(SCALE_MAX)
    candidates = np.flatnonzero(
        ((answers["area"] != "") & (answers["value"] < scale_max)).to_numpy()
    )
    if not len(candidates):
        return
    row = candidates[pick % len(candidates)]
    raised = answers.copy()
    raised.loc[row, "value"] = raised.loc[row, "value"] + 1
    before, after = (grade(a, settings=s, as_of=T) for a in (answers, raised))
    area, person = answers.loc[row, "area"], answers.loc[row, "salesperson"]
    pairs = [(before.organisation, after.organisation)]
    if not pd.isna(person) and int(person) in before.people:
        pairs.append((before.people[int(person)], after.people[int(person)]))
    for b, a in pairs:
        if area in b.areas:
            assert a.areas[area].score >= b.areas[area].score - 1e-9
        if b.index is not None:
            assert a.index >= b.index - 1e-9


@common
@given(seed=seeds, n=sizes, s=settings_strategy, shuffle_seed=seeds)
def test_row_order_does_not_matter(seed, n, s, shuffle_seed):
    answers = random_answers(seed, n)
    shuffled = answers.sample(frac=1.0, random_state=shuffle_seed % 2**31).reset_index(drop=True)
    assert grade(shuffled, settings=s, as_of=T) == grade(answers, settings=s, as_of=T)


@common
@given(seed=seeds, n=sizes, s=settings_strategy, method=st.sampled_from(METHODS))
def test_removing_a_method_scores_like_giving_it_weight_zero(seed, n, s, method):
    """Scores only: the evidence counts (and so the level) differ by design, since a method
    with weight 0 still has submissions. Teams are fixed per person so membership is equal."""
    answers = random_answers(seed, n, fixed_teams=True)
    removed = grade(answers[answers["method"] != method], settings=s, as_of=T)
    weights = {**s.method_weights, method: 0.0}
    if sum(weights.values()) == 0:
        return
    zero = grade(
        answers, settings=ScoringSettings(**{**s.__dict__, "method_weights": weights}), as_of=T
    )
    pairs = [(removed.organisation, zero.organisation)]
    pairs += [(removed.teams[t], zero.teams[t]) for t in removed.teams]
    pairs += [(removed.people[p], zero.people[p]) for p in removed.people]
    for r, z in pairs:
        assert set(r.areas) == set(z.areas)
        for area in r.areas:
            assert z.areas[area].score == pytest.approx(r.areas[area].score, abs=1e-9)
            assert z.areas[area].se == pytest.approx(r.areas[area].se, abs=1e-9)
        if r.index is None:
            assert z.index is None
        else:
            assert z.index == pytest.approx(r.index, abs=1e-9)
    for p in set(zero.people) - set(removed.people):
        assert zero.people[p].index is None


# --- trend ------------------------------------------------------------------------------------


def close(a: float | None, b: float | None) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and not math.isnan(b) and abs(a - b) <= 1e-6


def assert_row_matches(row: pd.Series, result) -> None:
    assert row["level"] == result.level
    assert bool(row["provisional"]) == result.provisional
    assert close(row["index"], result.index)
    if result.index is not None:
        assert close(row["index_low"], result.index_interval.low)
        assert close(row["index_high"], result.index_interval.high)
        assert close(row["gap_to_target"], result.gap_to_target)
    assert row["reasons"] == ",".join(r["code"] for r in result.reasons)
    for area in AREAS:
        expected = result.areas.get(area)
        assert close(row[f"score_{area}"], expected.score if expected else None)
        if expected:
            assert close(row[f"low_{area}"], expected.interval.low)
            assert row[f"n_{area}"] == expected.n
    nps, csat, ces = (result.metrics[c] for c in ("NPS", "CSAT", "CES"))
    assert (row["nps_n"], row["csat_n"], row["ces_n"]) == (nps.n, csat.n, ces.n)
    assert close(row["nps"], nps.value) and close(row["csat"], csat.value)
    assert close(row["csat_mean"], csat.mean) and close(row["ces"], ces.value)
    assert row["customer_submissions"] == result.submissions_per_method["CUSTOMER"]


def assert_trend_equals_grade(answers: pd.DataFrame, s: ScoringSettings, months: list[date]):
    result = trend(answers, settings=s, months=months)
    assert result.months == months
    for month, as_of in zip(months, result.as_of, strict=True):
        assert as_of == month_end(month)
        grades = grade(answers, settings=s, as_of=as_of)
        people = result.people[result.people["month"] == month].set_index("salesperson")
        assert set(people.index) == set(grades.people)
        for pid, expected in grades.people.items():
            assert people.loc[pid, "team"] == expected.team
            assert_row_matches(people.loc[pid], expected)
        teams = result.teams[result.teams["month"] == month].set_index("team")
        assert set(teams.index) == set(grades.teams)
        groups = [(teams.loc[t], g) for t, g in grades.teams.items()]
        org = result.organisation[result.organisation["month"] == month]
        assert len(org) == 1
        groups.append((org.iloc[0], grades.organisation))
        for row, expected in groups:
            assert_row_matches(row, expected)
            assert row["member_count"] == expected.member_count
            assert close(row["share_at_or_above_target"], expected.share_at_or_above_target)
            for code in LEVELS:
                assert row[f"count_{code}"] == expected.level_distribution[code]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=seeds, n=sizes, s=settings_strategy, first=st.integers(1, 6), count=st.integers(1, 6))
def test_trend_equals_grade_at_each_month_end(seed, n, s, first, count):
    end = month_end(date(2025, 6, 1))
    answers = random_answers(seed, n, end=end, span_days=300)
    months = [date(2025, m, 1) for m in range(first, min(first + count, 7))]
    assert_trend_equals_grade(answers, s, months)


def test_trend_equals_grade_on_a_larger_table_with_answers_on_window_edges():
    """400 submissions over 15 months; some answers sit exactly on a month end and exactly
    on the start of a 365-day window, where inclusion is decided to the nanosecond."""
    end = month_end(date(2025, 6, 1))
    answers = random_answers(11, 400, end=end, span_days=450)
    edges = [month_end(date(2025, 3, 1)), month_end(date(2025, 3, 1)) - timedelta(days=365)]
    answers.loc[:19, "answered_at"] = pd.to_datetime([edges[i % 2] for i in range(20)], utc=True)
    answers = answers.sort_values("submission", kind="stable")
    months = [date(2024, m, 1) for m in range(7, 13)] + [date(2025, m, 1) for m in range(1, 7)]
    assert_trend_equals_grade(answers, ScoringSettings(), months)
    assert_trend_equals_grade(answers, ScoringSettings(half_life_days=0, window_days=90), months)


def test_trend_takes_a_start_and_end_and_month_ends_can_follow_a_time_zone():
    answers = random_answers(3, 50)
    result = trend(
        answers, settings=ScoringSettings(), start=date(2025, 1, 15), end=date(2025, 3, 2)
    )
    assert result.months == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    assert result.as_of[1] == datetime(2025, 2, 28, 23, 59, 59, 999999, tzinfo=UTC)
    helsinki = month_end(date(2025, 1, 1), "Europe/Helsinki")
    assert helsinki == datetime(2025, 1, 31, 21, 59, 59, 999999, tzinfo=UTC)
    assert len(result.organisation) == 3


def test_trend_of_an_empty_table_has_only_the_organisation():
    result = trend(empty_answers_frame(), settings=ScoringSettings(), months=[date(2025, 1, 1)])
    assert result.people.empty and result.teams.empty
    assert result.organisation["level"].tolist() == ["NOT_ENOUGH_DATA"]
