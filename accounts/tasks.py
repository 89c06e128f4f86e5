"""Background work of accounts: the password-reset e-mail (Django's tasks API)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task


@task
def send_account_email(*, subject: str, body: str, to: str) -> None:
    """Send one e-mail written in the request (in the user's language) to one address."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
