"""What customers wrote: their "why" texts and the survey's free text, for the salesperson's
page and the team's page. Written feedback is often more useful than the averages."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q

from asiakaskunto.models import Answer, Method, Question, Submission

COMMENTS_SHOWN = 10


@dataclass(frozen=True)
class WhyAnswer:
    question: Question
    value: str  # as the customer gave it: 2/5, 9/10
    why: str


@dataclass(frozen=True)
class CustomerComment:
    answered_at: datetime
    salesperson: str  # "" when a team link's customer did not know whom they met
    whys: list[WhyAnswer]
    free_text: str
    interviewed: bool = False  # a staff member asked and wrote the customer's words down


def customer_comments(submissions, *, limit: int = COMMENTS_SHOWN) -> list[CustomerComment]:
    """The latest customer surveys among ``submissions`` (a Submission queryset, already scoped
    to what the reader may see) that carry written words — a "why" or the free text —, newest
    first, each with its answers that have a why (in the form's order) and its free text.
    Never the customer's contact. Two queries."""
    from .person import value_display

    with_why = Answer.objects.filter(submission=OuterRef("pk")).exclude(why="")
    written = (
        submissions.filter(method=Method.CUSTOMER)
        .filter(Q(Exists(with_why)) | Q(survey_response__free_text__gt=""))
        .select_related("salesperson", "survey_response")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.exclude(why="")
                .select_related("question")
                .order_by("question__position", "question_id"),
                to_attr="answers_with_why",
            )
        )
        .order_by("-answered_at", "-id")[:limit]
    )
    comments = []
    for submission in written:
        response = getattr(submission, "survey_response", None)
        free_text = (response.free_text if response else "").strip()
        whys = [
            WhyAnswer(answer.question, value_display(answer), answer.why.strip())
            for answer in submission.answers_with_why
            if answer.why.strip()
        ]
        if whys or free_text:
            comments.append(
                CustomerComment(
                    answered_at=submission.answered_at,
                    salesperson=submission.salesperson.name if submission.salesperson else "",
                    whys=whys,
                    free_text=free_text,
                    interviewed=bool(response and response.interviewed),
                )
            )
    return comments


def comments_for_salesperson(salesperson, *, limit: int = COMMENTS_SHOWN):
    return customer_comments(Submission.objects.filter(salesperson=salesperson), limit=limit)


def comments_for_team(team, *, limit: int = COMMENTS_SHOWN):
    return customer_comments(Submission.objects.filter(team=team), limit=limit)
