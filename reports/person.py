"""The pieces of a salesperson's page (``reports.pages.person_page``), shaped from the engine's results: the level with its
reasons in words, the index against the target, the areas per method, the monthly trend, the
development targets with the "why" texts that explain them, the latest answers and the metrics.

The numbers are rounded here once (`rounded`), and the exports use the same function, so that
a number on the page and in a spreadsheet never differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from asiakaskunto.models import Answer, Method, Question, Salesperson, Scale
from asiakaskunto.questions import questions_by_code

# One rounding and one set of labels for every page and export (the dashboards' module).
from .dashboards import area_label, level_label, rounded
from .scoring import AREAS, METHODS, PersonResult, ScoringSettings

RECENT_ANSWERS = 20
TREND_MONTHS = 12


def method_label(code: str) -> str:
    return str(Method(code).label)


def reasons_of(result: PersonResult | None, settings: ScoringSettings) -> list[dict[str, Any]]:
    """The engine's reasons; someone without answers in the window has none of the evidence
    (the engine gives no result for them, so say what it would)."""
    if result is not None:
        return result.reasons
    return [
        {"code": "FEW_CUSTOMER_SURVEYS", "have": 0, "need": settings.min_customer_surveys},
        {"code": "FEW_METHODS", "have": 0, "need": settings.min_methods},
    ]


def reason_texts(reasons: list[dict[str, Any]]) -> list[str]:
    """The engine's not-enough-data reasons in words: "3/5 customer surveys", "1/2 methods"."""
    out = []
    for reason in reasons:
        code = reason["code"]
        if code == "FEW_CUSTOMER_SURVEYS":
            out.append(
                ngettext(
                    "%(have)s/%(need)s customer survey",
                    "%(have)s/%(need)s customer surveys",
                    reason["need"],
                )
                % reason
            )
        elif code == "FEW_METHODS":
            out.append(
                ngettext(
                    "%(have)s/%(need)s measuring method",
                    "%(have)s/%(need)s measuring methods",
                    reason["need"],
                )
                % reason
            )
        else:
            out.append(_("no scored answers"))
    return out


# Who wrote a "why" text, by the method of its answer.
def why_source(method: str) -> str:
    return {
        Method.CUSTOMER: _("Customer"),
        Method.OBSERVATION: _("Observer's note"),
        Method.MYSTERY_SHOP: _("Mystery shopper"),
    }[method]


@dataclass(frozen=True, slots=True)
class MetricView:
    code: str
    n: int
    value: float | None  # None when there is nothing to show (no answers or too few)
    too_few: bool
    mean: float | None = None  # CSAT: the mean 1–5 answer beside the share of 4–5


def metrics_view(result: PersonResult | None, settings: ScoringSettings) -> list[MetricView]:
    """NPS, CSAT (% of 4–5, and the mean) and CES (mean) with n; below settings.min_n_for_metrics the value
    is withheld ("too few answers"), as DESIGN asks."""
    out = []
    for code in ("NPS", "CSAT", "CES"):
        metric = result.metrics[code] if result else None
        n = metric.n if metric else 0
        too_few = n < settings.min_n_for_metrics
        value = None if (metric is None or too_few) else rounded(metric.value)
        mean = rounded(metric.mean) if code == "CSAT" and value is not None else None
        out.append(MetricView(code=code, n=n, value=value, too_few=too_few, mean=mean))
    return out


def area_rows(result: PersonResult | None, settings: ScoringSettings) -> list[dict[str, Any]]:
    """One row per area: score, interval, n, the target level's floor, and the score per method
    (None where the method has no answers in that area)."""
    floor = settings.levels[settings.target_level].no_area_below
    rows = []
    for area in AREAS:
        score = result.areas.get(area) if result else None
        methods = []
        for method in METHODS:
            m = score.methods.get(method) if score else None
            methods.append(
                {
                    "method": method,
                    "label": method_label(method),
                    "score": rounded(m.score) if m else None,
                    "n": m.n if m else 0,
                }
            )
        rows.append(
            {
                "area": area,
                "label": area_label(area),
                "score": rounded(score.score) if score else None,
                "low": rounded(score.interval.low) if score else None,
                "high": rounded(score.interval.high) if score else None,
                "n": score.n if score else 0,
                "floor": floor,
                "below_floor": bool(score and score.score < floor),
                "methods": methods,
            }
        )
    return rows


def targets_view(result: PersonResult | None, organisation) -> list[dict[str, Any]]:
    """The engine's development targets (areas below the target level's floor, largest gap
    first) with each question's wording in the active language, its method, and up to three
    "why" texts that explain the gap (answers below the floor, the lowest-scoring first, then
    the latest), each with the answer it explains and who wrote it."""
    if not result or not result.targets:
        return []
    codes = {q.question for t in result.targets for q in t.questions}
    questions = questions_by_code(organisation, codes)
    texts = {code: q.text for code, q in questions.items()}
    out = []
    for target in result.targets:
        out.append(
            {
                "area": target.area,
                "label": area_label(target.area),
                "score": rounded(target.score),
                "floor": target.floor,
                "gap": rounded(target.gap),
                "questions": [
                    {
                        "code": q.question,
                        "text": texts.get(q.question, q.question),
                        "method": method_label(q.method),
                        "score": rounded(q.score),
                        "gap": rounded(q.gap),
                        "source": why_source(q.method),
                        "whys": [
                            {
                                "text": w.text,
                                "answered_at": w.answered_at,
                                "value": _why_value(w.value, questions.get(q.question)),
                            }
                            for w in q.whys
                        ],
                    }
                    for q in target.questions
                ],
            }
        )
    return out


def _why_value(value: float | None, question: Question | None) -> str:
    """The answer a quoted "why" explains, as it was given (2/5), or "" when not known."""
    if value is None or question is None:
        return ""
    return value_display(Answer(value=int(value), scale=question.scale))


def value_display(answer: Answer) -> str:
    """The raw answer as the respondent gave it: 4/5, 9/10, or yes / partly / no."""
    if answer.scale == Scale.YES_PARTLY_NO:
        return {0: _("no"), 1: _("partly"), 2: _("yes")}.get(answer.value, str(answer.value))
    high = 10 if answer.scale == Scale.ELEVEN_POINT else 5
    return f"{answer.value}/{high}"


def recent_answers(salesperson: Salesperson, *, limit: int = RECENT_ANSWERS) -> list[dict]:
    """The latest answers about this salesperson, newest first, in one query; a customer's
    answers recorded in an interview carry ``interviewed_by`` (the interviewer's name)."""
    answers = (
        Answer.objects.for_salesperson(salesperson)
        .select_related("question", "submission__survey_response__interviewer")
        .order_by("-submission__answered_at", "-submission_id", "question__position", "id")[:limit]
    )
    return [
        {
            "answered_at": a.submission.answered_at,
            "method": method_label(a.method),
            "code": a.question.code,
            "question": a.question.text,
            "value": value_display(a),
            "why": a.why,
            "interviewed_by": interviewed_by(a.submission),
        }
        for a in answers
    ]


def interviewed_by(submission) -> str | None:
    """Who interviewed the customer of this submission ("" when their account is gone), or
    None when it is no interview (the customer answered themself, or another method)."""
    response = getattr(submission, "survey_response", None)
    if response is None or not response.interviewed:
        return None
    user = response.interviewer
    return (user.get_full_name() or user.username) if user else ""


def trend_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A salesperson's month-end rows of a trend (``Trend.people`` as records): level, index,
    NPS with n."""
    out = []
    for row in rows:
        nps_n = int(row["nps_n"])
        out.append(
            {
                "month": row["month"],
                "level": row["level"],
                "level_label": level_label(row["level"]),
                "index": rounded(row["index"]),
                "nps": None if bool(row["nps_too_few"]) else rounded(row["nps"]),
                "nps_n": nps_n,
            }
        )
    return out


def index_view(result: PersonResult | None, settings: ScoringSettings) -> dict[str, Any]:
    rule = settings.levels[settings.target_level]
    view = {
        "target_level": settings.target_level,
        "target_label": level_label(settings.target_level),
        "threshold": rule.index_at_least,
        "floor": rule.no_area_below,
        "index": None,
        "low": None,
        "high": None,
        "gap": None,
        "confidence": round(settings.confidence * 100),
    }
    if result and result.index is not None:
        view.update(
            index=rounded(result.index),
            low=rounded(result.index_interval.low),
            high=rounded(result.index_interval.high),
            gap=rounded(result.gap_to_target),
        )
    return view
