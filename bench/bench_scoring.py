"""Benchmark of the scoring engine: `grade` and a 24-month `trend` on generated answers.

    python bench/bench_scoring.py                      # 1,000,000 answers, 2,000 people
    python bench/bench_scoring.py --answers 100000 --people 200

Targets on the 2-core reference machine: grade ≤ 2 s and ≤ 1 GB, 24-month trend ≤ 5 s.
Memory is the tracemalloc peak during the call (numpy and pandas buffers included), measured
in a separate run from the timing because tracing slows the code down.
"""

from __future__ import annotations

import argparse
import importlib
import resource
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

# Runnable as a plain script from anywhere: the worktree root holds the `reports` package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scoring = importlib.import_module("reports.scoring")

QUESTIONS = {
    "OBSERVATION": [
        ("OBS1", "ATTITUDE", "", "FIVE_POINT"),
        ("OBS2", "ATTITUDE", "", "FIVE_POINT"),
        ("OBS3", "SKILLS", "", "FIVE_POINT"),
    ],
    "MYSTERY_SHOP": [
        ("MYS1", "KNOWLEDGE", "", "FIVE_POINT"),
        ("MYS2", "SKILLS", "", "FIVE_POINT"),
        ("MYS3", "ATTITUDE", "", "FIVE_POINT"),
        ("MYS4", "KNOWLEDGE", "", "YES_PARTLY_NO"),
    ],
    "CUSTOMER": [
        ("CUS1", "SKILLS", "", "FIVE_POINT"),
        ("CUS2", "LOYALTY", "", "FIVE_POINT"),
        ("CUS3", "LOYALTY", "NPS", "ELEVEN_POINT"),
        ("CSAT", "", "CSAT", "FIVE_POINT"),
        ("CES", "", "CES", "FIVE_POINT"),
    ],
}
# Share of submissions per method and the chance that each question is answered.
METHOD_SHARE = {"OBSERVATION": 0.3, "MYSTERY_SHOP": 0.1, "CUSTOMER": 0.6}
ANSWERED = {"CSAT": 0.7, "CES": 0.5}
WHY_CHANCE = {"OBSERVATION": 0.1, "MYSTERY_SHOP": 0.3, "CUSTOMER": 0.25}
WHYS = ["Ystävällinen palvelu", "Joutui odottamaan", "Tuntee tuotteet", "Ei ehtinyt auttaa", ""]


def generate(n_answers: int, n_people: int, n_teams: int, end: datetime, seed: int = 7):
    """About n_answers answers of n_people salespeople in n_teams teams over 2 years."""
    rng = np.random.default_rng(seed)
    per_sub = sum(
        share * sum(ANSWERED.get(q[0], 1.0) for q in QUESTIONS[m])
        for m, share in METHOD_SHARE.items()
    )
    n_subs = int(n_answers / per_sub)
    methods = list(METHOD_SHARE)
    sub_method = rng.choice(len(methods), size=n_subs, p=list(METHOD_SHARE.values()))
    # Activity varies a lot between salespeople (new hires, part-timers): lognormal shares.
    activity = rng.lognormal(0.0, 1.2, size=n_people)
    person = rng.choice(n_people, size=n_subs, p=activity / activity.sum())
    team_of = rng.integers(0, n_teams, size=n_people)
    team = team_of[person]
    # 1 % of people moved team a year ago: their older answers carry the old team.
    moved = rng.random(n_people) < 0.01
    # Submissions are numbered in the order they were answered, as the app's ids are given
    # (the oldest first).
    age_days = np.sort(rng.random(n_subs) * 730)[::-1]
    old = moved[person] & (age_days > 365)
    team = np.where(old, (team + 1) % n_teams, team)
    at_ns = (pd.Timestamp(end).value - (age_days * 86_400e9).astype(np.int64)).astype(np.int64)
    ability = rng.normal(0.72, 0.12, size=n_people)
    # 5 % of customer surveys through a team link, without salesperson.
    anonymous = (sub_method == 2) & (rng.random(n_subs) < 0.05)

    parts = []
    for m_code, method in enumerate(methods):
        subs = np.flatnonzero(sub_method == m_code)
        for question, area, metric, scale in QUESTIONS[method]:
            chance = ANSWERED.get(question, 1.0)
            s = subs[rng.random(len(subs)) < chance] if chance < 1 else subs
            latent = np.clip(ability[person[s]] + rng.normal(0, 0.18, len(s)), 0, 1)
            if scale == "FIVE_POINT":
                value = 1 + np.rint(latent * 4)
            elif scale == "ELEVEN_POINT":
                value = np.rint(latent * 10)
            else:
                value = np.rint(latent * 2)
            has_why = rng.random(len(s)) < WHY_CHANCE[method]
            why = np.where(has_why, np.array(WHYS, dtype=object)[rng.integers(0, 5, len(s))], "")
            parts.append(
                pd.DataFrame(
                    {
                        "submission": s,
                        "q": question,
                        "method": method,
                        "area": area,
                        "metric": metric,
                        "scale": scale,
                        "value": value,
                        "why": why,
                    }
                )
            )
    frame = pd.concat(parts, ignore_index=True).sort_values(["submission", "q"], kind="stable")
    sub = frame["submission"].to_numpy()
    salesperson = pd.array(person[sub] + 1, dtype="Int64")
    salesperson[anonymous[sub]] = pd.NA
    return pd.DataFrame(
        {
            "submission": sub.astype(np.int64) + 1,
            "salesperson": salesperson,
            "team": team[sub].astype(np.int64) + 1,
            "method": frame["method"].astype("str").to_numpy(),
            "area": frame["area"].astype("str").to_numpy(),
            "question": frame["q"].astype("str").to_numpy(),
            "metric": frame["metric"].astype("str").to_numpy(),
            "scale": frame["scale"].astype("str").to_numpy(),
            "value": frame["value"].to_numpy(dtype=np.float64),
            "answered_at": pd.to_datetime(at_ns[sub], utc=True),
            "why": frame["why"].astype("str").to_numpy(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--teams", type=int, default=None, help="default: people / 20")
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()
    teams = args.teams or max(1, args.people // 20)
    end = datetime(2026, 11, 1, tzinfo=UTC) - timedelta(microseconds=1)
    answers = generate(args.answers, args.people, teams, end)
    settings = scoring.ScoringSettings()
    print(f"answers {len(answers):,}, salespeople {args.people:,}, teams {teams}, 2 years")

    timings = []
    for _ in range(3):
        start = time.perf_counter()
        grades = scoring.grade(answers, settings=settings, as_of=end)
        timings.append(time.perf_counter() - start)
    tracemalloc.start()
    scoring.grade(answers, settings=settings, as_of=end)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    levels = grades.organisation.level_distribution
    print(
        f"grade: {timings[0]:.2f} s first call, {min(timings):.2f} s best of 3 (target ≤ 2 s); "
        f"{len(grades.people):,} people, {len(grades.teams)} teams"
    )
    print(
        f"grade memory: peak {peak / 2**20:.0f} MiB allocated during the call, measured with "
        "tracemalloc (numpy and pandas buffers included; target ≤ 1 GB); process max RSS "
        f"{rss_after / 2**10:.0f} MiB (getrusage, includes the generated data)"
    )
    print(f"organisation level distribution: {levels}")

    last = end.date()
    first_year, first_month = divmod(last.year * 12 + last.month - 1 - (args.months - 1), 12)
    months = scoring.months_between(date(first_year, first_month + 1, 1), last)
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        result = scoring.trend(answers, settings=settings, months=months)
        timings.append(time.perf_counter() - start)
    print(
        f"trend: {timings[0]:.2f} s first call, {min(timings):.2f} s best of 2 for "
        f"{len(months)} month ends {months[0]:%Y-%m}…{months[-1]:%Y-%m} (target ≤ 5 s); "
        f"{len(result.people):,} person-month rows"
    )


if __name__ == "__main__":
    main()
