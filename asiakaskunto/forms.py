from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import EmailPreference


class LoginForm(AuthenticationForm):
    """Django's login form with one message for every wrong pair: no hint which half was wrong."""

    error_messages = {
        "invalid_login": _("Wrong username or password. Check both and try again."),
        "inactive": _("Wrong username or password. Check both and try again."),
    }

    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class EmailPreferenceForm(forms.ModelForm):
    """A user's own e-mail settings: each kind on or off, and the language of the e-mails."""

    class Meta:
        model = EmailPreference
        fields = ["follow_up_alerts", "weekly_digest", "language"]
