"""Observations' personal data (see ``privacy.registry``): a salesperson's checklists with their
notes, drafts and correction history, and the mystery-shop plans and tests about them.

A shopper's name and e-mail are the shopper's, not the salesperson's: they are left out of the
person's export and erased by retention once the plan is done, expired or cancelled.
"""

from django.utils.translation import gettext as _

from privacy.registry import Finding, register

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


def _shopper_plans(organisation, contact):
    if not contact.email:
        return MysteryPlan.objects.none()
    return MysteryPlan.objects.filter(
        organisation=organisation, shopper_email__iexact=contact.email
    )


def find_customer(organisation, contact) -> list[Finding]:
    """A mystery shopper is found by the e-mail address their link was sent to."""
    return [
        Finding(
            kind=_("mystery shopper"),
            at=plan.created_at,
            summary=" · ".join(filter(None, [plan.shopper_name, plan.shopper_email])),
            where=str(plan.salesperson or plan.team),
        )
        for plan in _shopper_plans(organisation, contact)
        .select_related("salesperson", "team")
        .order_by("created_at", "id")
    ]


def erase_customer(organisation, contact) -> int:
    return _shopper_plans(organisation, contact).update(shopper_name="", shopper_email="")


register(
    "observations",
    export_person=export_person,
    erase_person=erase_person,
    find_customer=find_customer,
    erase_customer=erase_customer,
)
