"""Observations' personal data (see ``privacy.registry``): a salesperson's checklists with their
notes, drafts and correction history, and the mystery-shop plans and tests about them.

A shopper's name and e-mail are the shopper's, not the salesperson's: they are left out of the
person's export and erased by retention once the plan is done, expired or cancelled.
"""

from django.db.models import Q
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
                "review_status": test.review_status,
                "answers_waiting_or_rejected": test.pending_answers,
                "rejection_reason": test.rejection_reason,
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


def apply_retention(organisation, policy, now) -> dict[str, int]:
    """Shoppers' names and addresses once their plan is done, expired or cancelled; and, when the
    organisation has set an age for answers, the checklists and tests older than it."""
    finished = (
        MysteryPlan.objects.filter(organisation=organisation)
        .filter(Q(used_at__isnull=False) | Q(cancelled_at__isnull=False) | Q(expires_at__lte=now))
        .exclude(shopper_name="", shopper_email="")
    )
    counts = {"shoppers": finished.update(shopper_name="", shopper_email="")}
    if policy.answers_before is not None:
        before = policy.answers_before
        counts["checklists"] = (
            Checklist.objects.filter(organisation=organisation, observed_at__lt=before)
            .delete()[1]
            .get(Checklist._meta.label, 0)
        )
        counts["mystery_tests"] = (
            MysteryTest.objects.filter(plan__organisation=organisation, visited_at__lt=before)
            .delete()[1]
            .get(MysteryTest._meta.label, 0)
        )
    return counts


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
    apply_retention=apply_retention,
)
