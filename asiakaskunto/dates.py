"""The range of dates a person may type in, for forms and for the database alike.

A year such as 0001 passes Python's date type but PostgreSQL stores it as a BC timestamp that
the driver cannot read back, and a year such as 9999 overflows the first date arithmetic; either
one breaks every page that lists the row. No evidence predates the organisation, so nothing
before ``EARLIEST_DATE`` is accepted; the database refuses anything outside
[``EARLIEST_DATE``, ``DB_LATEST_DATE``) as a backstop behind the forms, which are stricter.
"""

from datetime import UTC, date, datetime, timedelta

from django import forms
from django.db.models import CheckConstraint, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(2000, 1, 1)
DB_LATEST_DATE = date(2100, 1, 1)  # exclusive; the forms never reach it
# How far ahead a plan (a mystery shopper's window, a coaching goal's due date) may reach.
PLAN_AHEAD = timedelta(days=366)
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)

# As aware datetimes for DateTimeFields; UTC so that a migration does not depend on TIME_ZONE.
EARLIEST_AT = datetime.combine(EARLIEST_DATE, datetime.min.time(), tzinfo=UTC)
DB_LATEST_AT = datetime.combine(DB_LATEST_DATE, datetime.min.time(), tzinfo=UTC)


def _day(value) -> date:
    # The local calendar day as typed: no time-zone arithmetic, which overflows at year 1.
    return value.date() if isinstance(value, datetime) else value


def in_range(value) -> bool:
    """Whether a parsed date or datetime lies in the range any form accepts at all."""
    return EARLIEST_DATE <= _day(value) < DB_LATEST_DATE


def not_too_early(value):
    """No date before ``EARLIEST_DATE``, nor one beyond what the database keeps."""
    if value is None:
        return
    day = _day(value)
    if day < EARLIEST_DATE:
        raise forms.ValidationError(
            _("The date cannot be before %(date)s.")
            % {"date": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT")},
            code="too_early",
        )
    if day >= DB_LATEST_DATE:
        raise forms.ValidationError(_("The date is too far in the future."), code="too_late")


def not_in_future(value):
    """Something that has happened (an observation, a visit) cannot be later than now."""
    if value is None or not in_range(value):
        return
    if isinstance(value, datetime):
        if value > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError(_("The time cannot be in the future."), code="future")
    elif value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."), code="future")


def not_beyond_plan_horizon(value):
    """A plan may lie ahead, but not further than ``PLAN_AHEAD`` from today."""
    if value is None or not in_range(value):
        return
    latest = timezone.localdate() + PLAN_AHEAD
    if _day(value) > latest:
        raise forms.ValidationError(
            _("The date cannot be later than %(date)s.")
            % {"date": date_format(latest, "SHORT_DATE_FORMAT")},
            code="too_far_ahead",
        )


def past_date_validators() -> list:
    """Validators of a date or datetime that has already happened."""
    return [not_too_early, not_in_future]


def plan_date_validators() -> list:
    """Validators of a date that may lie ahead within the plan horizon."""
    return [not_too_early, not_beyond_plan_horizon]


def date_range_constraint(field: str, *, model: str, datetime_field: bool = True):
    """The database's backstop for one user-entered date or datetime column."""
    low, high = (EARLIEST_AT, DB_LATEST_AT) if datetime_field else (EARLIEST_DATE, DB_LATEST_DATE)
    return CheckConstraint(
        condition=Q(**{f"{field}__gte": low, f"{field}__lt": high}),
        name=f"{model}_{field}_in_range",
        violation_error_message=_("The date is outside the accepted range."),
    )
