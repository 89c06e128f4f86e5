"""Making a sample batch: the draw, its invitations and the e-mails, all or nothing."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from surveys.invitations import email_key, phone_key
from surveys.models import Invitation

from .customer_list import CustomerList, Purchase
from .draw import Draw, draw
from .models import SampleBatch


def new_seed() -> int:
    """A seed for a draw nobody chose: 48 random bits (short enough to read out and type)."""
    return secrets.randbits(48)


def recently_asked_keys(organisation, *, since: datetime) -> tuple[set[str], set[str]]:
    """The hashed e-mails and phones of the organisation's customers invited (by a sample or by
    hand) since ``since``: (e-mail keys, phone keys)."""
    rows = (
        Invitation.objects.filter(organisation=organisation, created_at__gte=since)
        .filter(~Q(email_key="") | ~Q(phone_key=""))
        .values_list("email_key", "phone_key")
    )
    emails, phones = set(), set()
    for email, phone in rows:
        if email:
            emails.add(email)
        if phone:
            phones.add(phone)
    return emails, phones


def draw_sample(
    customer_list: CustomerList,
    *,
    organisation,
    per_salesperson: int,
    quiet_days: int,
    seed: int,
    now,
) -> Draw:
    """The draw for this list as it would be made now (nothing is stored)."""
    emails, phones = recently_asked_keys(organisation, since=now - timedelta(days=quiet_days))

    def asked(purchase: Purchase) -> bool:
        if purchase.email:
            return email_key(purchase.email) in emails
        return phone_key(purchase.phone) in phones

    return draw(
        customer_list.purchases, per_salesperson=per_salesperson, seed=seed, asked_recently=asked
    )


def create_batch(
    customer_list: CustomerList,
    *,
    organisation,
    salespeople: dict,
    per_salesperson: int,
    quiet_days: int,
    seed: int,
    language: str,
    file_name: str,
    created_by,
    now: datetime,
    base: str = "",
) -> SampleBatch:
    """Draw and store the batch with one invitation per drawn customer, in one transaction;
    the e-mails go out in the background once it is committed (``surveys.tasks``). Customers
    with only a phone get an invitation that is never sent: they are listed for a call.
    ``salespeople``: {id: Salesperson} of those in the list."""
    from surveys.tasks import send_invitation_email

    expires_at = now + timedelta(days=settings.SURVEY_INVITATION_VALID_DAYS)
    with transaction.atomic():
        result = draw_sample(
            customer_list,
            organisation=organisation,
            per_salesperson=per_salesperson,
            quiet_days=quiet_days,
            seed=seed,
            now=now,
        )
        batch = SampleBatch.objects.create(
            organisation=organisation,
            created_by=created_by,
            seed=seed,
            per_salesperson=per_salesperson,
            quiet_days=quiet_days,
            language=language,
            file_name=file_name[:200],
            file_sha256=customer_list.sha256,
            rows_read=len(customer_list.purchases),
            customers=result.customers,
            asked_recently=result.asked_recently,
            drawn=result.drawn,
        )
        invitations = Invitation.objects.bulk_create(
            Invitation(
                organisation=organisation,
                salesperson=salespeople[salesperson_id],
                team=salespeople[salesperson_id].team,
                email=purchase.email,
                email_key=email_key(purchase.email) if purchase.email else "",
                phone=purchase.phone,
                phone_key=phone_key(purchase.phone) if purchase.phone else "",
                sample_batch=batch,
                language=language,
                created_by=created_by,
                expires_at=expires_at,
            )
            for salesperson_id, picks in result.chosen.items()
            for purchase in picks
        )
        to_send = [invitation.pk for invitation in invitations if invitation.email]
        transaction.on_commit(
            lambda: [send_invitation_email.enqueue(pk, reminder=False, base=base) for pk in to_send]
        )
    return batch
