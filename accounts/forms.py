"""Input and its validation messages: password reset and change, two-factor codes."""

import logging

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from asiakaskunto.links import absolute_url

from .limits import email_over_limit
from .tasks import send_account_email

logger = logging.getLogger(__name__)


class ResetRequestForm(PasswordResetForm):
    """Django's reset form, limited per e-mail address, sent through the tasks API, and with a
    link built on SITE_URL (never on the request's Host header, which a client chooses)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Give the e-mail address of your account."),
            "invalid": _("Give a valid e-mail address."),
        },
    )

    def save(self, **kwargs):
        email = self.cleaned_data["email"]
        if email_over_limit(email):
            logger.info("Password reset e-mail not sent: too many requests for one address")
            return
        super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # SITE_URL when set, else the address Django's reset view took from the request (its
        # host checked against ALLOWED_HOSTS): never a link without a host.
        link = absolute_url(
            reverse("accounts:password_reset_confirm", args=[context["uid"], context["token"]]),
            base=f"{context['protocol']}://{context['domain']}",
        )
        context = {**context, "link": link}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_account_email.enqueue(subject=subject, body=body, to=to_email)


class TokenForm(forms.Form):
    """A six-digit code from the user's authenticator app, checked against ``device``."""

    otp_token = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "maxlength": 7,
            }
        ),
        error_messages={
            "required": _("Give the six-digit code from your authenticator app."),
            "invalid": _("The code has six digits."),
        },
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Too many wrong codes. Wait a moment and try again."), code="throttled"
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("The code is wrong or has expired. Try the code the app shows now."),
                code="wrong",
            )
        return token
