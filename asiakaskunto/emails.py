"""E-mails to staff (follow-up alerts, weekly digests): who wants which kind, in which language,
and the signed one-click unsubscribe link that every one of them carries.

The unsubscribe link works without logging in: its token is signed with the secret key and
names the user and the kind of e-mail, nothing else. It has no expiry, so that the link in an
old e-mail still works. Opening it (GET) only shows a button; the POST switches the kind off,
as RFC 8058 asks (mail scanners open links; a mail client's one-click button POSTs).
"""

import email.policy
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from . import links
from .models import EmailKind, EmailPreference

UNSUBSCRIBE_SALT = "asiakaskunto.emails.unsubscribe"


def site_url(base_url: str | None = None) -> str:
    """The scheme and host that absolute links in e-mails start with: the rule of
    asiakaskunto.links, with the base the caller took from its request."""
    return links.site_url(base=base_url or "")


def preferences_for(users: Iterable) -> dict[int, EmailPreference]:
    """{user id: preference} in one query; a user without a row gets the defaults (unsaved)."""
    users = list(users)
    stored = {
        preference.user_id: preference
        for preference in EmailPreference.objects.filter(user__in=[user.pk for user in users])
    }
    return {user.pk: stored.get(user.pk) or EmailPreference(user=user) for user in users}


def unsubscribe_token(user, kind: str) -> str:
    """ "<user id>-<kind>-<signature>": URL-safe characters only (the public links' converter),
    signed with the secret key over the user and the kind."""
    value = f"{user.pk}-{EmailKind(kind).value}"
    return f"{value}-{signing.Signer(salt=UNSUBSCRIBE_SALT).signature(value)}"


class BadUnsubscribeToken(Exception):
    """The token was not signed by us, or names no kind of e-mail we send."""


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token made by ``unsubscribe_token``, or BadUnsubscribeToken."""
    try:
        user_id, kind, signature = token.split("-", 2)
        value = f"{int(user_id)}-{EmailKind(kind).value}"
    except ValueError as error:
        raise BadUnsubscribeToken from error
    expected = signing.Signer(salt=UNSUBSCRIBE_SALT).signature(value)
    if not constant_time_compare(signature, expected):
        raise BadUnsubscribeToken
    return int(user_id), EmailKind(kind)


def unsubscribe_url(user, kind: str, *, base_url: str | None = None) -> str:
    path = reverse("email_unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
    return site_url(base_url) + path


def unsubscribe(user_id: int, kind: str) -> EmailPreference:
    """Switch one kind of e-mail off for the user (the others stay as they were)."""
    preference, _created = EmailPreference.objects.get_or_create(user_id=user_id)
    setattr(preference, EmailPreference.FIELD_OF_KIND[EmailKind(kind)], False)
    preference.save()
    return preference


def language_of(preference: EmailPreference) -> str:
    return preference.language or settings.LANGUAGE_CODE


class StaffEmail(EmailMessage):
    """An e-mail whose long header lines are not broken into encoded words: Python folds a
    header that has no space in it (the unsubscribe URL) as RFC 2047 words, which mail clients
    do not decode in List-Unsubscribe. SMTP allows lines of 998 characters."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def staff_email(
    user, *, kind: str, subject: str, body: str, base_url: str | None = None
) -> EmailMessage:
    """One e-mail to a staff user, with the unsubscribe link at the foot of the text and in
    the List-Unsubscribe headers. Call it inside ``translation.override(the user's language)``:
    the footer is written in the active language."""
    link = unsubscribe_url(user, kind, base_url=base_url)
    settings_link = site_url(base_url) + reverse("email_settings")
    footer = "\n\n-- \n" + _(
        "You get this e-mail because of your Asiakaskunto e-mail settings: %(settings)s\n"
        "Stop these e-mails with one click: %(unsubscribe)s"
    ) % {"settings": settings_link, "unsubscribe": link}
    return StaffEmail(
        subject=subject,
        body=body + footer,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def recipients(users: Iterable, kind: str) -> list[tuple[object, EmailPreference]]:
    """The users (active, with an address) who want this kind, each with their preference."""
    users = [user for user in users if user.is_active and user.email]
    preferences = preferences_for(users)
    return [(user, preferences[user.pk]) for user in users if preferences[user.pk].wants(kind)]


def in_language_of(preference: EmailPreference):
    """``with in_language_of(preference):`` texts in the language the user reads e-mail in."""
    return translation.override(language_of(preference))
