"""Retention: what each organisation keeps and for how long, applied daily by
``manage.py apply_retention`` (cron). The apps erase their own parts (``privacy.registry``);
this module says when."""

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction

from asiakaskunto.models import Organisation

from . import registry
from .models import RetentionSettings


def months_before(moment: datetime, months: int) -> datetime:
    """The same time ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class RetentionPolicy:
    """An organisation's retention at one moment: erase what is older than the cutoffs."""

    customer_data_before: datetime
    answers_before: datetime | None  # None: answers are kept

    @classmethod
    def at(cls, now: datetime, retention: RetentionSettings) -> "RetentionPolicy":
        return cls(
            customer_data_before=months_before(now, retention.customer_data_months),
            answers_before=(
                months_before(now, retention.answers_months) if retention.answers_months else None
            ),
        )


def settings_for(organisation: Organisation) -> RetentionSettings:
    """The organisation's settings, or the defaults (unsaved) when it has none."""
    try:
        return organisation.retention_settings
    except RetentionSettings.DoesNotExist:
        return RetentionSettings(organisation=organisation)


class DryRun(Exception):
    """Raised inside the transaction of a dry run to roll it back."""


def apply_retention(*, now: datetime, organisations=None, dry_run: bool = False) -> dict:
    """Erase, for each organisation, what its retention says is too old, and everyone's login
    records older than ``LOGIN_RECORDS_DAYS``; one transaction per organisation. A dry run does
    the same and rolls it back, so its counts are exact. Returns {organisation or "login
    records": {what: count}}."""
    from asiakaskunto.privacy import erase_login_records_before

    organisations = (
        organisations
        if organisations is not None
        else Organisation.objects.select_related("retention_settings").order_by("id")
    )
    report = {}
    for organisation in organisations:
        policy = RetentionPolicy.at(now, settings_for(organisation))
        report[organisation] = _in_transaction(
            partial(registry.apply_retention, organisation, policy, now=now), dry_run
        )
    logins_before = now - timedelta(days=settings.LOGIN_RECORDS_DAYS)
    report["login records"] = _in_transaction(
        lambda: {"axes": erase_login_records_before(logins_before)}, dry_run
    )
    return report


def _in_transaction(work, dry_run):
    result = {}
    try:
        with transaction.atomic():
            result = work()
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return result
