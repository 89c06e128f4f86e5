"""The engine against a second, deliberately naive reading of DESIGN.md's rules.

The reference below loops over plain rows, one rule at a time, the way a reader would check a
grade by hand. On random organisations both must agree on every score, level and metric.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from reports.scoring import ScoringSettings, grade

T = datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC)
BANK = {
    "OBS1": ("OBSERVATION", "ATTITUDE", "", "FIVE_POINT"),
    "OBS2": ("OBSERVATION", "ATTITUDE", "", "FIVE_POINT"),
    "OBS3": ("OBSERVATION", "SKILLS", "", "FIVE_POINT"),
    "MYS1": ("MYSTERY_SHOP", "KNOWLEDGE", "", "FIVE_POINT"),
    "MYS2": ("MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT"),
    "MYS3": ("MYSTERY_SHOP", "ATTITUDE", "", "FIVE_POINT"),
    "CUS1": ("CUSTOMER", "SKILLS", "", "FIVE_POINT"),
    "CUS2": ("CUSTOMER", "LOYALTY", "", "FIVE_POINT"),
    "CUS3": ("CUSTOMER", "LOYALTY", "NPS", "ELEVEN_POINT"),
    "CSAT": ("CUSTOMER", "", "CSAT", "FIVE_POINT"),
    "CES": ("CUSTOMER", "", "CES", "FIVE_POINT"),
}
BY_METHOD = defaultdict(list)
for code, (method, *_rest) in BANK.items():
    BY_METHOD[method].append(code)
METHOD_WEIGHTS = {"OBSERVATION": 0.2, "MYSTERY_SHOP": 0.3, "CUSTOMER": 0.5}
LEVELS = [("IHAN_PARAS", 90, 80), ("ERINOMAINEN", 75, 65), ("HYVA", 60, 50)]


def random_answers(seed: int, people: int = 12) -> pd.DataFrame:
    rng = random.Random(seed)
    rows, submission = [], 0
    for person in range(1, people + 1):
        team = 100 + person % 3
        skill = rng.uniform(0.2, 1.0)
        for method, count in (
            ("OBSERVATION", rng.randint(0, 4)),
            ("MYSTERY_SHOP", rng.randint(0, 3)),
            ("CUSTOMER", rng.randint(0, 9)),
        ):
            for _ in range(count):
                submission += 1
                at = T - timedelta(
                    days=rng.uniform(-5, 420)
                )  # some outside the window, some future
                for code in BY_METHOD[method]:
                    scale = BANK[code][3]
                    if scale == "ELEVEN_POINT":
                        value = max(0, min(10, round(rng.gauss(skill * 10, 2))))
                    else:
                        value = max(1, min(5, round(rng.gauss(1 + skill * 4, 0.8))))
                    rows.append(
                        (submission, person, team, method, *BANK[code][1:3], code, scale, value, at)
                    )
    frame = pd.DataFrame(
        rows,
        columns=[
            "submission",
            "salesperson",
            "team",
            "method",
            "area",
            "metric",
            "question",
            "scale",
            "value",
            "answered_at",
        ],
    )
    frame["why"] = ""
    frame["salesperson"] = frame["salesperson"].astype("Int64")
    frame["value"] = frame["value"].astype(float)
    frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True)
    return frame


def normalise(scale, value):
    return (value - 1) * 25 if scale == "FIVE_POINT" else value * 10


def reference_person(rows):
    """DESIGN.md steps 1–6 and 9 for one salesperson's rows, literally."""
    in_window = [r for r in rows if T - timedelta(days=365) <= r["answered_at"] <= T]
    sums = defaultdict(lambda: [0.0, 0.0])  # (area, method) → [Σ w·x, Σ w]
    for r in in_window:
        if not r["area"]:
            continue
        age_days = (T - r["answered_at"]).total_seconds() / 86400
        weight = 0.5 ** (age_days / 180)
        sums[(r["area"], r["method"])][0] += weight * normalise(r["scale"], r["value"])
        sums[(r["area"], r["method"])][1] += weight
    areas = {}
    for area in ("KNOWLEDGE", "SKILLS", "ATTITUDE", "LOYALTY"):
        methods = {m: s[0] / s[1] for (a, m), s in sums.items() if a == area}
        if methods:
            total = sum(METHOD_WEIGHTS[m] for m in methods)
            areas[area] = sum(METHOD_WEIGHTS[m] * v for m, v in methods.items()) / total
    index = sum(areas.values()) / len(areas) if areas else None
    customer_surveys = len({r["submission"] for r in in_window if r["method"] == "CUSTOMER"})
    methods_seen = len({r["method"] for r in in_window})
    if customer_surveys < 5 or methods_seen < 2:
        level = "NOT_ENOUGH_DATA"
    else:
        level = "KEHITETTAVAA"
        for code, at_least, floor in LEVELS:
            if index >= at_least and all(score >= floor for score in areas.values()):
                level = code
                break
    nps_values = [r["value"] for r in in_window if r["metric"] == "NPS"]
    nps = None
    if nps_values:
        nps = (
            100
            * (sum(v >= 9 for v in nps_values) - sum(v <= 6 for v in nps_values))
            / len(nps_values)
        )
    csat_values = [r["value"] for r in in_window if r["metric"] == "CSAT"]
    csat = 100 * sum(v >= 4 for v in csat_values) / len(csat_values) if csat_values else None
    ces_values = [r["value"] for r in in_window if r["metric"] == "CES"]
    ces = sum(ces_values) / len(ces_values) if ces_values else None
    return {"areas": areas, "index": index, "level": level, "nps": nps, "csat": csat, "ces": ces}


@pytest.mark.parametrize("seed", range(8))
def test_the_engine_agrees_with_a_naive_reading_of_the_rules(seed):
    frame = random_answers(seed)
    grades = grade(frame, settings=ScoringSettings(), as_of=T)
    records = frame.to_dict("records")
    for person in sorted(frame["salesperson"].unique()):
        expected = reference_person([r for r in records if r["salesperson"] == person])
        if expected["index"] is None and not any(
            T - timedelta(days=365) <= r["answered_at"] <= T
            for r in records
            if r["salesperson"] == person
        ):
            assert int(person) not in grades.people
            continue
        result = grades.people[int(person)]
        assert result.level == expected["level"], (person, result.index, expected)
        assert set(result.areas) == set(expected["areas"])
        for area, score in expected["areas"].items():
            assert result.areas[area].score == pytest.approx(score, abs=1e-9)
        if expected["index"] is None:
            assert result.index is None
        else:
            assert result.index == pytest.approx(expected["index"], abs=1e-9)
        for code, key in (("NPS", "nps"), ("CSAT", "csat"), ("CES", "ces")):
            if expected[key] is None:
                assert result.metrics[code].n == 0
            else:
                assert result.metrics[code].value == pytest.approx(expected[key], abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_teams_and_the_organisation_pool_their_members_answers(seed):
    frame = random_answers(seed, people=15)
    grades = grade(frame, settings=ScoringSettings(), as_of=T)
    records = frame.to_dict("records")
    for team, result in grades.teams.items():
        expected = reference_person([r for r in records if r["team"] == team])
        assert result.level == expected["level"]
        assert result.index == pytest.approx(expected["index"], abs=1e-9)
        assert result.metrics["NPS"].value == pytest.approx(expected["nps"], abs=1e-9)
    whole = reference_person(records)
    assert grades.organisation.index == pytest.approx(whole["index"], abs=1e-9)
    assert grades.organisation.level == whole["level"]
    levels = [p.level for p in grades.people.values()]
    assert sum(grades.organisation.level_distribution.values()) == len(levels)
