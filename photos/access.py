"""Who may see which evidence photo: whoever may see the evidence it belongs to."""

from django.db.models import Q

from asiakaskunto.access import organisation_of, visible_salespeople, visible_teams
from observations.models import Checklist, MysteryTest, ReviewStatus

from .models import EvidencePhoto

COUNTING_TESTS = (ReviewStatus.NOT_REQUIRED, ReviewStatus.APPROVED)


def visible_photos(user):
    """The photos the user may see, as a queryset."""
    organisation = organisation_of(user)
    if organisation is None:
        return EvidencePhoto.objects.none()
    salespeople = visible_salespeople(user)
    checklists = Checklist.objects.visible_to(user, salespeople)
    tests = MysteryTest.objects.filter(
        Q(plan__team__in=visible_teams(user))
        | Q(salesperson__in=salespeople, review_status__in=COUNTING_TESTS)
    )
    return EvidencePhoto.objects.filter(organisation=organisation).filter(
        Q(checklist__in=checklists) | Q(mystery_test__in=tests)
    )


def photos_about(user, salesperson):
    """The photos about ``salesperson`` that ``user`` may see, newest first."""
    return (
        visible_photos(user)
        .filter(Q(checklist__salesperson=salesperson) | Q(mystery_test__salesperson=salesperson))
        .order_by("-created_at", "-id")
    )
