"""Worked examples of the scoring engine (DESIGN.md "Metrics" and "Scoring engine").

Every expected number is worked out by hand in the test's docstring. Unless a test says
otherwise, the answers are given at the moment of grading or with `half_life_days=0`, so that
every weight is 1 and the sums are the plain means of the normalised answers:
1–5 → (v − 1) × 25, 0–10 → v × 10, yes/partly/no → 100/50/0.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from reports.scoring import (
    AnswersError,
    ScoringSettings,
    add_months,
    empty_answers_frame,
    grade,
)

T = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
FLAT = ScoringSettings(half_life_days=0)

# question → (method, area, metric, scale)
BANK = {
    "OBS1": ("OBSERVATION", "ATTITUDE", "", "FIVE_POINT"),
    "OBS2": ("OBSERVATION", "ATTITUDE", "", "FIVE_POINT"),
    "OBS3": ("OBSERVATION", "SKILLS", "", "FIVE_POINT"),
    "OBSYN": ("OBSERVATION", "SKILLS", "", "YES_PARTLY_NO"),
    "MYS1": ("MYSTERY_SHOP", "KNOWLEDGE", "", "FIVE_POINT"),
    "MYS2": ("MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT"),
    "MYS3": ("MYSTERY_SHOP", "ATTITUDE", "", "FIVE_POINT"),
    "CUS1": ("CUSTOMER", "SKILLS", "", "FIVE_POINT"),
    "CUS2": ("CUSTOMER", "LOYALTY", "", "FIVE_POINT"),
    "CUS3": ("CUSTOMER", "LOYALTY", "NPS", "ELEVEN_POINT"),
    "CSAT": ("CUSTOMER", "", "CSAT", "FIVE_POINT"),
    "CES": ("CUSTOMER", "", "CES", "FIVE_POINT"),
}


class Answers:
    """Builds an answers table one submission at a time."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.next_id = 1

    def submit(
        self,
        values: dict[str, float],
        *,
        person: int | None = 1,
        team: int = 10,
        at: datetime = T,
        whys: dict[str, str] | None = None,
    ) -> Answers:
        methods = {BANK[q][0] for q in values}
        assert len(methods) == 1, "one submission has one method"
        for question, value in values.items():
            method, area, metric, scale = BANK[question]
            self.rows.append(
                {
                    "submission": self.next_id,
                    "salesperson": person,
                    "team": team,
                    "method": method,
                    "area": area,
                    "question": question,
                    "metric": metric,
                    "scale": scale,
                    "value": float(value),
                    "answered_at": at,
                    "why": (whys or {}).get(question, ""),
                }
            )
        self.next_id += 1
        return self

    def customers(self, n: int, **values_and_options) -> Answers:
        """n customer surveys; a list value gives one value per survey."""
        options = {k: values_and_options.pop(k) for k in ("person", "team", "at")
                   if k in values_and_options}  # fmt: skip
        for i in range(n):
            values = {
                q: (v[i] if isinstance(v, list) else v) for q, v in values_and_options.items()
            }
            self.submit(values, **options)
        return self

    def frame(self) -> pd.DataFrame:
        empty = empty_answers_frame()
        if not self.rows:
            return empty
        df = pd.DataFrame(self.rows)
        df["answered_at"] = pd.to_datetime(df["answered_at"], utc=True)
        return df.astype({c: t for c, t in empty.dtypes.items() if c != "answered_at"})


def person_with_areas(knowledge: int, skills: list[int], attitude: int, loyalty: list[int]):
    """One mystery shop (MYS1 = knowledge), one observation (OBS1 = attitude) and five customer
    surveys (CUS1 = skills, CUS2 = loyalty), all raw 1–5 answers at T."""
    return (
        Answers()
        .submit({"MYS1": knowledge})
        .submit({"OBS1": attitude})
        .customers(5, CUS1=skills, CUS2=loyalty)
    )


def level_of(answers: Answers, settings: ScoringSettings = FLAT) -> str:
    return grade(answers.frame(), settings=settings, as_of=T).people[1].level


# --- normalisation -------------------------------------------------------------------------


def test_it_normalises_each_scale_to_0_100():
    """OBS1 = 4 on 1–5 → (4 − 1) × 25 = 75; CUS3 = 7 on 0–10 → 70; yes/partly/no 2/1/0 →
    100/50/0, so OBSYN answers 2 and 1 average to 75."""
    a = Answers().submit({"OBS1": 4, "OBSYN": 2}).submit({"OBSYN": 1}).submit({"CUS3": 7})
    result = grade(a.frame(), settings=FLAT, as_of=T).people[1]
    assert result.areas["ATTITUDE"].score == 75
    assert result.areas["LOYALTY"].score == 70
    assert result.areas["SKILLS"].methods["OBSERVATION"].score == 75


# --- levels --------------------------------------------------------------------------------


def test_index_exactly_75_with_lowest_area_exactly_65_is_erinomainen():
    """KNOWLEDGE = (4−1)×25 = 75; SKILLS = mean(100,100,100,75,50) = 85; ATTITUDE = 75;
    LOYALTY = mean(75,75,50,50,75) = 65. Index = (75+85+75+65)/4 = 75 ≥ 75 and every area
    ≥ 65 → ERINOMAINEN (IHAN_PARAS needs 90)."""
    result = grade(
        person_with_areas(4, [5, 5, 5, 4, 3], 4, [4, 4, 3, 3, 4]).frame(), settings=FLAT, as_of=T
    ).people[1]
    assert result.index == pytest.approx(75)
    assert {a: s.score for a, s in result.areas.items()} == pytest.approx(
        {"KNOWLEDGE": 75, "SKILLS": 85, "ATTITUDE": 75, "LOYALTY": 65}
    )
    assert result.level == "ERINOMAINEN"
    assert result.gap_to_target == pytest.approx(0)
    assert result.reasons == []


def test_an_index_just_below_75_is_hyva():
    """As above with one CUS1 answer 4 instead of 5: SKILLS = 80, index = 295/4 = 73.75 → HYVA."""
    assert level_of(person_with_areas(4, [5, 5, 4, 4, 3], 4, [4, 4, 3, 3, 4])) == "HYVA"


def test_index_exactly_90_with_lowest_area_exactly_80_is_ihan_paras():
    """KNOWLEDGE 100, SKILLS mean(100,100,100,50,50) = 80, ATTITUDE 100,
    LOYALTY mean(75,75,75,100,75) = 80 → index (100+80+100+80)/4 = 90 → IHAN_PARAS."""
    a = person_with_areas(5, [5, 5, 5, 3, 3], 5, [4, 4, 4, 5, 4])
    assert level_of(a) == "IHAN_PARAS"


def test_index_exactly_60_with_lowest_area_exactly_50_is_hyva():
    """KNOWLEDGE 50, SKILLS 80, ATTITUDE 50, LOYALTY mean(75,75,50,50,50) = 60 →
    index 240/4 = 60 → HYVA; with KNOWLEDGE 25 the index is 53.75 → KEHITETTAVAA."""
    assert level_of(person_with_areas(3, [5, 5, 5, 3, 3], 3, [4, 4, 3, 3, 3])) == "HYVA"
    assert level_of(person_with_areas(2, [5, 5, 5, 3, 3], 3, [4, 4, 3, 3, 3])) == "KEHITETTAVAA"


def test_one_area_below_the_floors_demotes_a_high_index():
    """KNOWLEDGE 100, SKILLS 100, ATTITUDE 100, LOYALTY mean(50,50,50,75,75) = 60:
    index 90 would be IHAN_PARAS, but LOYALTY 60 is below the floors 80 and 65 → HYVA."""
    a = person_with_areas(5, [5] * 5, 5, [3, 3, 3, 4, 4])
    result = grade(a.frame(), settings=FLAT, as_of=T).people[1]
    assert result.index == pytest.approx(90)
    assert result.level == "HYVA"


def test_the_target_level_sets_the_gap_to_target():
    """Index 75 (the first example) is 15 below IHAN_PARAS's 90 and 15 above HYVA's 60."""
    a = person_with_areas(4, [5, 5, 5, 4, 3], 4, [4, 4, 3, 3, 4]).frame()
    top = grade(a, settings=ScoringSettings(half_life_days=0, target_level="IHAN_PARAS"), as_of=T)
    low = grade(a, settings=ScoringSettings(half_life_days=0, target_level="HYVA"), as_of=T)
    assert top.people[1].gap_to_target == pytest.approx(15)
    assert low.people[1].gap_to_target == pytest.approx(-15)


# --- provisional -----------------------------------------------------------------------------


def test_a_level_resting_on_single_answers_is_provisional():
    """A single answer gets sd 50 (se 50), so KNOWLEDGE and ATTITUDE intervals span 0–100 and
    the ERINOMAINEN of the index-75 example could be lower: provisional."""
    result = grade(
        person_with_areas(4, [5, 5, 5, 4, 3], 4, [4, 4, 3, 3, 4]).frame(), settings=FLAT, as_of=T
    ).people[1]
    assert result.areas["KNOWLEDGE"].interval.low == 0
    assert result.areas["KNOWLEDGE"].interval.high == 100
    assert result.provisional


def test_a_level_on_consistent_answers_is_not_provisional():
    """Every area from identical answers: sd 0, so every interval is the score itself.
    KNOWLEDGE 75 (two MYS1 = 4), ATTITUDE 75 (two OBS1 = 4), SKILLS 75, LOYALTY 75 (five
    customers CUS1 = CUS2 = 4): index 75 → ERINOMAINEN, and the intervals [75, 75] neither
    fall below 75/65 nor reach 90/80 → not provisional."""
    a = (
        Answers()
        .submit({"MYS1": 4})
        .submit({"MYS1": 4})
        .submit({"OBS1": 4})
        .submit({"OBS1": 4})
        .customers(5, CUS1=4, CUS2=4)
    )
    result = grade(a.frame(), settings=FLAT, as_of=T).people[1]
    assert result.level == "ERINOMAINEN"
    assert result.index_interval.low == pytest.approx(75)
    assert result.index_interval.high == pytest.approx(75)
    assert not result.provisional


def test_the_interval_uses_kish_effective_n_and_z_for_90_percent():
    """OBS1 answers 5, 3 (100, 50), equal weights: mean 75, sd √(((25)²+(25)²)/2) = 25,
    n_eff = 2²/2 = 2, se = 25/√2 = 17.678; interval 75 ± 1.6449 × 17.678 = [45.92, 100]."""
    a = Answers().submit({"OBS1": 5}).submit({"OBS1": 3})
    m = grade(a.frame(), settings=FLAT, as_of=T).people[1].areas["ATTITUDE"].methods["OBSERVATION"]
    assert m.n_eff == pytest.approx(2)
    assert m.se == pytest.approx(25 / 2**0.5)
    assert m.interval.low == pytest.approx(75 - 1.6448536 * 25 / 2**0.5)
    assert m.interval.high == 100


# --- renormalisation and weighting -------------------------------------------------------------


def test_method_weights_are_renormalised_over_the_methods_in_the_area():
    """SKILLS from observation OBS3 = 3 (50) and customers CUS1 = 5 (100), no mystery shop:
    weights 0.2/0.7 and 0.5/0.7 → (0.2×50 + 0.5×100)/0.7 = 85.714…; adding a mystery shop
    MYS2 = 1 (0) uses all three: 0.2×50 + 0.3×0 + 0.5×100 = 60."""
    a = Answers().submit({"OBS3": 3}).customers(5, CUS1=5)
    skills = grade(a.frame(), settings=FLAT, as_of=T).people[1].areas["SKILLS"]
    assert skills.score == pytest.approx(60 / 0.7)
    assert skills.methods["OBSERVATION"].weight == pytest.approx(0.2 / 0.7)
    a.submit({"MYS2": 1})
    assert grade(a.frame(), settings=FLAT, as_of=T).people[1].areas["SKILLS"].score == (
        pytest.approx(60)
    )


def test_area_weights_are_renormalised_over_the_areas_with_answers():
    """Only ATTITUDE (OBS1 = 5 → 100) and LOYALTY (CUS2 = 1 → 0): index = (100 + 0)/2 = 50."""
    a = Answers().submit({"OBS1": 5}).customers(5, CUS2=1)
    assert grade(a.frame(), settings=FLAT, as_of=T).people[1].index == pytest.approx(50)


def test_an_answer_180_days_old_weighs_half():
    """OBS1 = 5 (100) at T and OBS1 = 1 (0) at T − 180 d: weights 1 and 0.5, mean =
    100/1.5 = 66.67, Σw = 1.5; with half_life 0 every weight is 1: mean 50, Σw = 2."""
    a = Answers().submit({"OBS1": 5}).submit({"OBS1": 1}, at=T - timedelta(days=180))
    m = grade(a.frame(), settings=ScoringSettings(), as_of=T).people[1].areas["ATTITUDE"]
    assert m.methods["OBSERVATION"].weight_sum == pytest.approx(1.5)
    assert m.score == pytest.approx(100 / 1.5)
    flat = grade(a.frame(), settings=FLAT, as_of=T).people[1].areas["ATTITUDE"]
    assert flat.methods["OBSERVATION"].weight_sum == 2
    assert flat.score == 50


def test_age_is_measured_in_fractional_days():
    """An answer 90 days and 12 hours old weighs 0.5^(90.5/180)."""
    a = Answers().submit({"OBS1": 5}, at=T - timedelta(days=90, hours=12))
    m = grade(a.frame(), settings=ScoringSettings(), as_of=T).people[1].areas["ATTITUDE"]
    assert m.methods["OBSERVATION"].weight_sum == pytest.approx(0.5 ** (90.5 / 180))


def test_the_window_includes_both_ends():
    """Window T − 365 d ≤ answered_at ≤ T: answers exactly at both ends count (OBS1 = 5 and 3
    → mean 75, n 2); one microsecond before the start or after T does not."""
    start = T - timedelta(days=365)
    a = (
        Answers()
        .submit({"OBS1": 5}, at=start)
        .submit({"OBS1": 3}, at=T)
        .submit({"OBS1": 1}, at=start - timedelta(microseconds=1))
        .submit({"OBS1": 1}, at=T + timedelta(microseconds=1))
    )
    area = grade(a.frame(), settings=FLAT, as_of=T).people[1].areas["ATTITUDE"]
    assert (area.score, area.n) == (75, 2)


# --- metrics --------------------------------------------------------------------------------


def test_nps_counts_promoters_passives_and_detractors():
    """CUS3 = 10, 9, 8, 7, 6, 0: promoters 2 (9–10), passives 2 (7–8), detractors 2 (0–6):
    NPS = (2 − 2)/6 × 100 = 0; 10, 9, 9, 6, 8 → (3 − 1)/5 × 100 = 40."""
    a = Answers().customers(6, CUS3=[10, 9, 8, 7, 6, 0])
    nps = grade(a.frame(), settings=FLAT, as_of=T).people[1].metrics["NPS"]
    assert (nps.value, nps.n, nps.promoters, nps.passives, nps.detractors) == (0, 6, 2, 2, 2)
    assert not nps.too_few
    b = Answers().customers(5, CUS3=[10, 9, 9, 6, 8])
    assert grade(b.frame(), settings=FLAT, as_of=T).people[1].metrics["NPS"].value == 40


def test_csat_is_the_share_of_4_and_5_and_its_mean():
    """CSAT 5, 4, 3, 2, 1: 2 of 5 are 4–5 → 40 %; mean 3."""
    a = Answers().customers(5, CSAT=[5, 4, 3, 2, 1])
    csat = grade(a.frame(), settings=FLAT, as_of=T).people[1].metrics["CSAT"]
    assert (csat.value, csat.mean, csat.n, csat.too_few) == (40, 3, 5, False)


def test_ces_is_the_mean_and_metrics_are_unweighted():
    """CES 5 at T and 2 at T − 180 d: recency weighting does not apply, mean (5 + 2)/2 = 3.5."""
    a = Answers().submit({"CES": 5}).submit({"CES": 2}, at=T - timedelta(days=180))
    ces = grade(a.frame(), settings=ScoringSettings(), as_of=T).people[1].metrics["CES"]
    assert (ces.value, ces.n) == (3.5, 2)


def test_a_metric_with_fewer_than_5_answers_is_too_few_but_still_computed():
    """CSAT 5, 5, 4, 1: n = 4 < 5 → too_few; the value 75 % is still there. No CES: n 0,
    value None."""
    a = Answers().customers(4, CSAT=[5, 5, 4, 1])
    metrics = grade(a.frame(), settings=FLAT, as_of=T).people[1].metrics
    assert metrics["CSAT"].too_few and metrics["CSAT"].value == 75
    assert metrics["CES"].n == 0 and metrics["CES"].value is None and metrics["CES"].too_few


# --- evidence first ---------------------------------------------------------------------------


def test_fewer_than_5_customer_surveys_is_not_enough_data():
    """3 customer surveys and 1 observation: FEW_CUSTOMER_SURVEYS have 3 need 5; the scores
    are still computed (index of ATTITUDE 100 and SKILLS 100 = 100)."""
    a = Answers().submit({"OBS1": 5}).customers(3, CUS1=5)
    result = grade(a.frame(), settings=FLAT, as_of=T).people[1]
    assert result.level == "NOT_ENOUGH_DATA"
    assert result.reasons == [{"code": "FEW_CUSTOMER_SURVEYS", "have": 3, "need": 5}]
    assert result.index == 100
    assert not result.provisional


def test_one_method_only_is_not_enough_data():
    """5 customer surveys only: methods 1 < 2 → FEW_METHODS have 1 need 2."""
    result = grade(Answers().customers(5, CUS1=5).frame(), settings=FLAT, as_of=T).people[1]
    assert result.level == "NOT_ENOUGH_DATA"
    assert result.reasons == [{"code": "FEW_METHODS", "have": 1, "need": 2}]


def test_both_reasons_are_given_when_both_apply():
    """2 customer surveys only: both reasons."""
    result = grade(Answers().customers(2, CUS1=5).frame(), settings=FLAT, as_of=T).people[1]
    assert [r["code"] for r in result.reasons] == ["FEW_CUSTOMER_SURVEYS", "FEW_METHODS"]


def test_old_submissions_do_not_count_as_evidence():
    """5 customer surveys of which 1 is 400 days old → 4 in the window: not enough data."""
    a = Answers().submit({"OBS1": 5}).customers(4, CUS1=5)
    a.submit({"CUS1": 5}, at=T - timedelta(days=400))
    result = grade(a.frame(), settings=FLAT, as_of=T).people[1]
    assert result.reasons == [{"code": "FEW_CUSTOMER_SURVEYS", "have": 4, "need": 5}]
    assert result.submissions_per_method == {"OBSERVATION": 1, "MYSTERY_SHOP": 0, "CUSTOMER": 4}


def test_metric_only_answers_give_no_index():
    """An observation and 5 surveys that only answer CSAT: evidence is there but no area has
    answers → NOT_ENOUGH_DATA with NO_SCORED_ANSWERS."""
    a = Answers().submit({"CSAT": 5}, person=1).customers(5, CSAT=5)
    a.rows[0]["method"] = "OBSERVATION"
    result = grade(a.frame(), settings=FLAT, as_of=T).people[1]
    assert result.reasons == [{"code": "NO_SCORED_ANSWERS"}]
    assert result.index is None and result.gap_to_target is None


# --- teams and organisation ---------------------------------------------------------------------


def team_example() -> Answers:
    """Team 10: salesperson 1 (ERINOMAINEN, the index-75 example), salesperson 2 (3 customer
    surveys: NOT_ENOUGH_DATA) and two team-link surveys without salesperson (CUS2 = 1 → 0).
    Team 20: salesperson 3 (IHAN_PARAS example)."""
    a = person_with_areas(4, [5, 5, 5, 4, 3], 4, [4, 4, 3, 3, 4])
    a.submit({"OBS1": 2}, person=2).customers(3, CUS1=5, CUS2=5, person=2)
    a.customers(2, CUS2=1, person=None, team=10)
    b = person_with_areas(5, [5, 5, 5, 3, 3], 5, [4, 4, 4, 5, 4])
    for row in b.rows:
        row.update(salesperson=3, team=20, submission=row["submission"] + 1000)
    a.rows += b.rows
    return a


def test_a_team_pools_its_members_and_its_answers_without_salesperson():
    """Team 10 LOYALTY pools person 1's CUS2 (75,75,50,50,75), person 2's (100,100,100) and the
    team link's (0, 0): (325 + 300 + 0)/10 = 62.5. ATTITUDE: OBS1 75 and 25 → 50. Customer surveys
    5 + 3 + 2 = 10, methods 3 → graded."""
    grades = grade(team_example().frame(), settings=FLAT, as_of=T)
    team = grades.teams[10]
    assert team.areas["LOYALTY"].score == pytest.approx(62.5)
    assert team.areas["ATTITUDE"].score == pytest.approx(50)
    assert team.submissions_per_method["CUSTOMER"] == 10
    assert team.level != "NOT_ENOUGH_DATA"
    assert set(grades.people) == {1, 2, 3}
    assert grades.organisation.submissions_per_method["CUSTOMER"] == 15


def test_level_distribution_and_share_at_or_above_target():
    """Team 10: members 1 (ERINOMAINEN) and 2 (NOT_ENOUGH_DATA): share at or above the target
    ERINOMAINEN among graded members = 1/1, over all members 1/2. Organisation: also 3
    (IHAN_PARAS) → 2/2 and 2/3."""
    grades = grade(team_example().frame(), settings=FLAT, as_of=T)
    team = grades.teams[10]
    assert team.level_distribution == {
        "IHAN_PARAS": 0,
        "ERINOMAINEN": 1,
        "HYVA": 0,
        "KEHITETTAVAA": 0,
        "NOT_ENOUGH_DATA": 1,
    }
    assert (team.member_count, team.graded_count, team.at_or_above_target_count) == (2, 1, 1)
    assert team.share_at_or_above_target == 1
    assert team.share_at_or_above_target_of_all == 0.5
    org = grades.organisation
    assert org.team is None
    assert org.level_distribution["IHAN_PARAS"] == 1
    assert (org.share_at_or_above_target, org.share_at_or_above_target_of_all) == (1, 2 / 3)


def test_a_salesperson_belongs_to_the_team_of_their_latest_answer():
    """Salesperson 1 answered for team 10 last month and team 20 today: member of team 20,
    and team 20's pool holds both answers (OBS1 5 and 1 → 50); team 10 has no pool left."""
    a = Answers().submit({"OBS1": 5}, team=10, at=T - timedelta(days=30))
    a.submit({"OBS1": 1}, team=20)
    grades = grade(a.frame(), settings=FLAT, as_of=T)
    assert grades.people[1].team == 20
    assert grades.teams[20].member_count == 1
    assert grades.teams[20].areas["ATTITUDE"].score == 50
    assert 10 not in grades.teams


# --- development targets ----------------------------------------------------------------------


def test_development_targets_are_areas_and_questions_below_the_floor_largest_gap_first():
    """Target ERINOMAINEN, floor 65. ATTITUDE: OBS1 = 1 (0), OBS2 = 3 (50) → 25, gap 40;
    KNOWLEDGE: MYS1 = 3 → 50, gap 15; SKILLS CUS1 = 5 → 100 and LOYALTY CUS2 = 4 → 75 are
    fine. Within ATTITUDE: OBS1 (gap 65) before OBS2 (gap 15)."""
    a = Answers().submit({"OBS1": 1, "OBS2": 3}).submit({"MYS1": 3}).customers(5, CUS1=5, CUS2=4)
    targets = grade(a.frame(), settings=FLAT, as_of=T).people[1].targets
    assert [(t.area, t.score, t.gap) for t in targets] == [
        ("ATTITUDE", 25, 40),
        ("KNOWLEDGE", 50, 15),
    ]
    assert [(q.question, q.score, q.gap) for q in targets[0].questions] == [
        ("OBS1", 0, 65),
        ("OBS2", 50, 15),
    ]


def test_each_target_question_brings_its_3_latest_non_empty_whys_newest_first():
    """OBS1 answered 5 times with notes a (oldest), b, "" , c, "  " (newest): the latest
    non-empty are c, b, a."""
    a = Answers()
    for days, note in ((5, "a"), (4, "b"), (3, ""), (2, "c"), (1, "  ")):
        a.submit({"OBS1": 1}, at=T - timedelta(days=days), whys={"OBS1": note})
    a.submit({"OBS1": 2}, at=T - timedelta(days=9), whys={"OBS1": "too old to show"})
    a.customers(5, CUS1=5)
    question = grade(a.frame(), settings=FLAT, as_of=T).people[1].targets[0].questions[0]
    assert [w.text for w in question.whys] == ["c", "b", "a"]
    assert question.whys[0].answered_at == T - timedelta(days=2)
    team_question = grade(a.frame(), settings=FLAT, as_of=T).teams[10].targets[0].questions[0]
    assert [w.text for w in team_question.whys] == ["c", "b", "a"]


def test_a_targets_whys_are_the_answers_that_explain_the_gap_never_praise():
    """OBS1 (floor of ERINOMAINEN is 65): five answers, 1 "worst" (4 days ago), 2 "bad"
    (1 day ago), 2 "bad too" (3 days ago), 5 "praise" (newest) and 4 "fine" (75 ≥ 65). The area
    is below the floor; its evidence is the answers below the floor, the lowest first and the
    latest first among equals: worst, bad, bad too. The praise and the 4 are not quoted."""
    a = Answers()
    for days, value, note in (
        (4, 1, "worst"),
        (1, 2, "bad"),
        (3, 2, "bad too"),
        (0, 5, "praise"),
        (2, 4, "fine"),
    ):
        a.submit({"OBS1": value}, at=T - timedelta(days=days), whys={"OBS1": note})
    a.customers(5, CUS1=5)
    question = grade(a.frame(), settings=FLAT, as_of=T).people[1].targets[0].questions[0]
    assert question.score < 65
    assert [(w.text, w.value, w.score) for w in question.whys] == [
        ("worst", 1, 0),
        ("bad", 2, 25),
        ("bad too", 2, 25),
    ]


# --- edges of the contract -------------------------------------------------------------------


def test_an_empty_table_grades_nothing_and_the_organisation_has_not_enough_data():
    grades = grade(empty_answers_frame(), settings=ScoringSettings(), as_of=T)
    assert grades.people == {} and grades.teams == {}
    org = grades.organisation
    assert org.level == "NOT_ENOUGH_DATA"
    assert org.member_count == 0 and org.share_at_or_above_target is None
    assert org.index is None and org.areas == {}


def test_people_without_answers_in_the_window_get_no_result():
    a = Answers().submit({"OBS1": 5}, at=T - timedelta(days=400))
    assert grade(a.frame(), settings=FLAT, as_of=T).people == {}


def test_bad_input_is_refused_with_a_clear_message():
    frame = Answers().submit({"OBS1": 5}).frame()
    with pytest.raises(AnswersError, match="Missing columns: why"):
        grade(frame.drop(columns="why"), settings=FLAT, as_of=T)
    off = frame.assign(value=6.0)
    with pytest.raises(AnswersError, match="not on the scale FIVE_POINT"):
        grade(off, settings=FLAT, as_of=T)
    with pytest.raises(AnswersError, match="Unknown method values: PHONE"):
        grade(frame.assign(method="PHONE"), settings=FLAT, as_of=T)
    with pytest.raises(ValueError, match="timezone-aware"):
        grade(frame, settings=FLAT, as_of=datetime(2025, 1, 1))


# --- settings -------------------------------------------------------------------------------


def test_default_settings_match_the_design():
    s = ScoringSettings()
    assert (s.window_days, s.half_life_days, s.confidence) == (365, 180, 0.90)
    assert s.method_weights == {"OBSERVATION": 0.2, "MYSTERY_SHOP": 0.3, "CUSTOMER": 0.5}
    assert s.levels["ERINOMAINEN"].index_at_least == 75
    assert s.levels["ERINOMAINEN"].no_area_below == 65
    assert (s.min_customer_surveys, s.min_methods, s.min_n_for_metrics) == (5, 2, 5)
    assert s.target_level == "ERINOMAINEN"
    assert s.validate() == []


def test_settings_survive_a_json_round_trip_and_missing_keys_take_defaults():
    s = ScoringSettings(half_life_days=90, method_weights={"OBSERVATION": 1, "CUSTOMER": 1})
    assert ScoringSettings.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    partial = ScoringSettings.from_dict(
        {"window_days": 180, "levels": {"HYVA": {"index_at_least": 55}}}
    )
    assert partial.window_days == 180
    assert partial.levels["HYVA"].index_at_least == 55
    assert partial.levels["HYVA"].no_area_below == 50
    assert partial.method_weights == ScoringSettings().method_weights
    assert ScoringSettings.from_dict({}) == ScoringSettings()


def test_validate_lists_every_problem():
    bad = ScoringSettings.from_dict(
        {
            "method_weights": {"OBSERVATION": -1},
            "area_weights": {"KNOWLEDGE": 0, "SKILLS": 0, "ATTITUDE": 0, "LOYALTY": 0},
            "levels": {"HYVA": {"index_at_least": 80, "no_area_below": 101}},
            "window_days": 0,
            "half_life_days": -1,
            "min_methods": -1,
            "target_level": "BEST",
        }
    )
    problems = "\n".join(bad.validate())
    for text in (
        "method weights must not be negative",
        "area weights must have a positive sum",
        "floor threshold of HYVA",
        "Index thresholds must be ordered",
        "Area floors must be ordered",
        "window",
        "half-life",
        "min_methods",
        "target level",
    ):
        assert text in problems


def test_zero_method_weight_leaves_the_method_out_of_the_score():
    """SKILLS OBS3 = 1 (0) and CUS1 = 5 (100): default 60/0.7·… = 71.43; observation weight 0
    → 100."""
    a = Answers().submit({"OBS3": 1}).customers(5, CUS1=5)
    s = ScoringSettings(
        half_life_days=0, method_weights={"OBSERVATION": 0, "MYSTERY_SHOP": 0.3, "CUSTOMER": 0.5}
    )
    assert grade(a.frame(), settings=s, as_of=T).people[1].areas["SKILLS"].score == 100
    assert np.isclose(
        grade(a.frame(), settings=FLAT, as_of=T).people[1].areas["SKILLS"].score, 50 / 0.7
    )


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 1)),
        (date(2025, 12, 5), 1, date(2026, 1, 1)),
        (date(2025, 1, 1), -1, date(2024, 12, 1)),
        (date(2025, 3, 1), -26, date(2023, 1, 1)),
        (date(2025, 3, 1), 0, date(2025, 3, 1)),
    ],
)
def test_add_months_counts_calendar_months_across_years(month, count, expected):
    assert add_months(month, count) == expected


def test_the_trend_s_reasons_name_every_flag_set_in_order():
    """The trend's "reasons" column: the NOT_ENOUGH_DATA reasons of each row, comma-separated in
    the order of a result's reasons, "" when none applies (every combination of the flags)."""
    from types import SimpleNamespace

    from reports.scoring.trend import _reasons

    bits = np.arange(8).reshape(2, 4)
    flags = SimpleNamespace(
        level=bits,
        few_customer=bits & 1 > 0,
        few_methods=bits & 2 > 0,
        no_scored=bits & 4 > 0,
    )
    assert _reasons(flags).ravel().tolist() == [
        "",
        "FEW_CUSTOMER_SURVEYS",
        "FEW_METHODS",
        "FEW_CUSTOMER_SURVEYS,FEW_METHODS",
        "NO_SCORED_ANSWERS",
        "FEW_CUSTOMER_SURVEYS,NO_SCORED_ANSWERS",
        "FEW_METHODS,NO_SCORED_ANSWERS",
        "FEW_CUSTOMER_SURVEYS,FEW_METHODS,NO_SCORED_ANSWERS",
    ]


def test_whys_are_the_lowest_then_latest_then_larger_submission_then_by_text():
    """Up to MAX_WHYS whys per entity and question: the lowest score first, among equal scores
    the latest, then the larger submission, then (two answers of one submission) the text; a
    salesperson's whys count for their team and the organisation too."""
    from reports.scoring.grading import MAX_WHYS, WhyRows, _why, _whys

    day = 86_400 * 10**9
    rows = [  # (unit, score, day, submission, text)
        (0, 20.0, 5, 1, "a"),
        (0, 10.0, 1, 2, "b"),
        (0, 20.0, 9, 3, "c"),
        (0, 20.0, 9, 4, "e"),
        (0, 20.0, 9, 4, "d"),
        (1, 0.0, 2, 5, "f"),
    ]
    unit, score, days, sub, text = (list(c) for c in zip(*rows, strict=True))
    whys = WhyRows(
        unit=np.array(unit),
        combo=np.zeros(len(rows), dtype=np.int64),
        at_ns=np.array(days) * day,
        submission=np.array(sub),
        text=np.array(text, dtype=object),
        score=np.array(score),
        raw=np.array(score) / 25,
    )
    # people 0 and 1 in team 0: entities 0, 1, team 2, organisation 3; one combo
    found = _whys(whys, np.array([0, 0]), np.array([0, 1, 2, 3]), 1, 2, 1)
    texts = {key: [w[0] for w in found[key]] for key in found}  # (text, µs, score, value)
    assert MAX_WHYS == 3
    assert texts == {0: ["b", "d", "e"], 1: ["f"], 2: ["f", "b", "d"], 3: ["f", "b", "d"]}
    assert _why(found[0][0]).answered_at == datetime(1970, 1, 2, tzinfo=UTC)
    assert _whys(whys, np.array([0, 0]), np.array([1]), 1, 2, 1).keys() == {1}
