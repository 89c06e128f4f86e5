"""A sampled customer's contact data: found and erased by their e-mail or phone (also once only
the keyed hash is left), and the hashes go with the retention of customer data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy import registry
from privacy.contacts import Contact
from privacy.retention import RetentionPolicy, settings_for
from surveys.invitations import email_key, phone_key
from tests.surveys.factories import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sampled(org):
    called = InvitationFactory(
        salesperson=org.seller_a, email="", phone="0401234567", phone_key=phone_key("0401234567")
    )
    answered = InvitationFactory(  # its address erased when answered; the key stays
        salesperson=org.seller_a, email="", email_key=email_key("Kaisa@example.com")
    )
    other = InvitationFactory(salesperson=org.seller_a, email="matti@example.com")
    return called, answered, other


def test_a_phone_and_a_remembered_address_are_found(org, sampled):
    called, answered, _other = sampled
    by_phone = registry.find_customer(org.organisation, Contact.parse("+358 40 123 4567"))
    assert [finding.summary for finding in by_phone if "kutsu" in finding.kind.lower()] == [
        "0401234567"
    ]
    by_email = registry.find_customer(org.organisation, Contact.parse("kaisa@EXAMPLE.com"))
    assert any("tiiviste" in finding.summary for finding in by_email)


def test_erasing_blanks_the_phone_and_the_keys(org, sampled):
    called, answered, other = sampled
    registry.erase_customer(org.organisation, Contact.parse("040-1234567"))
    registry.erase_customer(org.organisation, Contact.parse("kaisa@example.com"))
    called.refresh_from_db()
    answered.refresh_from_db()
    other.refresh_from_db()
    assert (called.phone, called.phone_key) == ("", "")
    assert answered.email_key == ""
    assert other.email == "matti@example.com"


def test_retention_drops_the_keys_of_old_invitations_and_expired_phones(org, sampled):
    called, answered, other = sampled
    now = timezone.now()
    policy = RetentionPolicy.at(now, settings_for(org.organisation))
    type(called).objects.filter(pk=answered.pk).update(created_at=now - timedelta(days=800))
    type(called).objects.filter(pk=called.pk).update(expires_at=now - timedelta(days=1))
    counts = registry.apply_retention(org.organisation, policy, now=now)
    assert counts["surveys.invitation_keys"] == 1
    called.refresh_from_db()
    answered.refresh_from_db()
    assert answered.email_key == ""
    assert called.phone == "" and called.phone_key  # expired: the phone goes, the key stays
