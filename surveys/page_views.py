"""Counting who opens a survey: views of a standing link's page per day, and the first opening
of an invitation. Both are one small UPDATE on a GET of the customer's page; the answers (the
POSTs that the survey benchmark measures) count nothing here."""

import logging
from datetime import date, datetime

from django.db import DatabaseError, transaction
from django.db.models import F

from .models import Invitation, LinkDayViews

logger = logging.getLogger(__name__)


def count_link_view(link_id: int, *, day: date) -> None:
    """One more view of the link's page on ``day``: one UPDATE; the day's first view inserts
    the row (a second query, no transaction). Of two first views at the same instant one may
    go uncounted. A database that refuses is logged; the customer still gets the page."""
    try:
        if LinkDayViews.objects.filter(link_id=link_id, day=day).update(views=F("views") + 1):
            return
        LinkDayViews.objects.bulk_create(
            [LinkDayViews(link_id=link_id, day=day, views=1)], ignore_conflicts=True
        )
    except DatabaseError:
        if transaction.get_connection().in_atomic_block:
            raise
        logger.warning("Survey link %s: a page view was not counted", link_id, exc_info=True)


def mark_opened(invitation: Invitation, *, now: datetime) -> None:
    """Note when the invitation's page was first shown (once; later views cost nothing)."""
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now
