"""`trend`: the grades as of the end of each month of a period, in one pass over the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from . import engine as E
from .answers import Prepared, prepare
from .grading import _REASONS, as_of_ns
from .settings import AREAS, LEVELS, RULED_LEVELS, ScoringSettings


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (negative: before) `month`'s month."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date, tz: str | tzinfo = "UTC") -> datetime:
    """The as-of moment of a month: the first instant of the next month in `tz`, minus one
    microsecond (e.g. 2025-01 → 2025-01-31 23:59:59.999999 in tz), returned in UTC.
    Any day of the month identifies the month."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    following = add_months(month, 1)
    next_start = datetime(following.year, following.month, 1, tzinfo=zone)
    return (next_start - timedelta(microseconds=1)).astimezone(UTC)


def months_between(start: date, end: date) -> list[date]:
    """The first days of the months from start's month to end's month, both included."""
    out, month = [], date(start.year, start.month, 1)
    while month <= end:
        out.append(month)
        month = add_months(month, 1)
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Trend:
    """Month-end grades, one DataFrame row per month and entity (see `trend` for columns)."""

    months: list[date]
    as_of: list[datetime]
    people: pd.DataFrame
    teams: pd.DataFrame
    organisation: pd.DataFrame


def trend(
    answers: pd.DataFrame,
    *,
    settings: ScoringSettings,
    months: Sequence[date] | None = None,
    start: date | None = None,
    end: date | None = None,
    tz: str | tzinfo = "UTC",
) -> Trend:
    """The same grades as `grade(answers, settings=settings, as_of=month_end(m, tz))` for each
    month m (given as `months`, or every month from `start` to `end`), computed in one pass:
    each answer is summed once into the elementary interval between window edges it falls in,
    and each month's window combines those interval sums (see engine module docstring).
    Equal to `grade` within floating-point rounding (tested to 1e-6).

    Columns of `people`: month (first day), as_of, salesperson, team, index, index_low,
    index_high, level, provisional, gap_to_target, reasons (comma-separated codes, "" when
    graded), customer_submissions, methods_with_submissions, for each area A
    score_A / low_A / high_A / n_A (NaN / 0 when the area has no score), and the metrics
    nps, nps_n, csat, csat_mean, csat_n, ces, ces_n, metrics_too_few_* flags.
    `teams` has the same (team instead of salesperson) plus member_count, graded_count,
    at_or_above_target_count, share_at_or_above_target, share_at_or_above_target_of_all and
    count_<LEVEL> for each level code; `organisation` the same without team. Questions and
    development targets are not part of a trend (ask `grade` for one month).
    """
    if months is None:
        if start is None or end is None:
            raise ValueError("Give months, or start and end.")
        months = months_between(start, end)
    months = [date(m.year, m.month, 1) for m in months]
    as_of = [month_end(m, tz) for m in months]
    t_ns = np.array([as_of_ns(a) for a in as_of], dtype=np.int64)
    prep = prepare(answers, settings)
    windows = E.make_windows(t_ns, settings)
    member_team = E.membership(prep, t_ns, settings)
    sums = E.to_entities(E.window_sums(prep, windows, settings), prep, member_team)
    scored = E.score(sums, settings)
    parts = [trend_columns(prep, months, as_of, member_team, scored, settings)]
    return trend_frames(parts, months, as_of)


def trend_frames(
    parts: Sequence[dict[str, dict[str, np.ndarray]]], months: list[date], as_of: list[datetime]
) -> Trend:
    """One `Trend` of the `trend_columns` of consecutive month ends (each frame made once):
    `trend` makes them in one part, `reports.compute` a few months at a time."""

    def frame(name: str) -> pd.DataFrame:
        names = parts[0][name]
        df = pd.DataFrame({c: np.concatenate([part[name][c] for part in parts]) for c in names})
        df["as_of"] = pd.to_datetime(df["as_of"], unit="us", utc=True)
        return df

    return Trend(
        months=months,
        as_of=as_of,
        people=frame("people"),
        teams=frame("teams"),
        organisation=frame("organisation"),
    )


def trend_columns(
    pop: Prepared,
    months: list[date],
    as_of: list[datetime],
    member_team: np.ndarray,
    s: E.Scored,
    settings: ScoringSettings,
) -> dict[str, dict[str, np.ndarray]]:
    """The columns of the trend's three frames ("people", "teams", "organisation") for these
    month ends (k = month of ``s``); ``as_of`` in µs since the epoch until `trend_frames`.
    Rows come month by month, each month by salesperson or team id (both sorted)."""
    sums = s.sums
    n_p, n_t = pop.n_people, len(pop.teams)
    n_k = len(months)
    n_e = n_p + n_t + 1
    cols = _columns(s, settings)
    k_idx = np.repeat(np.arange(n_k), n_e).reshape(n_k, n_e)
    base = {
        "month": np.array(months, dtype=object)[k_idx],
        # µs since the epoch until the frame is made: a tz-aware array would be an object
        # array of Timestamps, made and parsed back for every row (most of the trend's time).
        "as_of": pd.DatetimeIndex(as_of).as_unit("us").asi8[k_idx],
    }
    team_counts, org_counts = E.level_counts(s.level, member_team, n_p, n_t)
    target_rank = RULED_LEVELS.index(settings.target_level)

    def frame(sl: slice, mask: np.ndarray, extra: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        data = {k: v[:, sl][mask] for k, v in base.items()}
        data.update({k: v[mask] for k, v in extra.items()})
        data.update({k: v[:, sl][mask] for k, v in cols.items()})
        return data

    def groups(counts: np.ndarray) -> dict[str, np.ndarray]:
        members = counts.sum(axis=-1)
        graded = members - counts[..., E.NOT_ENOUGH]
        above = counts[..., : target_rank + 1].sum(axis=-1)
        out = {
            "member_count": members,
            "graded_count": graded,
            "at_or_above_target_count": above,
            "share_at_or_above_target": E.divide(above.astype(float), graded.astype(float)),
            "share_at_or_above_target_of_all": E.divide(above.astype(float), members.astype(float)),
        }
        for i, code in enumerate(LEVELS):
            out[f"count_{code}"] = counts[..., i]
        return out

    people_mask = member_team >= 0
    people = frame(
        slice(0, n_p),
        people_mask,
        {
            "salesperson": np.broadcast_to(pop.people, (n_k, n_p)),
            "team": pop.teams[np.maximum(member_team, 0)] if n_t else member_team,
        },
    )
    team_active = (sums.answers[:, n_p : n_p + n_t].sum(axis=-1) > 0) | (
        team_counts.sum(axis=-1) > 0
    )
    team_extra = {"team": np.broadcast_to(pop.teams, (n_k, n_t))} | groups(team_counts)
    teams = frame(slice(n_p, n_p + n_t), team_active, team_extra)
    org = frame(slice(n_e - 1, n_e), np.ones((n_k, 1), dtype=bool), groups(org_counts[:, None]))
    return {"people": people, "teams": teams, "organisation": org}


def _columns(s: E.Scored, settings: ScoringSettings) -> dict[str, np.ndarray]:
    cols: dict[str, np.ndarray] = {
        "index": s.index,
        "index_low": s.index_low,
        "index_high": s.index_high,
        "level": np.array(LEVELS, dtype=object)[s.level],
        "provisional": s.provisional,
        "gap_to_target": s.gap_to_target,
        "reasons": _reasons(s),
        "customer_submissions": s.customer_submissions.astype(np.int64),
        "methods_with_submissions": s.methods_with_submissions.astype(np.int64),
    }
    for a, area in enumerate(AREAS):
        cols[f"score_{area}"] = s.area_score[..., a]
        cols[f"low_{area}"] = s.area_low[..., a]
        cols[f"high_{area}"] = s.area_high[..., a]
        cols[f"n_{area}"] = s.area_n[..., a].astype(np.int64)
    m = E.metric_values(s.sums.metrics)
    least = settings.min_n_for_metrics
    for name in ("nps", "nps_n", "csat", "csat_mean", "csat_n", "ces", "ces_n"):
        cols[name] = m[name].astype(np.int64) if name.endswith("_n") else m[name]
    for name in ("nps", "csat", "ces"):
        cols[f"{name}_too_few"] = m[f"{name}_n"] < least
    return cols


def _reasons(s: E.Scored) -> np.ndarray:
    """Each row's NOT_ENOUGH_DATA reasons, comma-separated in a result's order (``_REASONS``;
    "" for none): one of the few strings looked up by the flags as bits, not one made per row."""
    codes = [code for code, *_ in _REASONS]
    strings = np.array(
        [
            ",".join(code for b, code in enumerate(codes) if bits >> b & 1)
            for bits in range(1 << len(codes))
        ],
        dtype=object,
    )
    bits = np.zeros(s.level.shape, dtype=np.int64)
    for b, (_code, flag, *_counts) in enumerate(_REASONS):
        bits |= getattr(s, flag).astype(np.int64) << b
    return strings[bits]
