"""Personal invitations: creating them, e-mailing them in the background, reminding once, and
erasing the addresses that are no longer needed."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from asiakaskunto.links import absolute_url
from privacy.contacts import normalised_phone

from .models import Invitation


def email_key(email: str) -> str:
    """A keyed hash of an e-mail address (case and spaces aside): what an invitation keeps
    after its address is erased, so that a sample does not ask the same customer again."""
    return salted_hmac(
        "surveys.invitation.email", email.strip().lower(), algorithm="sha256"
    ).hexdigest()


def phone_key(phone: str) -> str:
    """A keyed hash of a phone number however it was typed (``normalised_phone``)."""
    return salted_hmac(
        "surveys.invitation.phone", normalised_phone(phone), algorithm="sha256"
    ).hexdigest()


def invitation_url(invitation: Invitation, *, base: str = "") -> str:
    path = reverse("surveys_public:invitation", kwargs={"token": invitation.token})
    return absolute_url(f"{path}?lang={invitation.language}", base=base)


def create_invitations(
    *, salesperson, addresses: list[str], language: str, created_by, now: datetime, base: str = ""
) -> list[Invitation]:
    """One invitation per address, each with its own token; the e-mails go out in the
    background once the rows are committed, their links on ``base`` (asiakaskunto.links)."""
    from .tasks import send_invitation_email

    expires_at = now + timedelta(days=settings.SURVEY_INVITATION_VALID_DAYS)
    with transaction.atomic():
        invitations = Invitation.objects.bulk_create(
            Invitation(
                organisation=salesperson.organisation,
                salesperson=salesperson,
                team=salesperson.team,
                email=address,
                email_key=email_key(address),
                language=language,
                created_by=created_by,
                expires_at=expires_at,
            )
            for address in addresses
        )
        ids = [invitation.pk for invitation in invitations]
        transaction.on_commit(
            lambda: [send_invitation_email.enqueue(pk, reminder=False, base=base) for pk in ids]
        )
    return invitations


def send_invitation(
    invitation: Invitation, *, reminder: bool, now: datetime, base: str = ""
) -> bool:
    """E-mail one invitation (or its reminder) in its language. False when nothing was sent:
    answered, expired, address erased, or the reminder already went."""
    if invitation.used_at or not invitation.email or invitation.expires_at <= now:
        return False
    if reminder and invitation.reminded_at:
        return False
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": invitation_url(invitation, base=base),
            "organisation": invitation.organisation,
            "reminder": reminder,
        }
        subject = (
            _("Reminder: how did we do?") if reminder else _("How did we do? A one-minute survey")
        )
        body = render_to_string("surveys/email/invitation.txt", context)
    send_mail(
        f"{invitation.organisation.name}: {subject}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )
    field = "reminded_at" if reminder else "sent_at"
    Invitation.objects.filter(pk=invitation.pk).update(**{field: now})
    return True


def due_reminders(now: datetime):
    return Invitation.objects.reminder_due(
        now, after=timedelta(days=settings.SURVEY_REMINDER_AFTER_DAYS)
    ).order_by("id")


def erase_expired_addresses(now: datetime, *, organisation=None) -> int:
    """Forget the addresses and phone numbers of invitations that expired unanswered (of one
    organisation, or of all); returns how many."""
    invitations = Invitation.objects.expired_at(now).exclude(email="", phone="")
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    return invitations.update(email="", phone="", email_erased_at=now)
