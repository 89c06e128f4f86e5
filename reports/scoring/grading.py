"""`grade`: every salesperson's, team's and the organisation's grade at one moment."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from . import engine as E
from .answers import Prepared, prepare
from .results import (
    AreaScore,
    AreaTarget,
    Grades,
    GroupResult,
    Interval,
    MethodScore,
    Metric,
    PersonResult,
    QuestionScore,
    QuestionTarget,
    Why,
)
from .settings import AREAS, LEVELS, METHODS, RULED_LEVELS, ScoringSettings

MAX_WHYS = 3


def as_of_ns(as_of: datetime) -> int:
    """The moment as int64 ns since the epoch (UTC); a naive datetime is refused."""
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError("as_of must be timezone-aware.")
    return int(pd.Timestamp(as_of).as_unit("ns").value)


def grade(answers: pd.DataFrame, *, settings: ScoringSettings, as_of: datetime) -> Grades:
    """Grade every salesperson, team and the organisation as of `as_of` (DESIGN rules 1–9).

    1. Normalise to 0–100 (settings.linear_scales; yes/partly/no → 100/50/0).
    2. Window: as_of − window_days ≤ answered_at ≤ as_of (both ends inclusive); each answer
       weighs 0.5^(age_days / half_life_days), age in fractional days (half-life 0: weight 1).
    3. Per entity × area × method: weighted mean m = Σwx/Σw, weighted sd
       s = √(Σw(x−m)²/Σw), Kish n_eff = (Σw)²/Σw², se = s/√n_eff; a single answer gets
       s = 50 (the most a 0–100 score can spread), so its interval is all of 0–100 in practice.
    4. Area = Σ a_m·m_m with the method weights renormalised over the methods with answers in
       that area; se_area = √(Σ a_m²·se_m²) (methods treated as independent).
    5. Index = Σ b_a·area_a with the area weights renormalised over the areas with a score;
       se_index = √(Σ b_a²·se_a²). Intervals: value ± z·se (z for settings.confidence, 1.6449
       at 90 %), clipped to 0–100.
    6. Level = the highest of IHAN_PARAS, ERINOMAINEN, HYVA whose index threshold holds and
       whose floor holds for every area with a score and positive weight; else KEHITETTAVAA.
       A value within 1e-9 below a threshold counts as reaching it. Evidence first:
       fewer than min_customer_surveys distinct CUSTOMER submissions or fewer than
       min_methods methods with submissions in the window → NOT_ENOUGH_DATA with reasons
       FEW_CUSTOMER_SURVEYS / FEW_METHODS ({"code", "have", "need"}), both when both apply;
       no area score at all → NO_SCORED_ANSWERS.
       provisional (graded levels only) = the own level might not hold (index interval low
       end below its index threshold, or some area's low end below its floor) or the next
       higher level might hold (index high end ≥ its threshold and every area's high end ≥
       its floor). NOT_ENOUGH_DATA is never provisional.
    7. Development targets: areas with score below the floor of settings.target_level,
       largest gap first (ties by area order); in each, its questions below the same floor,
       largest gap first (ties by question code), each with up to 3 latest non-empty why
       texts of the window, newest first.
    8. Teams and the organisation: the same rules on pooled answers. A salesperson belongs to
       the team of their latest answer in the window (ties: larger submission id); a team's
       pool is all its members' answers plus the team's answers without salesperson; the
       organisation pools everything. Only salespeople with answers in the window get a
       result and count as members.
    9. NPS, CSAT, CES: raw values in the window, each answer once; too_few when
       n < min_n_for_metrics (values still given when n > 0).

    Works on an empty table (no people, no teams, the organisation NOT_ENOUGH_DATA).
    """
    grades = grade_rows(answers, settings=settings, as_of=as_of)
    grades.people = dict(grades.people)  # the row path's callers get every result made
    return grades


def grade_rows(answers: pd.DataFrame, *, settings: ScoringSettings, as_of: datetime) -> Grades:
    """``grade`` with ``Grades.people`` a ``PeopleRows``: each result object made when read."""
    t_ns = np.array([as_of_ns(as_of)], dtype=np.int64)
    prep = prepare(answers, settings)
    windows = E.make_windows(t_ns, settings)
    unit_sums = E.window_sums(prep, windows, settings)
    member_team = E.membership(prep, t_ns, settings)
    sums = E.to_entities(unit_sums, prep, member_team)
    scored = E.score(sums, settings)
    floor = settings.levels[settings.target_level].no_area_below
    questions = question_sums(prep, windows, member_team[0], floor)
    return build_grades(prep, member_team[0], scored, questions, settings, as_of)


@dataclass(slots=True)
class WhyRows:
    """The answers that may explain a gap at one moment: in the window, scored below the target
    level's floor, with a why text that is not blank (stripped)."""

    unit: np.ndarray
    combo: np.ndarray  # index into the QuestionSums' combos
    at_ns: np.ndarray
    submission: np.ndarray
    text: np.ndarray  # object array of stripped str
    score: np.ndarray
    raw: np.ndarray


@dataclass(slots=True)
class QuestionSums:
    """Per entity (people, teams, organisation) × combo (question, area, method) at one moment:
    Σw, Σw·x and the number of answers; and the why texts' candidate answers. Made per unit
    (salesperson, or team without salesperson: `unit_question_sums`), then pooled into the
    entities by the moment's membership (`entities`)."""

    question: list[str]  # per combo
    area: np.ndarray  # AREAS code per combo
    method: np.ndarray  # METHODS code per combo
    sw: np.ndarray  # (E, C)
    swx: np.ndarray
    n: np.ndarray
    whys: WhyRows

    def entities(self, member_team: np.ndarray, n_p: int, n_t: int) -> QuestionSums:
        """These per-unit sums pooled into the entities at the moment (``member_team``: (P,)
        team codes; `pool_units`); the why candidates stay per unit."""
        return QuestionSums(
            question=self.question,
            area=self.area,
            method=self.method,
            sw=pool_units(self.sw, member_team, n_p, n_t),
            swx=pool_units(self.swx, member_team, n_p, n_t),
            n=pool_units(self.n, member_team, n_p, n_t),
            whys=self.whys,
        )

    def plus(self, other: QuestionSums) -> QuestionSums:
        """The question sums of both sets of rows (of the same entities and moment, e.g. two
        parts of the answers): their combos in the order `question_sums` gives them (question
        code, area, method), each one's sums added, and both sets of why candidates."""
        keys = [
            *zip(self.question, self.area.tolist(), self.method.tolist(), strict=True),
            *zip(other.question, other.area.tolist(), other.method.tolist(), strict=True),
        ]
        union = sorted(set(keys))
        where = {key: c for c, key in enumerate(union)}
        mine = np.array([where[k] for k in keys[: len(self.question)]], dtype=np.int64)
        theirs = np.array([where[k] for k in keys[len(self.question) :]], dtype=np.int64)

        def add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            out = np.zeros((a.shape[0], len(union)))
            out[:, mine] = a
            out[:, theirs] += b
            return out

        whys = WhyRows(
            *(
                np.concatenate([getattr(self.whys, name), getattr(other.whys, name)])
                for name in ("unit", "combo", "at_ns", "submission", "text", "score", "raw")
            )
        )
        whys.combo = np.concatenate([mine[self.whys.combo], theirs[other.whys.combo]])
        return QuestionSums(
            question=[q for q, _, _ in union],
            area=np.array([a for _, a, _ in union], dtype=np.int64),
            method=np.array([m for _, _, m in union], dtype=np.int64),
            sw=add(self.sw, other.sw),
            swx=add(self.swx, other.swx),
            n=add(self.n, other.n),
            whys=whys,
        )


def team_entity(unit: np.ndarray, member_team: np.ndarray, n_p: int) -> np.ndarray:
    """Team entity id (P + team code) of units at one moment (``member_team``: (P,) team codes);
    −1 for a salesperson who is no member."""
    is_person = unit < n_p
    team = unit - n_p  # the team code of a unit without salesperson
    if n_p:
        team = np.where(is_person, member_team[np.where(is_person, unit, 0)], team)
    return np.where(team >= 0, n_p + team, -1)


def pool_units(units: np.ndarray, member_team: np.ndarray, n_p: int, n_t: int) -> np.ndarray:
    """Sums per entity (E, C) from sums per unit (U = P + T, C): people their own, teams by
    membership (their members' and the team's answers without salesperson), the organisation
    over everything."""
    n_e = n_p + n_t + 1
    out = np.zeros((n_e,) + units.shape[1:])
    out[:n_p] = units[:n_p]
    team_e = team_entity(np.arange(len(units)), member_team, n_p)
    has_team = team_e >= 0
    np.add.at(out, team_e[has_team], units[has_team])
    out[n_e - 1] = units.sum(axis=0)
    return out


def question_sums(
    prep: Prepared, windows: E.Windows, member_team: np.ndarray, floor: float
) -> QuestionSums:
    """The question sums of the window's rows (k = 0 of ``windows``; ``member_team`` (P,))."""
    return unit_question_sums(prep, windows, floor).entities(
        member_team, prep.n_people, len(prep.teams)
    )


def unit_question_sums(prep: Prepared, windows: E.Windows, floor: float) -> QuestionSums:
    """The question sums of the window's rows (k = 0 of ``windows``) per unit (U = P + T rows):
    no membership needed yet (`QuestionSums.entities` pools them)."""
    j = windows.locate(prep.at_ns)
    rows = np.flatnonzero((j >= 0) & (prep.area >= 0))
    combo = (prep.question[rows] * E.N_AREAS + prep.area[rows]) * E.N_METHODS
    combo = combo + prep.method[rows]
    combos, inverse = _small_unique(combo)
    n_c = len(combos)
    u = windows.row_weight(prep.at_ns[rows], j[rows])
    x = prep.score[rows]
    unit, n_u = prep.unit[rows].astype(np.int64), prep.n_people + len(prep.teams)
    sw, swx, n = (
        np.bincount(unit * n_c + inverse, weights=w, minlength=n_u * n_c).reshape(n_u, n_c)
        for w in (u, u * x, None)
    )

    # Why candidates: non-empty stripped texts of answers below the floor. ``nonempty``: the
    # positions in ``rows`` of the rows with a text (both ascending).
    pos, hit = E.find_sorted(rows, prep.why_row)
    nonempty = pos[hit]
    stripped = np.array([t.strip() for t in prep.why_text[hit]], dtype=object)
    keep = stripped != ""
    nonempty, stripped = nonempty[keep], stripped[keep]
    low = x[nonempty] < floor - E.EPS
    nonempty, stripped = nonempty[low], stripped[low]
    sel = rows[nonempty]
    whys = WhyRows(
        unit=prep.unit[sel],
        combo=inverse[nonempty],
        at_ns=prep.at_ns[sel],
        submission=prep.submission[sel],
        text=stripped,
        score=prep.score[sel],
        raw=prep.raw[sel],
    )
    return QuestionSums(
        question=[str(prep.questions[q]) for q in (combos // (E.N_AREAS * E.N_METHODS)).tolist()],
        area=(combos // E.N_METHODS) % E.N_AREAS,
        method=combos % E.N_METHODS,
        sw=sw,
        swx=swx,
        n=n,
        whys=whys,
    )


def _small_unique(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(codes, return_inverse=True) for small non-negative codes, without sorting."""
    if not len(codes):
        return codes.astype(np.int64), codes.astype(np.int64)
    present = np.bincount(codes) > 0
    return np.flatnonzero(present), (np.cumsum(present) - 1)[codes]


def _whys(
    rows: WhyRows, member_team: np.ndarray, wanted: np.ndarray, n_c: int, n_p: int, n_t: int
) -> dict[int, list[Why]]:
    """The answers that explain a gap, per wanted flat key entity × n_c + combo: up to MAX_WHYS
    non-empty why texts of answers scored below the floor, the lowest-scoring first, and among
    equal scores the latest first. Praise (an answer at or above the floor) never stands as
    evidence of a weakness."""
    if not len(rows.unit) or not len(wanted):
        return {}
    n_e = n_p + n_t + 1
    unit = rows.unit
    person_e = np.where(unit < n_p, unit, -1)
    team_e = team_entity(unit, member_team, n_p)
    org_e = np.full(len(unit), n_e - 1)
    entity = np.concatenate([person_e, team_e, org_e])
    key = entity * n_c + np.tile(rows.combo, 3)
    ok = np.flatnonzero((entity >= 0) & np.isin(key, wanted))
    key, row = key[ok], ok % len(unit)
    score, at, sub = rows.score[row], rows.at_ns[row], rows.submission[row].astype(np.int64)
    # Per key: the lowest score first, then the latest, then the larger submission id, then the
    # text (a stable sort: lexsort's last key is its first).
    order = np.lexsort((-sub, -at, score, key))
    key, score, at, sub, row = (a[order] for a in (key, score, at, sub, row))
    tie = (key[1:] == key[:-1]) & (score[1:] == score[:-1]) & (at[1:] == at[:-1])
    tie &= sub[1:] == sub[:-1]
    if tie.any():  # (two answers of one submission to one question: by their texts)
        text = rows.text[row].tolist()
        order = np.array(
            sorted(range(len(key)), key=lambda i: (key[i], score[i], -at[i], -sub[i], text[i])),
            dtype=np.int64,
        )
        key, score, at, sub, row = (a[order] for a in (key, score, at, sub, row))
    first = E.run_starts(key)
    rank = np.arange(len(key)) - np.repeat(first, np.diff(first, append=len(key)))
    chosen = rank < MAX_WHYS
    key, at, row = key[chosen], at[chosen], row[chosen]
    out: dict[int, list[tuple]] = {}
    for k, a, t, x, v in zip(
        key.tolist(),
        (at // 1000).tolist(),
        rows.text[row].tolist(),
        rows.score[row].tolist(),
        rows.raw[row].tolist(),
        strict=True,
    ):
        out.setdefault(k, []).append((t, a, x, v))
    return out


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _why(kept: tuple) -> Why:
    """A why text as kept in ``EntityRows`` (text, µs since 1970, score, value) as a `Why`:
    kept as plain values, a chain's 200,000 of them are stored and read several times faster."""
    text, at_us, score, value = kept
    return Why(
        text=text, answered_at=_EPOCH + timedelta(microseconds=at_us), score=score, value=value
    )


def _tie(value: float) -> float:
    """A score or gap as an ordering key: values within rounding noise (1e-9) are a tie, decided
    by the next key (area order, question code), so that how the sums were added up (row by
    row, or per interval in the database) cannot change the order."""
    return round(value, 9)


def _metrics(values: dict[str, list[Any]], e: int, settings: ScoringSettings) -> dict[str, Metric]:
    def f(name: str) -> float | None:
        v = values[name][e]
        return None if math.isnan(v) else float(v)

    least = settings.min_n_for_metrics
    nps_n = int(values["nps_n"][e])
    pro, det = int(values["nps_promoters"][e]), int(values["nps_detractors"][e])
    csat_n, ces_n = int(values["csat_n"][e]), int(values["ces_n"][e])
    return {
        "NPS": Metric(
            code="NPS",
            n=nps_n,
            value=f("nps"),
            mean=f("nps_mean"),
            too_few=nps_n < least,
            promoters=pro,
            passives=nps_n - pro - det,
            detractors=det,
        ),
        "CSAT": Metric(
            code="CSAT", n=csat_n, value=f("csat"), mean=f("csat_mean"), too_few=csat_n < least
        ),
        "CES": Metric(code="CES", n=ces_n, value=f("ces"), mean=f("ces"), too_few=ces_n < least),
    }


# The scored arrays' fields each entity's result reads (at k = 0), by name.
_SCORED = (
    "method_score", "method_se", "method_low", "method_high", "method_neff",
    "method_weight", "area_score", "area_n", "area_se", "area_low", "area_high",
    "area_weight", "index", "index_se", "index_low", "index_high", "level",
    "provisional", "customer_submissions", "methods_with_submissions", "few_customer",
    "few_methods", "no_scored", "gap_to_target",
)  # fmt: skip
# A reason code of NOT_ENOUGH_DATA, the scored flag that gives it, and the scored count and the
# setting it reports as "have" and "need" (None: neither).
_REASONS = (
    ("FEW_CUSTOMER_SURVEYS", "few_customer", "customer_submissions", "min_customer_surveys"),
    ("FEW_METHODS", "few_methods", "methods_with_submissions", "min_methods"),
    ("NO_SCORED_ANSWERS", "no_scored", None, None),
)


@dataclass(frozen=True, slots=True)
class _Shared:
    """What the results of one moment share: the moment, the settings, the target level's
    floor and the question combos (codes, display order, the combos of each area)."""

    as_of: datetime
    settings: ScoringSettings
    floor: float
    question: list[str]
    area: list[str]
    method: list[str]
    order: list[int]  # display order: area order, then question code
    per_area: list[list[int]]


class EntityRows:
    """The numbers of some entities' results at one moment, one row each: numpy arrays by name
    whose first axis is the row (the scored fields, the sums' counts, the metrics, the question
    scores, and which areas and questions are targets), the why texts by row and combo (plain
    values, see `_why`), and what the rows share. ``fields(lists, i)`` gives row i's result
    object's fields."""

    __slots__ = ("shared", "arrays", "whys")

    def __init__(
        self,
        shared: _Shared,
        arrays: dict[str, np.ndarray],
        whys: dict[int, dict[int, list[tuple]]],
    ):
        self.shared = shared
        self.arrays = arrays
        self.whys = whys

    def __getstate__(self):
        return self.shared, self.arrays, self.whys

    def __setstate__(self, state) -> None:
        self.shared, self.arrays, self.whys = state

    def __len__(self) -> int:
        return len(self.arrays["index"])

    def take(self, rows: np.ndarray) -> EntityRows:
        """These rows (positions, in this order) alone."""
        whys = {i: self.whys[r] for i, r in enumerate(rows.tolist()) if r in self.whys}
        return EntityRows(self.shared, {k: v[rows] for k, v in self.arrays.items()}, whys)

    def lists(self) -> dict[str, list]:
        """Every array as (nested) Python lists: what ``fields`` reads."""
        return {name: array.tolist() for name, array in self.arrays.items()}

    def target_areas(self, L: dict[str, list], i: int) -> list[tuple[int, float, list[int]]]:
        """Row i's development targets (DESIGN rule 7) as (area code, area score, combos of its
        questions below the floor), in the targets' order."""
        sh = self.shared
        floor = sh.floor
        score, below, q_target = L["area_score"][i], L["target_area"][i], L["q_target"][i]
        areas = [(a, score[a]) for a in range(len(AREAS)) if below[a]]
        areas.sort(key=lambda item: (_tie(item[1]), item[0]))
        q_score = L["q_score"][i]
        out = []
        for a, a_score in areas:
            combos = [c for c in sh.per_area[a] if q_target[c]]
            combos.sort(key=lambda c: (-_tie(floor - q_score[c]), sh.question[c], sh.method[c]))
            out.append((a, a_score, combos))
        return out

    def reasons(self, L: dict[str, list], i: int) -> list[dict[str, Any]]:
        settings = self.shared.settings
        return [
            {"code": code}
            if have is None
            else {"code": code, "have": int(L[have][i]), "need": getattr(settings, need)}
            for code, flag, have, need in _REASONS
            if L[flag][i]
        ]

    def fields(self, L: dict[str, list], i: int) -> dict[str, Any]:
        """Row i's result fields (``Result``'s), from ``L = self.lists()``."""
        sh = self.shared
        floor = sh.floor
        areas: dict[str, AreaScore] = {}
        score_i, n_i, sw_i = L["area_score"][i], L["n"][i], L["sw"][i]
        m_score, m_se, m_low, m_high = (
            L[k][i] for k in ("method_score", "method_se", "method_low", "method_high")
        )
        m_neff, m_weight = L["method_neff"][i], L["method_weight"][i]
        for a, area in enumerate(AREAS):
            if math.isnan(score_i[a]):
                continue
            methods = {}
            n_a, sw_a = n_i[a], sw_i[a]
            ms, mse, mlo, mhi = m_score[a], m_se[a], m_low[a], m_high[a]
            mneff, mw = m_neff[a], m_weight[a]
            for m, method in enumerate(METHODS):
                n = int(n_a[m])
                if n == 0:
                    continue
                methods[method] = MethodScore(
                    method=method,
                    score=ms[m],
                    n=n,
                    weight_sum=sw_a[m],
                    n_eff=mneff[m],
                    se=mse[m],
                    interval=Interval(low=mlo[m], high=mhi[m]),
                    weight=mw[m],
                )
            areas[area] = AreaScore(
                area=area,
                score=score_i[a],
                n=int(L["area_n"][i][a]),
                se=L["area_se"][i][a],
                interval=Interval(low=L["area_low"][i][a], high=L["area_high"][i][a]),
                weight=L["area_weight"][i][a],
                methods=methods,
            )
        qs_i, qn_i, qsw_i = L["q_score"][i], L["q_n"][i], L["q_sw"][i]
        whys = self.whys.get(i, {})
        questions = [
            QuestionScore(
                question=sh.question[c],
                area=sh.area[c],
                method=sh.method[c],
                score=qs_i[c],
                n=int(qn_i[c]),
                weight_sum=qsw_i[c],
            )
            for c in sh.order
            if qn_i[c] > 0
        ]
        targets = [
            AreaTarget(
                area=AREAS[a],
                score=a_score,
                floor=floor,
                gap=floor - a_score,
                questions=[
                    QuestionTarget(
                        question=sh.question[c],
                        method=sh.method[c],
                        score=qs_i[c],
                        floor=floor,
                        gap=floor - qs_i[c],
                        whys=[_why(kept) for kept in whys.get(c, ())],
                    )
                    for c in combos
                ],
            )
            for a, a_score, combos in self.target_areas(L, i)
        ]
        index = L["index"][i]
        has_index = not math.isnan(index)
        answers, submissions = L["answers"][i], L["submissions"][i]
        return {
            "as_of": sh.as_of,
            "areas": areas,
            "questions": questions,
            "index": index if has_index else None,
            "index_se": L["index_se"][i] if has_index else None,
            "index_interval": (
                Interval(low=L["index_low"][i], high=L["index_high"][i]) if has_index else None
            ),
            "level": LEVELS[L["level"][i]],
            "provisional": bool(L["provisional"][i]),
            "reasons": self.reasons(L, i),
            "metrics": _metrics(L, i, sh.settings),
            "target_level": sh.settings.target_level,
            "targets": targets,
            "gap_to_target": L["gap_to_target"][i] if has_index else None,
            "answers_per_method": {m: int(answers[k]) for k, m in enumerate(METHODS)},
            "submissions_per_method": {m: int(submissions[k]) for k, m in enumerate(METHODS)},
        }


class PeopleRows(Mapping[int, PersonResult]):
    """Each graded salesperson's ``PersonResult`` at one moment, by salesperson id, kept as rows
    of numbers (``EntityRows``) and made into result objects when first read: all of the
    mapping's at once, the first time any is read.

    Why: a chain's thousands of result objects (some 90,000 small objects) were the largest
    part of a recompute after the read, and again of storing it (pickled) and of reading it
    (unpickled), while a page reads one team's people. The stored result keeps each team's
    rows (``take``) and what the salespeople table needs of everyone (``summaries``) as rows;
    the objects of a team are made when a page reads that team. The numbers are the same: the
    objects are made from the same rows by the same code, whenever that happens."""

    __slots__ = ("rows", "salesperson", "team", "_index", "_made")

    def __init__(self, rows: EntityRows, salesperson: list[int], team: list[int]):
        self.rows = rows
        self.salesperson = salesperson
        self.team = team
        self._index = {pk: i for i, pk in enumerate(salesperson)}
        self._made: dict[int, PersonResult] | None = None

    def __getstate__(self):
        return self.rows, self.salesperson, self.team

    def __setstate__(self, state) -> None:
        self.__init__(*state)

    def _results(self) -> dict[int, PersonResult]:
        if self._made is None:
            L = self.rows.lists()
            self._made = {
                pk: PersonResult(salesperson=pk, team=team, **self.rows.fields(L, i))
                for i, (pk, team) in enumerate(zip(self.salesperson, self.team, strict=True))
            }
        return self._made

    def __getitem__(self, pk: int) -> PersonResult:
        if pk not in self._index:
            raise KeyError(pk)  # (without making anyone's result)
        return self._results()[pk]

    def get(self, pk: int, default=None):
        return self[pk] if pk in self._index else default

    def __contains__(self, pk: object) -> bool:
        return pk in self._index

    def __iter__(self):
        return iter(self.salesperson)

    def __len__(self) -> int:
        return len(self.salesperson)

    def __repr__(self) -> str:
        return f"PeopleRows({len(self)} salespeople)"

    def team_of(self) -> dict[int, int]:
        """{salesperson: team} without making any result object."""
        return dict(zip(self.salesperson, self.team, strict=True))

    def take(self, salespeople) -> PeopleRows:
        """These salespeople alone (those of them graded here), in this mapping's order."""
        rows = sorted({self._index[pk] for pk in salespeople if pk in self._index})
        return PeopleRows(
            self.rows.take(np.array(rows, dtype=np.int64)),
            [self.salesperson[i] for i in rows],
            [self.team[i] for i in rows],
        )

    def summaries(self) -> dict[int, dict[str, Any]]:
        """Per salesperson, without making result objects: level, provisional, index,
        gap_to_target (None without an index), submissions (all methods), reason codes and the
        development targets as (area, question codes) pairs (the result objects' values)."""
        rows, arrays = self.rows, self.rows.arrays
        L = {name: arrays[name].tolist() for name in _SUMMARY_FIELDS}
        submissions = arrays["submissions"].sum(axis=-1).astype(np.int64).tolist()
        # Only the rows with an area below the floor have targets: their questions are read.
        targeted = np.flatnonzero(arrays["target_area"].any(axis=-1))
        for name in ("area_score", "target_area", "q_target", "q_score"):
            L[name] = dict(zip(targeted.tolist(), arrays[name][targeted].tolist(), strict=True))
        out = {}
        for i, pk in enumerate(self.salesperson):
            index = L["index"][i]
            has_index = not math.isnan(index)
            out[pk] = {
                "level": LEVELS[L["level"][i]],
                "provisional": bool(L["provisional"][i]),
                "index": index if has_index else None,
                "gap_to_target": L["gap_to_target"][i] if has_index else None,
                "submissions": submissions[i],
                "reasons": tuple(code for code, flag, *_counts in _REASONS if L[flag][i]),
                "targets": tuple(
                    (AREAS[a], tuple(rows.shared.question[c] for c in combos))
                    for a, _score, combos in rows.target_areas(L, i)
                )
                if i in L["q_target"]
                else (),
            }
        return out


_SUMMARY_FIELDS = ("index", "level", "provisional", "gap_to_target", *(r[1] for r in _REASONS))


def build_grades(
    pop: Prepared,
    member_team: np.ndarray,
    s: E.Scored,
    q: QuestionSums,
    settings: ScoringSettings,
    as_of: datetime,
    *,
    people: bool = True,
) -> Grades:
    """The results of one moment (DESIGN rules 6–9 on the scored sums, k = 0 of ``s``): levels,
    reasons, metrics, questions and development targets of every entity. ``member_team``: (P,)
    team codes at that moment. Shared by `grade` and `reports.compute`; ``Grades.people`` is a
    ``PeopleRows`` (made into objects when read). ``people`` False: the teams and the
    organisation only (``Grades.people`` empty; their member counts and level distributions
    still count every salesperson)."""
    n_p, n_t = pop.n_people, len(pop.teams)
    n_e = n_p + n_t + 1
    floor_t = settings.levels[settings.target_level].no_area_below
    target_rank = RULED_LEVELS.index(settings.target_level)

    # Questions and the targets' questions, vectorised.
    n_c = len(q.question)
    q_score = np.clip(E.divide(q.swx, q.sw), 0.0, 100.0)
    c_area, c_method = q.area, q.method
    # (E, A): the areas that are targets (scored, weighed, below the floor), and their questions.
    target_area = s.relevant_area[0] & (s.area_score[0] < floor_t - E.EPS)
    with np.errstate(invalid="ignore"):
        q_target = (q.n > 0) & (q_score < floor_t - E.EPS) & target_area[:, c_area]
    wanted = np.flatnonzero(q_target.ravel())
    if not people:  # the groups' whys only (rows n_p and on)
        wanted = wanted[wanted >= n_p * n_c]
    whys = _whys(q.whys, member_team, wanted, n_c, n_p, n_t)
    area_codes = c_area.tolist()
    shared = _Shared(
        as_of=as_of,
        settings=settings,
        floor=floor_t,
        question=q.question,
        area=[AREAS[a] for a in area_codes],
        method=[METHODS[m] for m in c_method.tolist()],
        order=sorted(range(n_c), key=lambda c: (area_codes[c], q.question[c], c_method[c])),
        per_area=[[c for c in range(n_c) if area_codes[c] == a] for a in range(len(AREAS))],
    )
    arrays = {name: getattr(s, name)[0] for name in _SCORED}
    arrays.update(
        n=s.sums.n[0],
        sw=s.sums.sw[0],
        answers=s.sums.answers[0],
        submissions=s.sums.submissions[0],
        q_score=q_score,
        q_n=q.n,
        q_sw=q.sw,
        q_target=q_target,
        target_area=target_area,
    )
    arrays.update({name: v[0] for name, v in E.metric_values(s.sums.metrics).items()})
    by_row: dict[int, dict[int, list[tuple]]] = {}
    for key, texts in whys.items():
        row, combo = divmod(key, n_c)
        by_row.setdefault(row, {})[combo] = texts
    everyone = EntityRows(shared, arrays, by_row)

    graded = np.flatnonzero(member_team >= 0) if people else np.zeros(0, dtype=np.int64)
    people_rows = PeopleRows(
        everyone.take(graded),
        pop.people[graded].astype(np.int64).tolist(),
        pop.teams[member_team[graded]].astype(np.int64).tolist(),
    )
    team_counts, org_counts = E.level_counts(s.level[:1], member_team[None], n_p, n_t)
    team_has_answers = (s.sums.answers[0, n_p : n_p + n_t].sum(axis=-1) > 0).tolist()
    groups = everyone.take(np.arange(n_p, n_e))
    G = groups.lists()

    def group(i: int, team: int | None, counts: list[int]) -> GroupResult:
        members = sum(counts)
        graded = members - counts[E.NOT_ENOUGH]
        at_or_above = sum(counts[: target_rank + 1])
        return GroupResult(
            team=team,
            member_count=members,
            graded_count=graded,
            at_or_above_target_count=at_or_above,
            share_at_or_above_target=at_or_above / graded if graded else None,
            share_at_or_above_target_of_all=at_or_above / members if members else None,
            level_distribution=dict(zip(LEVELS, counts, strict=True)),
            **groups.fields(G, i),
        )

    tc = team_counts[0].tolist()
    teams = {
        int(pop.teams[t]): group(t, int(pop.teams[t]), tc[t])
        for t in range(n_t)
        if team_has_answers[t] or sum(tc[t]) > 0
    }
    organisation = group(n_t, None, org_counts[0].tolist())
    return Grades(as_of=as_of, people=people_rows, teams=teams, organisation=organisation)
