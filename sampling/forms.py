from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .customer_list import MAX_FILE_BYTES, read_customer_list
from .models import MAX_PER_SALESPERSON, MAX_QUIET_DAYS

MAX_SEED = 10**15


class SampleForm(forms.Form):
    """Leadership's or a manager's upload of recent purchases, and how to draw from it."""

    csv_file = forms.FileField(
        label=_("List of recent customers (CSV)"),
        help_text=_(
            "One purchase per row: the customer's e-mail or phone, the salesperson's name and "
            "the date of purchase. The first row names the columns (e.g. sähköposti; puhelin; "
            "myyjä; ostopäivä). Semicolons or commas; an Excel “CSV” file works."
        ),
        error_messages={"required": _("Choose the CSV file of your recent customers.")},
    )
    per_salesperson = forms.IntegerField(
        label=_("Customers to draw per salesperson"),
        min_value=1,
        max_value=MAX_PER_SALESPERSON,
        initial=3,
    )
    quiet_days = forms.IntegerField(
        label=_("Do not ask the same customer again within (days)"),
        min_value=0,
        max_value=MAX_QUIET_DAYS,
        initial=90,
        help_text=_(
            "Customers invited within this many days (by a sample or by hand) are left out."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail and the survey"))
    seed = forms.IntegerField(
        label=_("Seed of the draw (optional)"),
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        help_text=_(
            "Leave empty for a new random draw. The same list, seed and period give the same "
            "customers, so an earlier draw can be checked."
        ),
    )

    def __init__(self, *args, salespeople, **kwargs):
        super().__init__(*args, **kwargs)
        self.salespeople = {person.pk: person for person in salespeople}
        self.fields["language"].choices = settings.LANGUAGES

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > MAX_FILE_BYTES:  # before reading it into memory
            raise ValidationError(
                _("The file is too large (at most %(mb)d MB).")
                % {"mb": MAX_FILE_BYTES // 1_000_000}
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError(_("Choose a CSV file (.csv). In Excel: Save as → CSV."))
        return upload, read_customer_list(
            upload.read(),
            salespeople=self.salespeople.values(),
            today=timezone.localdate(),
        )
