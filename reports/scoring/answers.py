"""The answers table the engine reads: its columns, an empty one, and its checked, encoded
form (`Prepared`) that the grading code works on with numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .settings import AREAS, METHODS, METRICS, SCALES, ScoringSettings

COLUMNS: dict[str, str] = {
    "submission": "int64",
    "salesperson": "Int64",
    "team": "int64",
    "method": "str",
    "area": "str",
    "question": "str",
    "metric": "str",
    "scale": "str",
    "value": "float64",
    "answered_at": "datetime64[ns, UTC]",
    "why": "str",
}


class AnswersError(ValueError):
    """The answers table breaks the contract (missing column, unknown code, value off scale)."""


def empty_answers_frame() -> pd.DataFrame:
    """Return an empty answers table with the contract's columns and dtypes."""
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in COLUMNS.items()})


@dataclass(frozen=True, slots=True)
class Prepared:
    """The answers encoded as numpy arrays, in a canonical row order.

    Units: each salesperson is a unit 0..P-1 (in id order); the answers without a salesperson
    of team i form the unit P + i. Codes index METHODS/AREAS/METRICS; area/metric −1 = none.
    """

    people: np.ndarray  # salesperson ids, sorted (int64)
    teams: np.ndarray  # team ids, sorted (int64)
    unit: np.ndarray  # integer per row (the lean read's are 32-bit, the row path's 64-bit)
    method: np.ndarray  # int8
    area: np.ndarray  # int8, -1 = no area
    metric: np.ndarray  # int8, -1 = no metric
    score: np.ndarray  # normalised 0–100 (NaN on rows that are neither scored nor a metric)
    raw: np.ndarray  # the raw value
    question: np.ndarray  # integer code into `questions`
    questions: np.ndarray  # question codes (str), sorted
    at_ns: np.ndarray  # answered_at as int64 ns since the epoch, UTC
    why_row: np.ndarray  # the rows (ascending) whose answer has a why text
    why_text: np.ndarray  # their texts (object array of str, as stored)
    submission: np.ndarray  # the submission's id (integer)
    # One row per submission:
    sub_at_ns: np.ndarray
    sub_unit: np.ndarray
    sub_method: np.ndarray
    sub_team: np.ndarray  # team code

    @property
    def n_people(self) -> int:
        return len(self.people)

    @property
    def n_units(self) -> int:
        return len(self.people) + len(self.teams)


def run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values begins in ``ordered`` (equal values side by side): 0, and
    every position whose value differs from the one before it."""
    return np.flatnonzero(np.diff(ordered, prepend=ordered[:1] - 1))


def _codes(
    series: pd.Series, categories: tuple[str, ...], column: str, *, blank: bool
) -> np.ndarray:
    allowed = list(categories) + ([""] if blank else [])
    codes = pd.Index(allowed).get_indexer(series.astype(str))
    bad = codes < 0
    if bad.any():
        found = sorted({str(v) for v in pd.unique(series[bad])})[:5]
        raise AnswersError(f"Unknown {column} values: {', '.join(found)}.")
    codes = codes.astype(np.int8)
    if blank:
        codes[codes == len(categories)] = -1
    return codes


def normalise(scale: np.ndarray, raw: np.ndarray, settings: ScoringSettings) -> np.ndarray:
    """Map raw answers to 0–100 (DESIGN rule 1): linear scales (v − lo)/(hi − lo) × 100,
    yes/partly/no (raw 2/1/0) to settings.yes/partly/no_score; `scale` holds SCALES codes."""
    out = np.full(raw.shape, np.nan)
    for code, name in enumerate(SCALES):
        mask = scale == code
        if name == "YES_PARTLY_NO":
            table = np.array([settings.no_score, settings.partly_score, settings.yes_score])
            r = raw[mask]
            idx = np.where(np.isin(r, (0, 1, 2)), r, -1).astype(np.int64)
            vals = np.where(idx >= 0, table[np.clip(idx, 0, 2)], np.nan)
        else:
            lo, hi = settings.linear_scales[name]
            vals = (raw[mask] - lo) / (hi - lo) * 100.0
        out[mask] = vals
    return out


def prepare(answers: pd.DataFrame, settings: ScoringSettings) -> Prepared:
    """Check the answers table against the contract and encode it (see `Prepared`).

    Rows are put in a canonical order (submission, question, value) so that the input's row
    order cannot change any floating-point sum: the same answers always give the same grades.
    Raises AnswersError on a missing column, an unknown code, a naive `answered_at`, or a
    scored answer whose value is missing or off its scale.
    """
    missing = [c for c in COLUMNS if c not in answers.columns]
    if missing:
        raise AnswersError(f"Missing columns: {', '.join(missing)}.")
    n = len(answers)
    at = answers["answered_at"]
    if n and not isinstance(at.dtype, pd.DatetimeTZDtype):
        raise AnswersError("answered_at must be timezone-aware (UTC).")
    at_ns = (at.dt.as_unit("ns").array.asi8.copy() if n else np.zeros(0, dtype=np.int64)).astype(
        np.int64
    )
    method = _codes(answers["method"], METHODS, "method", blank=False)
    area = _codes(answers["area"], AREAS, "area", blank=True)
    metric = _codes(answers["metric"], METRICS, "metric", blank=True)
    scale = _codes(answers["scale"], SCALES, "scale", blank=False)
    raw = answers["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    submission = answers["submission"].to_numpy(dtype=np.int64)
    q_codes, questions = pd.factorize(answers["question"].astype(str), sort=True)
    q_codes = q_codes.astype(np.int64)
    score = normalise(scale, raw, settings)
    used = (area >= 0) | (metric >= 0)
    bad = used & ~((score >= -1e-9) & (score <= 100 + 1e-9))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise AnswersError(
            f"Value {raw[i]!r} is not on the scale {SCALES[scale[i]]} "
            f"(submission {submission[i]}, question {questions[q_codes[i]]})."
        )
    score = np.clip(score, 0.0, 100.0)

    # Canonical row order; skipped when the rows already come in it (e.g. ordered by id).
    order_key = submission * (len(questions) + 1) + q_codes
    if n > 1 and not (np.all(order_key[1:] >= order_key[:-1]) and _ties_sorted(order_key, score)):
        order = np.lexsort((score, q_codes, submission))
    else:
        order = None

    person_codes, people = pd.factorize(answers["salesperson"], sort=True)
    team_codes, teams = pd.factorize(answers["team"], sort=True)
    people = np.asarray(people, dtype=np.int64)
    teams = np.asarray(teams, dtype=np.int64)
    person_codes = person_codes.astype(np.int64)
    team_codes = team_codes.astype(np.int64)
    unit = np.where(person_codes >= 0, person_codes, len(people) + team_codes)
    why = answers["why"].to_numpy(dtype=object, na_value="")

    def take(a: np.ndarray) -> np.ndarray:
        return a if order is None else a[order]

    submission, unit, team_codes, method, at_ns, why = map(
        take, (submission, unit, team_codes, method, at_ns, why)
    )
    why_row = np.flatnonzero(why != "")
    # One row per submission (its rows share person, team, method and time by contract).
    first = run_starts(submission)
    return Prepared(
        people=people,
        teams=teams,
        unit=unit,
        method=method,
        area=take(area),
        metric=take(metric),
        score=take(score),
        raw=take(raw),
        question=take(q_codes),
        questions=np.asarray(questions, dtype=object),
        at_ns=at_ns,
        why_row=why_row,
        why_text=why[why_row],
        submission=submission,
        sub_at_ns=at_ns[first],
        sub_unit=unit[first],
        sub_method=method[first],
        sub_team=team_codes[first],
    )


def _ties_sorted(key: np.ndarray, score: np.ndarray) -> bool:
    same = key[1:] == key[:-1]
    if not same.any():
        return True
    s0, s1 = score[:-1][same], score[1:][same]
    return bool(np.all((s1 >= s0) | np.isnan(s1)))
