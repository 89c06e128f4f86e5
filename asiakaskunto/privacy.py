"""GDPR for salespeople: everything stored about one person, exported or erased in one place.

Customers answer anonymously; an invitation's e-mail address is deleted once it is answered or
expired (surveys app), so after that no customer answer can be traced back to a person.
"""

from django.db import transaction

from .models import Answer, Salesperson, Submission


def export_salesperson(salesperson: Salesperson) -> dict:
    """The person's record, every answer given about them, and the observers' and mystery
    shoppers' notes, as plain JSON-safe data."""
    from observations.models import Checklist, MysteryTest

    answers = (
        Answer.objects.filter(submission__salesperson=salesperson)
        .select_related("submission", "question")
        .order_by("submission__answered_at", "submission_id", "question__position", "id")
    )
    return {
        "salesperson": {
            "id": salesperson.pk,
            "name": salesperson.name,
            "team": salesperson.team.name,
            "active": salesperson.active,
            "user": salesperson.user.username if salesperson.user else None,
        },
        "answers": [
            {
                "answered_at": answer.submission.answered_at.isoformat(),
                "method": answer.method,
                "area": answer.area,
                "question": answer.question.code,
                "value": answer.value,
                "why": answer.why,
            }
            for answer in answers
        ],
        "observation_checklists": [
            {
                "observed_at": checklist.observed_at.isoformat(),
                "status": checklist.status,
                "location": checklist.location,
                "general_note": checklist.general_note,
            }
            for checklist in Checklist.objects.filter(salesperson=salesperson).order_by(
                "observed_at", "id"
            )
        ],
        "mystery_tests": [
            {"visited_at": test.visited_at.isoformat(), "description": test.description}
            for test in MysteryTest.objects.filter(salesperson=salesperson).order_by(
                "visited_at", "id"
            )
        ],
    }


@transaction.atomic
def erase_salesperson(salesperson: Salesperson) -> int:
    """Delete everything about the person: the submissions about them (their answers and
    follow-ups go with them), observation checklists with their notes, drafts and corrections,
    mystery-shop plans and tests, survey links and invitations; then unlink and deactivate
    their account and replace the name. Returns the number of submissions deleted."""
    # The apps' records of the person (imported here: the core does not depend on the apps
    # anywhere else).
    from observations.models import Checklist, MysteryPlan, MysteryTest
    from surveys.models import Invitation, SurveyLink

    submissions = Submission.objects.filter(salesperson=salesperson)
    count = submissions.count()
    Checklist.objects.filter(salesperson=salesperson).delete()
    MysteryTest.objects.filter(salesperson=salesperson).delete()
    MysteryPlan.objects.filter(salesperson=salesperson).delete()
    Invitation.objects.filter(salesperson=salesperson).delete()
    SurveyLink.objects.filter(salesperson=salesperson).delete()
    submissions.delete()
    user = salesperson.user
    salesperson.name = f"(erased #{salesperson.pk})"
    salesperson.active = False
    salesperson.user = None
    salesperson.save(update_fields=["name", "active", "user"])
    if user is not None:
        user.is_active = False
        user.first_name = user.last_name = user.email = ""
        user.save(update_fields=["is_active", "first_name", "last_name", "email"])
    return count
