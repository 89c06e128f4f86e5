"""GDPR for salespeople: everything stored about one person, exported or erased in one place.

Customers answer anonymously; an invitation's e-mail address is deleted once it is answered or
expired (surveys app), so after that no customer answer can be traced back to a person.
"""

from django.db import transaction

from .models import Answer, Salesperson, Submission


def export_salesperson(salesperson: Salesperson) -> dict:
    """The person's record and every answer given about them, as plain JSON-safe data."""
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
    }


@transaction.atomic
def erase_salesperson(salesperson: Salesperson) -> int:
    """Delete every submission about the person (their answers go with them), unlink and
    deactivate their account, and replace the name. Returns the number of submissions deleted."""
    deleted, _ = Submission.objects.filter(salesperson=salesperson).delete()
    user = salesperson.user
    salesperson.name = f"(erased #{salesperson.pk})"
    salesperson.active = False
    salesperson.user = None
    salesperson.save(update_fields=["name", "active", "user"])
    if user is not None:
        user.is_active = False
        user.first_name = user.last_name = user.email = ""
        user.save(update_fields=["is_active", "first_name", "last_name", "email"])
    return deleted
