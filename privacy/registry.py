"""Where each app says what personal data it holds, so that one export, one erasure and one
retention run cover all of them.

An app that stores personal data registers its part in its own ``privacy.py`` (imported by
``PrivacyConfig.ready`` for every installed app, in the order of ``INSTALLED_APPS``)::

    # coaching/privacy.py
    from privacy.registry import register


    def export_person(salesperson) -> dict | list:
        '''Everything this app holds about the person, as JSON-safe data.'''


    def erase_person(salesperson) -> int:
        '''Delete (or blank) it; return the number of records touched.'''


    register("coaching", export_person=export_person, erase_person=erase_person)

Every hook is optional; an app registers only those that apply to it:

- ``export_person(salesperson)``: the app's section of the person's JSON export, under the
  registered name.
- ``erase_person(salesperson)``: erase what the app holds about the person; returns a count.
  Erasures run in **reverse** registration order inside one transaction (the apps before the
  core, which unlinks the account and renames the person last), so an app's hook still sees
  ``salesperson.user`` and the person's submissions.
- ``find_customer(organisation, contact)``: what the app holds about a customer who left this
  e-mail address or phone number (a ``privacy.contacts.Contact``), as a list of ``Finding``.
- ``erase_customer(organisation, contact)``: erase what ``find_customer`` found; a count.
- ``apply_retention(organisation, policy, now)``: erase what the organisation's
  ``RetentionPolicy`` says is too old at ``now``; returns ``{what: count}``.

A hook runs inside the caller's transaction: it must not commit or swallow database errors.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

EXPORT_FORMAT = 1


@dataclass(frozen=True)
class Finding:
    """One record found for a customer's contact: what kind, when, and what it holds, for the
    leadership to see before they erase it."""

    kind: str  # e.g. "survey response"; shown as is (a translated label)
    at: datetime | None
    summary: str  # the personal data found (the contact and free texts), for the page
    where: str = ""  # whose or which team's record it is


@dataclass(frozen=True)
class Contribution:
    name: str
    export_person: Callable[[Any], Any] | None = None
    erase_person: Callable[[Any], int | None] | None = None
    find_customer: Callable[[Any, Any], list[Finding]] | None = None
    erase_customer: Callable[[Any, Any], int | None] | None = None
    apply_retention: Callable[..., dict[str, int]] | None = None


_contributions: dict[str, Contribution] = {}


def register(name: str, **hooks) -> Contribution:
    """Register (or replace) the named part; ``hooks`` as in the module docstring."""
    contribution = Contribution(name=name, **hooks)
    _contributions[name] = contribution
    return contribution


def unregister(name: str) -> None:
    _contributions.pop(name, None)


def contributions() -> list[Contribution]:
    """The registered parts in registration order."""
    return list(_contributions.values())


def export_person(salesperson, *, now: datetime | None = None) -> dict:
    """Everything stored about the person, one section per registered app."""
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": (now or timezone.now()).isoformat(),
        "salesperson_id": salesperson.pk,
    }
    for contribution in contributions():
        if contribution.export_person:
            data[contribution.name] = contribution.export_person(salesperson)
    return data


@transaction.atomic
def erase_person(salesperson) -> dict[str, int]:
    """Erase everything stored about the person, all or nothing; the count per app."""
    counts = {}
    for contribution in reversed(contributions()):
        if contribution.erase_person:
            counts[contribution.name] = contribution.erase_person(salesperson) or 0
    return counts


def find_customer(organisation, contact) -> list[Finding]:
    """Every record of the organisation that holds this customer's contact."""
    found = []
    for contribution in contributions():
        if contribution.find_customer:
            found.extend(contribution.find_customer(organisation, contact))
    return found


@transaction.atomic
def erase_customer(organisation, contact) -> int:
    """Erase the customer's contact and free texts everywhere, all or nothing; a count."""
    return sum(
        contribution.erase_customer(organisation, contact) or 0
        for contribution in reversed(contributions())
        if contribution.erase_customer
    )


def apply_retention(organisation, policy, *, now: datetime) -> dict[str, int]:
    """Erase what is older than the policy allows, in the caller's transaction."""
    counts: dict[str, int] = {}
    for contribution in reversed(contributions()):
        if contribution.apply_retention:
            for what, count in contribution.apply_retention(organisation, policy, now).items():
                counts[f"{contribution.name}.{what}"] = count
    return counts
