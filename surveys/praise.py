"""Praise: the customers' thanks that a salesperson should hear. A customer answer counts as
praise when it is the top of its scale — 5 on a 1–5 question, 9–10 on the recommendation (NPS)
question — and the customer wrote why. The salesperson sees these on their home page; the
team page counts them per person."""

from datetime import datetime, timedelta

from django.db.models import Count, Q

from asiakaskunto.models import Answer, Method, Metric, Scale

PRAISE_FIVE_POINT = 5
PRAISE_NPS_AT_OR_ABOVE = 9
PRAISE_WINDOW_DAYS = 365


def praise_answers():
    """Customer answers at the top of their scale with a "why" text, as a queryset."""
    top = Q(metric=Metric.NPS, value__gte=PRAISE_NPS_AT_OR_ABOVE) | (
        Q(scale=Scale.FIVE_POINT, value=PRAISE_FIVE_POINT) & ~Q(metric=Metric.NPS)
    )
    return Answer.objects.filter(top, method=Method.CUSTOMER).exclude(why="")


def _window(as_of: datetime):
    return as_of - timedelta(days=PRAISE_WINDOW_DAYS), as_of


def thanks_for(salesperson, *, as_of: datetime, limit: int = 5) -> tuple[int, list[Answer]]:
    """The salesperson's praise in the last year up to ``as_of``: how many, and the latest
    ``limit`` (with their questions and submissions; two queries)."""
    answers = praise_answers().for_salesperson(salesperson).in_window(*_window(as_of))
    latest = list(
        answers.select_related("question", "submission").order_by(
            "-submission__answered_at", "-id"
        )[:limit]
    )
    return answers.count(), latest


def praise_counts(team, *, as_of: datetime) -> dict:
    """The team's praise in the last year up to ``as_of``: ``total``, and ``people``: (name,
    count) of each salesperson with any, most first (one query)."""
    rows = list(
        praise_answers()
        .filter(submission__team=team)
        .in_window(*_window(as_of))
        .values("submission__salesperson_id", "submission__salesperson__name")
        .annotate(count=Count("id"))
        .order_by("-count", "submission__salesperson__name", "submission__salesperson_id")
    )
    return {
        "total": sum(row["count"] for row in rows),
        "people": [
            (row["submission__salesperson__name"], row["count"])
            for row in rows
            if row["submission__salesperson_id"] is not None
        ],
        "team_link": sum(row["count"] for row in rows if row["submission__salesperson_id"] is None),
    }
