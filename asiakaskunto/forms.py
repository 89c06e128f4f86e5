from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Area, EmailPreference, Metric, Question


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


class QuestionForm(forms.ModelForm):
    """A question of the organisation's bank as leadership edits it. The model's ``clean``
    holds the rules (a metric's scale and method, an area or a metric); saving goes through
    ``asiakaskunto.questions.save_question`` (in place or as a new version)."""

    class Meta:
        model = Question
        fields = [
            "text_fi",
            "text_sv",
            "text_en",
            "method",
            "area",
            "metric",
            "scale",
            "asks_why",
            "required",
        ]
        labels = {
            "text_fi": _("Wording in Finnish"),
            "text_sv": _("Wording in Swedish"),
            "text_en": _("Wording in English"),
            "method": _("Method"),
            "area": _("Area it measures"),
            "metric": _("Metric it feeds"),
            "scale": _("Scale"),
            "asks_why": _("Ask “why?” after the answer"),
            "required": _("An answer is required"),
        }
        help_texts = {
            "text_sv": _("Optional: without it, Swedish readers see the Finnish wording."),
            "area": _("Empty only for a question that feeds a metric (CSAT, CES)."),
            "metric": _("NPS is asked on 0–10, CSAT and CES on 1–5, from customers."),
        }
        widgets = {
            "text_fi": forms.Textarea(attrs={"rows": 2}),
            "text_sv": forms.Textarea(attrs={"rows": 2}),
            "text_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("— no area (a metric only) —")), *Area.choices]
        self.fields["metric"].choices = [("", _("— no metric —")), *Metric.choices]
        self.fields["text_fi"].error_messages["required"] = _("Write the question in Finnish.")
        self.fields["text_en"].error_messages["required"] = _(
            "Write the question in English too: English readers see it."
        )
        for name in ("text_fi", "text_sv", "text_en"):
            self.fields[name].error_messages["max_length"] = _(
                "Keep the wording to %(limit_value)d characters (it has %(show_value)d)."
            )

    def clean(self):
        cleaned = super().clean()
        for name in ("text_fi", "text_sv", "text_en"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = " ".join(cleaned[name].split())
        return cleaned
