"""Coaching's personal data (see ``privacy.registry``): a salesperson's coaching plans with
their goals, the self-assessment, the logged sessions and the comments on them."""

from django.db.models import Prefetch

from privacy.registry import register

from .models import CoachingPlan, CoachingSession, Goal


def _who(user) -> str | None:
    return user.username if user else None


def _at(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_person(salesperson) -> dict:
    plans = (
        CoachingPlan.objects.filter(salesperson=salesperson)
        .select_related("season", "created_by")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.select_related("question").order_by("id")),
            Prefetch(
                "sessions",
                queryset=CoachingSession.objects.select_related("logged_by")
                .prefetch_related("goals")
                .order_by("held_on", "id"),
            ),
            "comments__author",
            "self_ratings__question",
        )
        .order_by("started_at", "id")
    )
    return {
        "plans": [
            {
                "id": plan.pk,
                "status": plan.status,
                "season": plan.season.name if plan.season else None,
                "target_level": plan.target_level,
                "started_at": _at(plan.started_at),
                "created_by": _who(plan.created_by),
                "acknowledged_at": _at(plan.acknowledged_at),
                "closed_at": _at(plan.closed_at),
                "goals": [
                    {
                        "id": goal.pk,
                        "area": goal.area,
                        "question": goal.question.code if goal.question else None,
                        "target_score": goal.target_score,
                        "due_date": goal.due_date.isoformat(),
                        "actions": goal.actions,
                        "focus": goal.focus,
                        "status": goal.status,
                        "start_score": goal.start_score,
                        "start_n": goal.start_n,
                        "start_whys": goal.start_whys,
                        "achieved_at": _at(goal.achieved_at),
                        "achieved_score": goal.achieved_score,
                    }
                    for goal in plan.goals.all()
                ],
                "self_assessment": [
                    {
                        "question": rating.question.code,
                        "value": rating.value,
                        "rated_at": _at(rating.rated_at),
                    }
                    for rating in sorted(plan.self_ratings.all(), key=lambda r: r.question_id)
                ],
                "sessions": [
                    {
                        "held_on": session.held_on.isoformat(),
                        "goals": sorted(goal.pk for goal in session.goals.all()),
                        "notes": session.notes,
                        "next_step": session.next_step,
                        "logged_by": _who(session.logged_by),
                    }
                    for session in plan.sessions.all()
                ],
                "comments": [
                    {
                        "at": _at(comment.created_at),
                        "by": _who(comment.author),
                        "text": comment.text,
                    }
                    for comment in sorted(plan.comments.all(), key=lambda c: (c.created_at, c.pk))
                ],
            }
            for plan in plans
        ]
    }


def erase_person(salesperson) -> int:
    """Delete the plans; their goals, self-ratings, sessions and comments go with them."""
    return CoachingPlan.objects.filter(salesperson=salesperson).delete()[0]


register("coaching", export_person=export_person, erase_person=erase_person)
