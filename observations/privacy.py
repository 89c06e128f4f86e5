"""Observations' personal data (see ``privacy.registry``): a salesperson's checklists with their
notes, drafts and correction history, and the mystery-shop plans and tests about them.

A shopper's name and e-mail are the shopper's, not the salesperson's: they are left out of the
person's export and erased by retention once the plan is done, expired or cancelled.
"""

from privacy.registry import register

from .models import Checklist, MysteryPlan, MysteryTest


def export_person(salesperson) -> dict:
    checklists = (
        Checklist.objects.filter(salesperson=salesperson)
        .prefetch_related("revisions")
        .order_by("observed_at", "id")
    )
    plans = MysteryPlan.objects.filter(salesperson=salesperson).order_by("window_start_date", "id")
    tests = MysteryTest.objects.filter(salesperson=salesperson).order_by("visited_at", "id")
    return {
        "checklists": [
            {
                "id": checklist.pk,
                "observed_at": checklist.observed_at.isoformat(),
                "status": checklist.status,
                "location": checklist.location,
                "general_note": checklist.general_note,
                "draft_answers": checklist.draft_answers,
                "submission": checklist.submission_id,
                "revisions": [
                    {
                        "edited_at": revision.edited_at.isoformat(),
                        "previous": revision.previous,
                        "changes": revision.changes,
                    }
                    for revision in sorted(
                        checklist.revisions.all(), key=lambda r: (r.edited_at, r.pk)
                    )
                ],
            }
            for checklist in checklists
        ],
        "mystery_plans": [
            {
                "window_start_date": plan.window_start_date.isoformat(),
                "window_end_date": plan.window_end_date.isoformat(),
                "instructions": plan.instructions,
                "used_at": plan.used_at.isoformat() if plan.used_at else None,
                "cancelled_at": plan.cancelled_at.isoformat() if plan.cancelled_at else None,
            }
            for plan in plans
        ],
        "mystery_tests": [
            {
                "visited_at": test.visited_at.isoformat(),
                "description": test.description,
                "salesperson_description": test.salesperson_description,
                "submission": test.submission_id,
            }
            for test in tests
        ],
    }


def erase_person(salesperson) -> int:
    """Delete the checklists (their revisions go with them), the tests and the plans."""
    return sum(
        queryset.delete()[0]
        for queryset in (
            Checklist.objects.filter(salesperson=salesperson),
            MysteryTest.objects.filter(salesperson=salesperson),
            MysteryPlan.objects.filter(salesperson=salesperson),
        )
    )


register("observations", export_person=export_person, erase_person=erase_person)
