"""The vectorised core shared by `grade` (one moment) and `trend` (many month ends).

Pipeline, all in numpy:
1. `window_sums`: per unit (salesperson, or a team's answers without salesperson), per
   as-of moment T_k: the recency-weighted sums of each area × method cell, counts of answers
   and submissions per method, and the metric counts. One pass over the rows: the time axis
   is cut into elementary intervals at every window start T_k − window and every window end
   T_k, each row is summed once into its interval with the weight 0.5^((r_j − t)/h) relative
   to the interval's own end r_j, and the window of T_k is the sum over the intervals inside
   it, each multiplied by 0.5^((T_k − r_j)/h). Since 0.5^((T−t)/h) = 0.5^((T−r)/h)·0.5^((r−t)/h)
   this equals the direct weights, and every factor is ≤ 1, so nothing can overflow.
2. `membership`: each salesperson's team at T_k (the team of their latest answer in the
   window; ties by the larger submission id); salespeople without answers in the window are
   not members anywhere and get no result.
3. `to_entities`: pool the units into entities = people, then teams (members + the team's
   answers without salesperson), then the organisation (everything).
4. `score`: method means, area scores, index, intervals, levels, provisional flags, metrics.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .answers import Prepared, run_starts
from .settings import AREAS, LEVELS, METHODS, RULED_LEVELS, ScoringSettings

NS_PER_DAY = 86_400 * 10**9
# Scores within this distance below a threshold count as reaching it, so that a hand-checked
# exact 75.0 is not lost to a rounding error in the last bit.
EPS = 1e-9
# With a single answer the spread is unknown; take the largest standard deviation a 0–100
# score can have (50), which makes the interval the mean ± 82 at 90 %: in practice 0–100.
SINGLE_ANSWER_SD = 50.0
N_AREAS, N_METHODS = len(AREAS), len(METHODS)
CUSTOMER = METHODS.index("CUSTOMER")
NOT_ENOUGH = LEVELS.index("NOT_ENOUGH_DATA")
KEHITETTAVAA = LEVELS.index("KEHITETTAVAA")
# Metric count columns of UnitSums.metrics
M_NPS_N, M_NPS_PRO, M_NPS_DET, M_NPS_SUM = 0, 1, 2, 3
M_CSAT_N, M_CSAT_SAT, M_CSAT_SUM, M_CES_N, M_CES_SUM = 4, 5, 6, 7, 8
N_METRIC_COLS = 9


@dataclass(slots=True)
class Sums:
    """Sums per moment k and unit/entity e: weighted cells (K, E, area, method), counts."""

    sw: np.ndarray
    swx: np.ndarray
    swxx: np.ndarray
    sww: np.ndarray
    n: np.ndarray
    answers: np.ndarray  # (K, E, method)
    submissions: np.ndarray  # (K, E, method)
    metrics: np.ndarray  # (K, E, N_METRIC_COLS)

    def fields(self) -> tuple[str, ...]:
        """The names of the arrays, in constructor order."""
        return ("sw", "swx", "swxx", "sww", "n", "answers", "submissions", "metrics")

    def take(self, moments: list[int] | slice) -> Sums:
        """The sums of some moments only (their k in that order)."""
        return Sums(*(getattr(self, name)[moments] for name in self.fields()))


@dataclass(slots=True)
class Windows:
    """The elementary intervals of a set of windows (see the module docstring)."""

    points: np.ndarray  # interval j = [points[j], points[j+1]) in ns
    inside: np.ndarray  # (J, K) bool: interval j lies in window k
    factor: np.ndarray  # (J, K) weight factor 0.5^((T_k − r_j)/h), 0 outside
    ref: np.ndarray  # (J,) r_j, the last ns of interval j
    half_life_ns: float  # 0 = no weighting

    @property
    def n_intervals(self) -> int:
        return len(self.points) - 1

    def locate(self, at_ns: np.ndarray) -> np.ndarray:
        """Interval index per time; −1 when the time is in no interval."""
        j = np.searchsorted(self.points, at_ns, side="right") - 1
        j[j >= self.n_intervals] = -1
        return j

    def row_weight(self, at_ns: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Weight of each row relative to its interval's end: 0.5^((r_j − t)/half_life)."""
        if self.half_life_ns == 0:
            return np.ones(len(at_ns))
        # exp2(−(r_j − t)/h), computed in place (one per-row array alive at a time).
        age = self.ref[j]
        age -= at_ns
        u = age.astype(np.float64)
        del age
        np.negative(u, out=u)
        np.divide(u, self.half_life_ns, out=u)
        return np.exp2(u, out=u)


def window_bounds(as_of_ns: np.ndarray, settings: ScoringSettings) -> tuple[np.ndarray, np.ndarray]:
    """Window of T: T − window_days ≤ answered_at ≤ T, both ends inclusive, in ns."""
    width = round(settings.window_days * NS_PER_DAY)
    return as_of_ns - width, as_of_ns


def make_windows(as_of_ns: np.ndarray, settings: ScoringSettings) -> Windows:
    """Cut the time axis at every window start T_k − window and just after every end T_k;
    interval j belongs to window k when it lies within [T_k − window, T_k]; its factor is
    0.5^((T_k − r_j)/half_life) (1 when the half-life is 0)."""
    starts, ends = window_bounds(as_of_ns, settings)
    points = np.unique(np.concatenate([starts, ends + 1]))
    ref = points[1:] - 1
    lo = points[:-1, None]
    inside = (lo >= starts[None, :]) & (lo <= ends[None, :])
    half_life_ns = float(settings.half_life_days) * NS_PER_DAY
    if half_life_ns > 0:
        age = np.maximum(ends[None, :] - ref[:, None], 0).astype(np.float64)
        factor = np.where(inside, np.exp2(-age / half_life_ns), 0.0)
    else:
        factor = inside.astype(np.float64)
    return Windows(points, inside, factor, ref, half_life_ns)


@dataclass(slots=True)
class IntervalSums:
    """Per-unit sums of each elementary interval that holds answers (weights relative to the
    interval's end), as dense (rows, J') tables; ``window`` combines them into any moments'
    windows, so that a long trend can be scored a few moments at a time."""

    windows: Windows
    present: np.ndarray  # (J,) the intervals kept
    n_units: int
    pairs: np.ndarray  # the (area × M + method) pairs with rows, ascending (no others may add)
    cells: np.ndarray  # (5, U × pairs, J'): Σu, Σux, Σux², Σu², n
    answers: np.ndarray  # (U × M, J')
    submissions: np.ndarray  # (U × M, J')
    metrics: np.ndarray  # (U × N_METRIC_COLS, J')

    @classmethod
    def of_submissions(
        cls,
        units: Prepared,
        windows: Windows,
        pairs: np.ndarray,
        row_times: np.ndarray | None = None,
    ) -> IntervalSums:
        """The tables of ``units``' submissions, and empty ones for the answer rows that `add`
        sums in (of the (area, method) ``pairs`` only). Only the intervals that hold a
        submission, or one of ``row_times`` (the rows' times, when a row may not be at its
        submission's), are kept: the others add nothing to any window, and `add` takes rows
        in those intervals only."""
        n_u = units.n_units
        j_sub = windows.locate(units.sub_at_ns)
        ok = j_sub >= 0
        present = np.zeros(windows.n_intervals, dtype=bool)
        present[j_sub[ok]] = True
        if row_times is not None:
            j_row = windows.locate(row_times)
            present[j_row[j_row >= 0]] = True
            del j_row
        n_used = int(present.sum())
        compact = np.cumsum(present) - 1
        index = (units.sub_unit[ok].astype(np.int64) * N_METHODS + units.sub_method[ok]) * n_used
        index += compact[j_sub[ok]]
        size = n_u * N_METHODS * n_used
        submissions = np.bincount(index, minlength=size).astype(np.float64)
        return cls(
            windows=windows,
            present=present,
            n_units=n_u,
            pairs=np.asarray(pairs, dtype=np.int64),
            cells=np.zeros((5, n_u * len(pairs), n_used)),
            answers=np.zeros((n_u * N_METHODS, n_used)),
            submissions=submissions.reshape(n_u * N_METHODS, n_used),
            metrics=np.zeros((n_u * N_METRIC_COLS, n_used)),
        )

    def add(self, rows: Prepared, settings: ScoringSettings) -> None:
        """Sum answer rows (of the submissions the tables were made of) into the tables, one
        table at a time so that only a few per-row arrays are alive at once: the rows can come
        a part at a time."""
        n_used = int(self.present.sum())
        compact = np.cumsum(self.present) - 1

        def add(table: np.ndarray, index: np.ndarray, weights: np.ndarray | None) -> None:
            # Fewer rows than half the table's cells (a part of a large organisation): added
            # one by one, rather than counted into a whole new table that is then added.
            flat = table.reshape(-1)
            if 2 * len(index) < len(flat):
                np.add.at(flat, index, 1.0 if weights is None else weights)
            else:
                flat += np.bincount(index, weights=weights, minlength=len(flat))

        def index(unit: np.ndarray, column: np.ndarray, width: int, at: np.ndarray) -> np.ndarray:
            """Flat (unit × width + column, interval) position of each row."""
            return (unit.astype(np.int64) * width + column) * n_used + compact[at]

        j = self.windows.locate(rows.at_ns)
        valid = np.flatnonzero(j >= 0)
        if not self.present[j[valid]].all():
            raise ValueError("Answer rows in an interval the tables were not made for.")
        add(self.answers, index(rows.unit[valid], rows.method[valid], N_METHODS, j[valid]), None)
        m_valid = valid[rows.metric[valid] >= 0]
        for items, columns in metric_columns(rows.metric[m_valid], rows.raw[m_valid], settings):
            chosen = m_valid[items]
            first = index(rows.unit[chosen], 0, N_METRIC_COLS, j[chosen])  # the metric's column 0
            for col, value in columns.items():
                add(self.metrics, first + col * n_used, value)
            del chosen, first
        del m_valid

        scored = valid[rows.area[valid] >= 0]
        del valid
        j = j[scored]
        x = rows.score[scored]
        u = self.windows.row_weight(rows.at_ns[scored], j)
        # Only the (area, method) pairs that have answers get rows (a method asks of some areas
        # only: 7 of the 12 pairs with DESIGN's questions), so the tables are that much smaller.
        position = np.full(N_AREAS * N_METHODS, -1, dtype=np.int64)
        position[self.pairs] = np.arange(len(self.pairs))
        pair = position[rows.area[scored].astype(np.int64) * N_METHODS + rows.method[scored]]
        if (pair < 0).any():
            raise ValueError("Answer rows of an (area, method) pair the tables were not made for.")
        cell = index(rows.unit[scored], pair, len(self.pairs), j)
        del pair, scored, j
        # Weights relative to the interval's end: u, then u·x and u·x² in place.
        add(self.cells[0], cell, u)
        add(self.cells[3], cell, u * u)
        u *= x
        add(self.cells[1], cell, u)
        u *= x
        add(self.cells[2], cell, u)
        add(self.cells[4], cell, None)

    def window(self, moments: list[int] | slice) -> Sums:
        """The window sums (K', U, ...) of the moments (k of ``windows``)."""
        factor = self.windows.factor[self.present][:, moments]
        inside = self.windows.inside[self.present][:, moments].astype(np.float64)
        n_k, n_u = factor.shape[1], self.n_units

        def cells(i: int, matrix: np.ndarray) -> np.ndarray:
            out = np.zeros((n_u, N_AREAS * N_METHODS, n_k))
            out[:, self.pairs] = (self.cells[i] @ matrix).reshape(n_u, len(self.pairs), n_k)
            return np.moveaxis(out.reshape(n_u, N_AREAS, N_METHODS, n_k), 3, 0)

        def per_unit(table: np.ndarray, width: int) -> np.ndarray:
            return np.moveaxis((table @ inside).reshape(n_u, width, n_k), 2, 0)

        return Sums(
            sw=cells(0, factor),
            swx=cells(1, factor),
            swxx=cells(2, factor),
            sww=cells(3, factor**2),
            n=cells(4, inside),
            answers=per_unit(self.answers, N_METHODS),
            submissions=per_unit(self.submissions, N_METHODS),
            metrics=per_unit(self.metrics, N_METRIC_COLS),
        )


def interval_sums(prep: Prepared, windows: Windows, settings: ScoringSettings) -> IntervalSums:
    """The interval tables of the answer rows and submissions (module docstring, step 1)."""
    pairs = scored_pairs(prep.area, prep.method)
    sums = IntervalSums.of_submissions(prep, windows, pairs, row_times=prep.at_ns)
    sums.add(prep, settings)
    return sums


def scored_pairs(area: np.ndarray, method: np.ndarray) -> np.ndarray:
    """The (area × M + method) pairs of the rows with an area, ascending."""
    scored = area >= 0
    pair = area[scored].astype(np.int64) * N_METHODS + method[scored]
    return np.flatnonzero(np.bincount(pair, minlength=N_AREAS * N_METHODS))


def metric_flags(
    raw: np.ndarray, settings: ScoringSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether each raw answer is an NPS promoter, an NPS detractor, a satisfied CSAT answer."""
    return (
        raw >= settings.nps_promoter_min,
        raw <= settings.nps_detractor_max,
        raw >= settings.csat_satisfied_min,
    )


def metric_columns(
    metric: np.ndarray, raw: np.ndarray, settings: ScoringSettings
) -> Iterator[tuple[np.ndarray, dict[int, np.ndarray | None]]]:
    """The metric counts (DESIGN rule 9) of answers with these METRICS codes and raw values:
    NPS n/promoters/detractors/Σraw, CSAT n/satisfied/Σraw, CES n/Σraw.

    Yields, one metric at a time, (items, {column: value}): items index the input's answers of
    that metric, value is each one's value in that column (None: each counts 1)."""
    pro, det, sat = metric_flags(raw, settings)
    nps = {M_NPS_N: None, M_NPS_PRO: pro, M_NPS_DET: det, M_NPS_SUM: raw}
    csat = {M_CSAT_N: None, M_CSAT_SAT: sat, M_CSAT_SUM: raw}
    ces = {M_CES_N: None, M_CES_SUM: raw}
    for code, columns in ((0, nps), (1, csat), (2, ces)):
        items = np.flatnonzero(metric == code)
        yield (
            items,
            {
                col: None if value is None else value[items].astype(np.float64)
                for col, value in columns.items()
            },
        )


def window_sums(prep: Prepared, windows: Windows, settings: ScoringSettings) -> Sums:
    """Sums per unit for every window from the answer rows (see module docstring, step 1)."""
    return interval_sums(prep, windows, settings).window(slice(None))


def membership(prep: Prepared, as_of_ns: np.ndarray, settings: ScoringSettings) -> np.ndarray:
    """Team code (K, P) of each salesperson at each T_k: the team of their latest submission
    in the window (ties by the larger submission id); −1 = no answers in the window."""
    n_k, n_p = len(as_of_ns), prep.n_people
    out = np.full((n_k, n_p), -1, dtype=np.int64)
    person = prep.sub_unit < n_p
    if n_p == 0 or not person.any():
        return out
    starts, ends = window_bounds(as_of_ns, settings)
    person &= (prep.sub_at_ns >= starts.min()) & (prep.sub_at_ns <= ends.max())
    unit, at, team = (a[person] for a in (prep.sub_unit, prep.sub_at_ns, prep.sub_team))
    if not len(unit):
        return out
    # key = unit · stride + the time's rank; ``below(T)``: the ranks of the times ≤ T are those
    # below it. Times in whole µs (the database's) are their own rank, as µs since the first,
    # when the key fits: no sort and search of every time (at 10M answers 0.3 s less).
    base = int(at.min())
    span = (int(at.max()) - base) // 1000 + 1
    if (n_p + 1) * (span + 1) < 2**62 and not (at % 1000).any():
        stride = span + 1
        key = unit * stride + (at - base) // 1000

        def below(end: int) -> int:
            return min(max((int(end) - base) // 1000 + 1, 0), stride)
    else:
        times = unique_values(at)
        stride = len(times) + 1
        key = unit * stride + np.searchsorted(times, at)

        def below(end: int) -> int:
            return int(np.searchsorted(times, end, side="right"))

    # Submissions come sorted by id, so a stable sort orders them by (unit, time, id).
    order = np.argsort(key, kind="stable")
    key, unit, at, team = key[order], unit[order], at[order], team[order]
    p = np.arange(n_p)
    for k in range(n_k):
        pos = np.searchsorted(key, p * stride + below(ends[k]), side="left") - 1
        ok = pos >= 0
        pos_ok = np.where(ok, pos, 0)
        ok &= (unit[pos_ok] == p) & (at[pos_ok] >= starts[k])
        out[k] = np.where(ok, team[pos_ok], -1)
    return out


def find_sorted(haystack: np.ndarray, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``needles`` stands in the ascending ``haystack``, and whether it is there
    at all: (positions, found); a position means something only where found (an empty haystack
    finds nothing)."""
    position = np.searchsorted(haystack, needles)
    if not len(haystack):
        return position, np.zeros(len(position), dtype=bool)
    np.minimum(position, len(haystack) - 1, out=position)
    return position, haystack[position] == needles


def unique_values(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by one sort: numpy's own takes a hashing path that is some hundred
    times slower on millions of large integers (timestamps in ns: 3.3 s against 0.04 s for the
    2.6M submissions of 10M answers). Integers within a range no wider than their count (the
    people or teams of millions of submissions) by marking which occur, without a sort (at
    10M answers 0.25 s less)."""
    if len(values) and values.dtype.kind in "iu":
        low, high = int(values.min()), int(values.max())
        if high - low < len(values):
            occurs = np.zeros(high - low + 1, dtype=bool)
            occurs[np.subtract(values, low, dtype=np.int64)] = True
            return (np.flatnonzero(occurs) + low).astype(values.dtype)
    out = np.sort(values)
    return out[run_starts(out)]


def to_entities(sums: Sums, prep: Prepared, member_team: np.ndarray) -> Sums:
    """Pool unit sums into entities: people (P), teams (T), organisation (1), in that order."""
    n_p, n_t = prep.n_people, len(prep.teams)
    n_k = member_team.shape[0]
    # Team of each unit at each k; units outside any team (inactive people) go to slot n_t.
    unit_team = np.empty((n_k, prep.n_units), dtype=np.int64)
    unit_team[:, :n_p] = np.where(member_team >= 0, member_team, n_t)
    unit_team[:, n_p:] = np.arange(n_t)
    flat = (np.arange(n_k)[:, None] * (n_t + 1) + unit_team).ravel()

    def pool(a: np.ndarray) -> np.ndarray:
        rest = a.shape[2:]
        a2 = a.reshape(n_k * prep.n_units, int(np.prod(rest)))
        teams = np.zeros((n_k * (n_t + 1), a2.shape[1]))
        for c in range(a2.shape[1]):
            teams[:, c] = np.bincount(flat, weights=a2[:, c], minlength=n_k * (n_t + 1))
        teams = teams.reshape(n_k, n_t + 1, *rest)[:, :n_t]
        org = a.sum(axis=1, keepdims=True)
        return np.concatenate([a[:, :n_p], teams, org], axis=1)

    return Sums(*(pool(getattr(sums, name)) for name in sums.fields()))


@dataclass(slots=True)
class Scored:
    """Scores per moment k and entity e (arrays; NaN = no value)."""

    method_score: np.ndarray  # (K, E, A, M)
    method_se: np.ndarray
    method_low: np.ndarray
    method_high: np.ndarray
    method_neff: np.ndarray
    method_weight: np.ndarray  # renormalised within the area
    area_score: np.ndarray  # (K, E, A)
    area_n: np.ndarray
    area_se: np.ndarray
    area_low: np.ndarray
    area_high: np.ndarray
    area_weight: np.ndarray  # renormalised within the index
    index: np.ndarray  # (K, E)
    index_se: np.ndarray
    index_low: np.ndarray
    index_high: np.ndarray
    level: np.ndarray  # (K, E) index into LEVELS
    provisional: np.ndarray
    customer_submissions: np.ndarray
    methods_with_submissions: np.ndarray
    few_customer: np.ndarray
    few_methods: np.ndarray
    no_scored: np.ndarray
    gap_to_target: np.ndarray
    relevant_area: np.ndarray  # (K, E, A): area scored and with positive weight
    sums: Sums


def z_value(settings: ScoringSettings) -> float:
    """z of the two-sided interval at settings.confidence (0.90 → 1.6449)."""
    return NormalDist().inv_cdf(0.5 + settings.confidence / 2)


def divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b where b > 0, NaN elsewhere (no warnings)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)


def _interval(mean: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    return np.clip(mean - z * se, 0.0, 100.0), np.clip(mean + z * se, 0.0, 100.0)


def level_arrays(settings: ScoringSettings) -> tuple[np.ndarray, np.ndarray]:
    """Index thresholds and floors per ruled level (IHAN_PARAS, ERINOMAINEN, HYVA)."""
    idx = np.array([settings.levels[c].index_at_least for c in RULED_LEVELS], dtype=np.float64)
    floor = np.array([settings.levels[c].no_area_below for c in RULED_LEVELS], dtype=np.float64)
    return idx, floor


def score(sums: Sums, settings: ScoringSettings) -> Scored:
    """DESIGN rules 3–6 plus the intervals, vectorised over moments and entities."""
    z = z_value(settings)
    mw = np.array([float(settings.method_weights.get(m, 0.0)) for m in METHODS])
    aw = np.array([float(settings.area_weights.get(a, 0.0)) for a in AREAS])

    # Rule 3: method mean per area, Kish n_eff, standard error.
    # Means are clipped to 0–100 so that rounding cannot show 100.00000000000001.
    m_score = np.clip(divide(sums.swx, sums.sw), 0.0, 100.0)
    var = np.maximum(divide(sums.swxx, sums.sw) - m_score**2, 0.0)
    neff = divide(sums.sw**2, sums.sww)
    single = sums.n == 1
    # Below 1e-8 the variance is rounding noise of Σwx²/Σw − m² (scores are 0–100).
    var = np.where(var < 1e-8, 0.0, var)
    m_se = np.where(single, SINGLE_ANSWER_SD, np.sqrt(divide(var, neff)))
    m_low, m_high = _interval(m_score, m_se, z)

    # Rule 4: area = weighted mean of the method means, renormalised over present methods.
    m_present = sums.n > 0
    w = np.where(m_present, mw, 0.0)
    w_tot = w.sum(axis=-1, keepdims=True)
    m_weight = divide(w, w_tot)
    m_weight = np.where(np.isnan(m_weight), 0.0, m_weight)
    used = m_weight > 0
    a_score = np.where(used, m_weight * np.nan_to_num(m_score), 0.0).sum(axis=-1)
    a_var = np.where(used, m_weight**2 * np.nan_to_num(m_se) ** 2, 0.0).sum(axis=-1)
    a_present = w_tot[..., 0] > 0
    a_score = np.where(a_present, np.clip(a_score, 0.0, 100.0), np.nan)
    a_se = np.where(a_present, np.sqrt(a_var), np.nan)
    a_n = np.where(used, sums.n, 0).sum(axis=-1)
    a_low, a_high = _interval(a_score, a_se, z)

    # Rule 5: index = weighted mean of the area scores, renormalised over present areas.
    wa = np.where(a_present, aw, 0.0)
    wa_tot = wa.sum(axis=-1, keepdims=True)
    a_weight = divide(wa, wa_tot)
    a_weight = np.where(np.isnan(a_weight), 0.0, a_weight)
    relevant = a_weight > 0
    index = np.where(relevant, a_weight * np.nan_to_num(a_score), 0.0).sum(axis=-1)
    i_var = np.where(relevant, a_weight**2 * np.nan_to_num(a_se) ** 2, 0.0).sum(axis=-1)
    i_present = wa_tot[..., 0] > 0
    index = np.where(i_present, np.clip(index, 0.0, 100.0), np.nan)
    i_se = np.where(i_present, np.sqrt(i_var), np.nan)
    i_low, i_high = _interval(index, i_se, z)

    # Rule 6: the highest level whose index threshold and floor both hold.
    thr, floor = level_arrays(settings)
    level = np.full(index.shape, KEHITETTAVAA, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        for rank in range(len(RULED_LEVELS) - 1, -1, -1):
            ok = i_present & (index >= thr[rank] - EPS)
            ok &= np.all(~relevant | (a_score >= floor[rank] - EPS), axis=-1)
            level = np.where(ok, rank, level)

        cust = sums.submissions[..., CUSTOMER]
        n_methods = (sums.submissions > 0).sum(axis=-1)
        few_customer = cust < settings.min_customer_surveys
        few_methods = n_methods < settings.min_methods
        no_scored = ~i_present
        graded = ~(few_customer | few_methods | no_scored)
        level = np.where(graded, level, NOT_ENOUGH)

        # Provisional: the own level might not hold, or the next higher one might.
        provisional = np.zeros(index.shape, dtype=bool)
        for rank in range(len(RULED_LEVELS) + 1):  # 0..2 ruled, 3 KEHITETTAVAA
            at = graded & (level == rank)
            if rank < len(RULED_LEVELS):
                below = i_low < thr[rank] - EPS
                below |= np.any(relevant & (a_low < floor[rank] - EPS), axis=-1)
                provisional |= at & below
            if rank > 0:
                up = rank - 1
                reach = i_high >= thr[up] - EPS
                reach &= np.all(~relevant | (a_high >= floor[up] - EPS), axis=-1)
                provisional |= at & reach

    target = settings.levels[settings.target_level].index_at_least
    return Scored(
        method_score=m_score,
        method_se=m_se,
        method_low=m_low,
        method_high=m_high,
        method_neff=neff,
        method_weight=m_weight,
        area_score=a_score,
        area_n=a_n,
        area_se=a_se,
        area_low=a_low,
        area_high=a_high,
        area_weight=a_weight,
        index=index,
        index_se=i_se,
        index_low=i_low,
        index_high=i_high,
        level=level,
        provisional=provisional,
        customer_submissions=cust,
        methods_with_submissions=n_methods,
        few_customer=few_customer,
        few_methods=few_methods,
        no_scored=no_scored,
        gap_to_target=target - index,
        relevant_area=relevant,
        sums=sums,
    )


def metric_values(metrics: np.ndarray) -> dict[str, np.ndarray]:
    """DESIGN "Metrics": NPS = %promoters − %detractors; CSAT = % of 4–5 and the mean; CES mean."""
    nps_n = metrics[..., M_NPS_N]
    csat_n = metrics[..., M_CSAT_N]
    ces_n = metrics[..., M_CES_N]
    return {
        "nps_n": nps_n,
        "nps": 100.0 * divide(metrics[..., M_NPS_PRO] - metrics[..., M_NPS_DET], nps_n),
        "nps_mean": divide(metrics[..., M_NPS_SUM], nps_n),
        "nps_promoters": metrics[..., M_NPS_PRO],
        "nps_detractors": metrics[..., M_NPS_DET],
        "csat_n": csat_n,
        "csat": 100.0 * divide(metrics[..., M_CSAT_SAT], csat_n),
        "csat_mean": divide(metrics[..., M_CSAT_SUM], csat_n),
        "ces_n": ces_n,
        "ces": divide(metrics[..., M_CES_SUM], ces_n),
    }


def level_counts(
    level: np.ndarray, member_team: np.ndarray, n_people: int, n_teams: int
) -> tuple[np.ndarray, np.ndarray]:
    """Members per level code: (K, T, len(LEVELS)) for teams and (K, len(LEVELS)) overall."""
    n_k = member_team.shape[0]
    n_l = len(LEVELS)
    lv = level[:, :n_people]
    active = member_team >= 0
    k = np.broadcast_to(np.arange(n_k)[:, None], member_team.shape)
    idx = ((k * n_teams + member_team) * n_l + lv)[active]
    teams = np.bincount(idx, minlength=n_k * n_teams * n_l).reshape(n_k, n_teams, n_l)
    idx_o = (k * n_l + lv)[active]
    org = np.bincount(idx_o, minlength=n_k * n_l).reshape(n_k, n_l)
    return teams, org
