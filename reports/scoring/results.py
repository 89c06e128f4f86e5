"""The engine's output: plain dataclasses (no pandas, no Django) that views, exports and
templates read directly. `Grades` is what `grade()` returns.

They are values: nothing changes one after the engine built it. They are not declared
``frozen`` because a frozen dataclass's ``__init__`` (and its unpickling) sets every field through
``object.__setattr__``, three times as slow as a plain one, and a whole organisation's results
are some 200,000 of them built per recompute and unpickled per page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(slots=True, kw_only=True)
class Interval:
    """A two-sided interval (settings.confidence, 90 % by default), clipped to 0–100."""

    low: float
    high: float


@dataclass(slots=True, kw_only=True)
class MethodScore:
    """One method's recency-weighted mean of the normalised answers in one area.

    `n` answers, `weight_sum` Σw, `n_eff` Kish effective n (Σw)²/Σw², `se` the standard error,
    `weight` the method's weight within the area after renormalisation over present methods.
    """

    method: str
    score: float
    n: int
    weight_sum: float
    n_eff: float
    se: float
    interval: Interval
    weight: float


@dataclass(slots=True, kw_only=True)
class AreaScore:
    """Area score = Σ weight_m × method mean over the methods present (weights renormalised).

    `n` answers in the area over all methods; `weight` the area's share of the index after
    renormalisation over the areas that have a score (0 if its setting weight is 0).
    """

    area: str
    score: float
    n: int
    se: float
    interval: Interval
    weight: float
    methods: dict[str, MethodScore]


@dataclass(slots=True, kw_only=True)
class QuestionScore:
    """One question's recency-weighted mean of the normalised answers (a development detail)."""

    question: str
    area: str
    method: str
    score: float
    n: int
    weight_sum: float


@dataclass(slots=True, kw_only=True)
class Metric:
    """NPS, CSAT or CES over the window, every answer once (no recency weighting).

    `value`: NPS (−100…100), CSAT share of 4–5 answers in %, CES mean; `mean` the mean raw
    answer (for CES equal to `value`); both None when n = 0. `too_few` is n < min_n_for_metrics:
    the value is still computed, the page shows "too few answers". NPS also gives the counts
    of promoters, passives and detractors (None for CSAT/CES).
    """

    code: str
    n: int
    value: float | None
    mean: float | None
    too_few: bool
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None


@dataclass(slots=True, kw_only=True)
class Why:
    """One non-empty "Miksi?" / note text, when it was answered, and the answer it explains:
    its normalised ``score`` (0–100) and the raw ``value`` given."""

    text: str
    answered_at: datetime
    score: float | None = None
    value: float | None = None


@dataclass(slots=True, kw_only=True)
class QuestionTarget:
    """A question below the target level's floor: gap = floor − score (> 0), with up to 3 why
    texts in the window that explain the gap: of answers scored below the floor, the
    lowest-scoring first, then the latest."""

    question: str
    method: str
    score: float
    floor: float
    gap: float
    whys: list[Why]


@dataclass(slots=True, kw_only=True)
class AreaTarget:
    """An area below the target level's floor, gap = floor − score, with its questions that
    are below the same floor (largest gap first)."""

    area: str
    score: float
    floor: float
    gap: float
    questions: list[QuestionTarget]


@dataclass(slots=True, kw_only=True)
class Result:
    """The grade of one salesperson (or, as `GroupResult`, of a pooled team or organisation).

    - `areas`: only areas with a score (answers from a method with positive weight).
    - `index`/`index_interval`/`index_se`: None when no area has a score.
    - `level`: one of LEVELS; NOT_ENOUGH_DATA comes with `reasons` (dicts with a "code":
      FEW_CUSTOMER_SURVEYS/FEW_METHODS with "have" and "need", or NO_SCORED_ANSWERS). The
      scores are still given when the level is NOT_ENOUGH_DATA; show them as unofficial.
    - `provisional`: the level could change within the intervals (see `grade`).
    - `metrics`: keys "NPS", "CSAT", "CES", always present.
    - `gap_to_target`: target level's index threshold − index (> 0 means below target).
    - `answers_per_method`/`submissions_per_method`: counts in the window, all three methods
      as keys (answers include metric-only questions).
    """

    as_of: datetime
    areas: dict[str, AreaScore]
    questions: list[QuestionScore]
    index: float | None
    index_se: float | None
    index_interval: Interval | None
    level: str
    provisional: bool
    reasons: list[dict[str, Any]]
    metrics: dict[str, Metric]
    target_level: str
    targets: list[AreaTarget]
    gap_to_target: float | None
    answers_per_method: dict[str, int]
    submissions_per_method: dict[str, int]


@dataclass(slots=True, kw_only=True)
class PersonResult(Result):
    """A salesperson's grade. `team`: the team of their most recent answer in the window."""

    salesperson: int
    team: int


@dataclass(slots=True, kw_only=True)
class GroupResult(Result):
    """A team's (team = its id) or the organisation's (team = None) grade on the pooled answers.

    Members are the salespeople graded in `Grades.people` whose `team` is this team (all of
    them for the organisation). `level_distribution` counts members per level code (every code
    present, zeros included). `share_at_or_above_target` = members at or above the target
    level / members with a grade other than NOT_ENOUGH_DATA (`graded_count`; None if 0);
    `share_at_or_above_target_of_all` divides by `member_count` instead (None if 0).
    """

    team: int | None
    member_count: int
    graded_count: int
    at_or_above_target_count: int
    share_at_or_above_target: float | None
    share_at_or_above_target_of_all: float | None
    level_distribution: dict[str, int]


@dataclass(slots=True, kw_only=True)
class Grades:
    """Everything `grade()` computes for one moment `as_of`. ``people``: a dict from `grade()`;
    from ``reports.compute`` a read-only mapping that makes the result objects when first read
    (``grading.PeopleRows``)."""

    as_of: datetime
    people: Mapping[int, PersonResult]
    teams: dict[int, GroupResult]
    organisation: GroupResult
