from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .contacts import Contact
from .models import RetentionSettings


class EraseConfirmForm(forms.Form):
    """An erasure cannot be undone: the user ticks that they know it."""

    confirm = forms.BooleanField(
        label=_("I understand that the erased data cannot be restored."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class CustomerSearchForm(forms.Form):
    contact = forms.CharField(
        label=_("The customer's e-mail address or phone number"),
        max_length=200,
        help_text=_("As the customer gave it; a phone number is found however it was typed."),
        error_messages={"required": _("Enter the e-mail address or phone number to look for.")},
    )

    def clean_contact(self) -> Contact:
        return Contact.parse(self.cleaned_data["contact"])


class CustomerEraseForm(CustomerSearchForm, EraseConfirmForm):
    """The same contact again (a hidden field) and the confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if "contact" in self.errors:  # the hidden field was tampered with: say it plainly
            raise ValidationError(_("Search for the customer again."))
        return cleaned


class RetentionSettingsForm(forms.ModelForm):
    class Meta:
        model = RetentionSettings
        fields = ["customer_data_months", "answers_months"]
