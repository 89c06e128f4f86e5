"""Settings of the scoring engine: every number of DESIGN.md "Scoring engine" as a field.

The defaults are the product defaults. Leadership may change them; `validate()` lists what is
wrong with a changed set, `to_dict()` / `from_dict()` store them as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

# Stable upper-case codes (the Django side mirrors them as TextChoices).
METHODS: tuple[str, ...] = ("OBSERVATION", "MYSTERY_SHOP", "CUSTOMER")
AREAS: tuple[str, ...] = ("KNOWLEDGE", "SKILLS", "ATTITUDE", "LOYALTY")
METRICS: tuple[str, ...] = ("NPS", "CSAT", "CES")
SCALES: tuple[str, ...] = ("FIVE_POINT", "ELEVEN_POINT", "YES_PARTLY_NO")

IHAN_PARAS = "IHAN_PARAS"
ERINOMAINEN = "ERINOMAINEN"
HYVA = "HYVA"
KEHITETTAVAA = "KEHITETTAVAA"
NOT_ENOUGH_DATA = "NOT_ENOUGH_DATA"
# Graded levels from the highest down; KEHITETTAVAA ("not yet good") has no rule.
RULED_LEVELS: tuple[str, ...] = (IHAN_PARAS, ERINOMAINEN, HYVA)
# Every level code, best first; NOT_ENOUGH_DATA is not a grade and comes last.
LEVELS: tuple[str, ...] = (IHAN_PARAS, ERINOMAINEN, HYVA, KEHITETTAVAA, NOT_ENOUGH_DATA)


@dataclass(frozen=True, slots=True)
class LevelRule:
    """One row of the levels table: the index must be at least `index_at_least` and no area
    that has answers may be below `no_area_below` (the floor)."""

    index_at_least: float
    no_area_below: float


def _default_levels() -> dict[str, LevelRule]:
    return {
        IHAN_PARAS: LevelRule(90.0, 80.0),
        ERINOMAINEN: LevelRule(75.0, 65.0),
        HYVA: LevelRule(60.0, 50.0),
    }


_DEFAULT_TABLES: dict[str, dict[str, Any]] = {
    "linear_scales": {"FIVE_POINT": (1.0, 5.0), "ELEVEN_POINT": (0.0, 10.0)},
    "method_weights": {"OBSERVATION": 0.2, "MYSTERY_SHOP": 0.3, "CUSTOMER": 0.5},
    "area_weights": dict.fromkeys(AREAS, 0.25),
    "levels": _default_levels(),
}


@dataclass(frozen=True)
class ScoringSettings:
    """All the numbers of the scoring rules (DESIGN.md "Scoring engine"), with its defaults.

    Normalisation to 0–100: a linear scale with raw bounds (lo, hi) maps v → (v − lo)/(hi − lo)
    × 100, so 1–5 gives (v − 1) × 25 and 0–10 gives v × 10; a yes/partly/no answer (raw 2/1/0)
    maps to `yes_score` / `partly_score` / `no_score`.

    The mapping fields are plain dicts so that the object stays JSON-friendly; treat them as
    read-only (the engine never mutates them).
    """

    linear_scales: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: {"FIVE_POINT": (1.0, 5.0), "ELEVEN_POINT": (0.0, 10.0)}
    )
    yes_score: float = 100.0
    partly_score: float = 50.0
    no_score: float = 0.0
    window_days: float = 365.0
    half_life_days: float = 180.0  # 0 switches recency weighting off (every weight 1)
    method_weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "OBSERVATION": 0.2,
            "MYSTERY_SHOP": 0.3,
            "CUSTOMER": 0.5,
        }
    )
    area_weights: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(AREAS, 0.25))
    levels: Mapping[str, LevelRule] = field(default_factory=_default_levels)
    min_customer_surveys: int = 5
    min_methods: int = 2
    min_n_for_metrics: int = 5
    target_level: str = ERINOMAINEN
    confidence: float = 0.90
    nps_promoter_min: float = 9.0
    nps_detractor_max: float = 6.0
    csat_satisfied_min: float = 4.0

    def __post_init__(self) -> None:
        # Tables given in part are completed with the defaults, so that a missing key means
        # the same in the constructor, in from_dict() and after a JSON round trip.
        default = _DEFAULT_TABLES
        for name in ("method_weights", "area_weights"):
            table = {**default[name], **{k: float(v) for k, v in getattr(self, name).items()}}
            object.__setattr__(self, name, table)
        scales = {k: (float(lo), float(hi)) for k, (lo, hi) in self.linear_scales.items()}
        object.__setattr__(self, "linear_scales", {**default["linear_scales"], **scales})
        object.__setattr__(self, "levels", {**default["levels"], **dict(self.levels)})

    def __hash__(self) -> int:
        # Hashable despite its dict fields, so that callers can cache results per settings.
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    def validate(self) -> list[str]:
        """Return the problems of this set of settings as sentences; an empty list means valid.

        Rules: method and area weights are non-negative with a positive sum; every level has
        index and floor in 0–100, ordered IHAN_PARAS ≥ ERINOMAINEN ≥ HYVA for both; linear
        scales have hi > lo; yes/partly/no scores in 0–100; window > 0; half-life ≥ 0;
        minimums ≥ 0; the target level is one of the ruled levels; 0 < confidence < 1.
        """
        problems: list[str] = []
        for name, weights, codes in (
            ("method", self.method_weights, METHODS),
            ("area", self.area_weights, AREAS),
        ):
            unknown = sorted(set(weights) - set(codes))
            if unknown:
                problems.append(f"Unknown {name} codes in {name} weights: {', '.join(unknown)}.")
            values = [float(weights.get(code, 0.0)) for code in codes]
            if any(not v >= 0 for v in values):
                problems.append(f"The {name} weights must not be negative.")
            elif sum(values) <= 0:
                problems.append(f"The {name} weights must have a positive sum.")
        for code in RULED_LEVELS:
            rule = self.levels.get(code)
            if rule is None:
                problems.append(f"The level {code} has no thresholds.")
                continue
            for label, value in (
                ("index", rule.index_at_least),
                ("floor", rule.no_area_below),
            ):
                if not 0 <= value <= 100:
                    problems.append(f"The {label} threshold of {code} must be within 0–100.")
        if all(code in self.levels for code in RULED_LEVELS):
            top, mid, low = (self.levels[c] for c in RULED_LEVELS)
            if not top.index_at_least >= mid.index_at_least >= low.index_at_least:
                problems.append("Index thresholds must be ordered IHAN_PARAS ≥ ERINOMAINEN ≥ HYVA.")
            if not top.no_area_below >= mid.no_area_below >= low.no_area_below:
                problems.append("Area floors must be ordered IHAN_PARAS ≥ ERINOMAINEN ≥ HYVA.")
        for scale in ("FIVE_POINT", "ELEVEN_POINT"):
            bounds = self.linear_scales.get(scale)
            if bounds is None or len(bounds) != 2 or not bounds[1] > bounds[0]:
                problems.append(f"The scale {scale} needs bounds (lo, hi) with hi > lo.")
        for label, value in (
            ("yes", self.yes_score),
            ("partly", self.partly_score),
            ("no", self.no_score),
        ):
            if not 0 <= value <= 100:
                problems.append(f"The {label} score must be within 0–100.")
        if not self.window_days > 0:
            problems.append("The window must be longer than 0 days.")
        if not self.half_life_days >= 0:
            problems.append("The half-life must be 0 (no weighting) or more days.")
        for label, value in (
            ("min_customer_surveys", self.min_customer_surveys),
            ("min_methods", self.min_methods),
            ("min_n_for_metrics", self.min_n_for_metrics),
        ):
            if not value >= 0:
                problems.append(f"{label} must not be negative.")
        if self.target_level not in RULED_LEVELS:
            problems.append(f"The target level must be one of {', '.join(RULED_LEVELS)}.")
        if not 0 < self.confidence < 1:
            problems.append("The interval confidence must be between 0 and 1.")
        return problems

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON-safe plain data (dicts, lists, numbers, strings)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "levels":
                value = {
                    code: {
                        "index_at_least": r.index_at_least,
                        "no_area_below": r.no_area_below,
                    }
                    for code, r in value.items()
                }
            elif f.name == "linear_scales":
                value = {scale: [lo, hi] for scale, (lo, hi) in value.items()}
            elif isinstance(value, Mapping):
                value = dict(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ScoringSettings:
        """Build settings from `to_dict()` output; missing keys (also inside the weight and
        level tables) take their defaults, unknown keys are ignored. Call `validate()` after."""
        data = data or {}
        default = cls()
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data or data[f.name] is None:
                continue
            value = data[f.name]
            if f.name == "levels":
                levels = dict(default.levels)
                for code, rule in dict(value).items():
                    base = levels.get(code, LevelRule(0.0, 0.0))
                    levels[code] = LevelRule(
                        float(rule.get("index_at_least", base.index_at_least)),
                        float(rule.get("no_area_below", base.no_area_below)),
                    )
                kwargs[f.name] = levels
            elif f.name == "linear_scales":
                scales = dict(default.linear_scales)
                for scale, bounds in dict(value).items():
                    scales[scale] = (float(bounds[0]), float(bounds[1]))
                kwargs[f.name] = scales
            elif f.name in ("method_weights", "area_weights"):
                weights = dict(getattr(default, f.name))
                weights.update({k: float(v) for k, v in dict(value).items()})
                kwargs[f.name] = weights
            elif f.name == "target_level":
                kwargs[f.name] = str(value)
            elif f.name.startswith("min_"):
                kwargs[f.name] = int(value)
            else:
                kwargs[f.name] = float(value)
        return cls(**kwargs)
