import csv
import io
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asiakaskunto.process_cache import ProcessLRU

from .models import FollowUp
from .services import (
    CONTACT_MAX_LENGTH,
    FREE_TEXT_MAX_LENGTH,
    WHY_MAX_LENGTH,
    SurveyAnswers,
)

UNKNOWN_SALESPERSON = "unknown"
QUESTIONS_TEMPLATE = "surveys/public/_questions.html"


# Building the survey's dozen fields was the largest single cost of an answer after the
# database. A form never changes its fields (values and errors live on the form and its bound
# fields), so the fields of one shape of survey — its questions and their wordings in the
# active language, the team's members, free text on or off — are built once per process and
# shared by the forms of that shape. A changed wording, member or switch is another shape.
# So: never change a field of a SurveyForm after it is built (it would change every customer's).
_FIELD_SETS = ProcessLRU(256)  # {shape: {name: field}}

# The questions part of the page for a new form is the same for every customer of one shape
# (nothing is chosen, nothing is wrong, and the form key and CSRF token are outside it), and
# rendering its forty radio buttons was most of the cost of showing the survey.
_NEW_FORM_HTML = ProcessLRU(256)  # {(shape, prefix, auto_id): the rendered _questions.html}


def _shape(questions, team_members, ask_free_text) -> tuple:
    return (
        translation.get_language(),
        bool(ask_free_text),
        tuple(
            (q.pk, q.code, q.text, q.scale, q.required, q.asks_why, tuple(q.choices))
            for q in questions
        ),
        None if team_members is None else tuple((p.pk, p.name) for p in team_members),
    )


def _build_survey_fields(questions, team_members, ask_free_text) -> dict[str, forms.Field]:
    fields = {}
    if team_members is not None:
        fields["salesperson"] = forms.ChoiceField(
            label=_("Who served you?"),
            choices=[("", _("Choose…"))]
            + [(str(person.pk), person.name) for person in team_members]
            + [(UNKNOWN_SALESPERSON, _("I don't know"))],
            error_messages={"required": _("Choose whom you met, or “I don't know”.")},
        )
    for question in questions:
        fields[f"q_{question.code}"] = forms.TypedChoiceField(
            label=question.text,
            choices=question.choices,
            coerce=int,
            widget=forms.RadioSelect,
            required=question.required,
            error_messages={
                "required": _("Please answer this question."),
                "invalid_choice": _("Choose one of the options."),
            },
        )
        if question.asks_why:
            fields[f"why_{question.code}"] = forms.CharField(
                label=_("Why?"),
                required=False,
                max_length=WHY_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
    if ask_free_text:
        fields["free_text"] = forms.CharField(
            label=_("Anything else you would like to tell us?"),
            required=False,
            max_length=FREE_TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    fields["contact"] = forms.CharField(
        label=_("Your name, phone or e-mail (optional)"),
        help_text=_(
            "Leave empty to stay anonymous. Fill it in if you would like us to contact you."
        ),
        required=False,
        max_length=CONTACT_MAX_LENGTH,
    )
    fields["form_key"] = forms.UUIDField(
        required=False, widget=forms.HiddenInput, initial=uuid.uuid4
    )
    fields["consent"] = forms.BooleanField(
        label=_(
            "I agree that my answer is stored and used to develop our service. "
            "Contact details are used only to contact me about this answer."
        ),
        error_messages={"required": _("Please agree to storing your answer, or leave the page.")},
    )
    return fields


class SurveyForm(forms.Form):
    """The customer's survey, built from the organisation's questions. A team link adds the
    choice of whom the customer met (or "don't know")."""

    def __init__(self, *args, questions, team_members=None, ask_free_text=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {question.code: question for question in questions}
        self.team_members = {str(person.pk): person for person in team_members or []}
        self.shape = _shape(questions, team_members, ask_free_text)
        self.fields = dict(
            _FIELD_SETS.get_or_make(
                self.shape, lambda: _build_survey_fields(questions, team_members, ask_free_text)
            )
        )

    def questions_html(self):
        """The questions, the closing fields and the consent, rendered: for a new form (not
        bound, nothing given in advance) once per process and shape, else for this form."""

        def render():
            return render_to_string(QUESTIONS_TEMPLATE, {"form": self})

        if self.is_bound or self.initial:
            return render()
        return _NEW_FORM_HTML.get_or_make((self.shape, self.prefix, self.auto_id), render)

    def question_rows(self):
        """(question, answer field, its options, why field or None) in order, for the template.

        The options are (id, value, label, checked) as Django's radio buttons would render
        them, worked out here once: rendering each radio through the widget was most of the
        cost of showing the survey.
        """
        for code, question in self.questions.items():
            field = self[f"q_{code}"]
            current = field.value()
            current = None if current in (None, "") else str(current)
            options = [
                (f"{field.auto_id}_{index}", str(value), label, str(value) == current)
                for index, (value, label) in enumerate(field.field.choices)
            ]
            why = self[f"why_{code}"] if f"why_{code}" in self.fields else None
            yield question, field, options, why

    def closing_fields(self):
        """The free text (when asked) and the contact, for the template."""
        return [self[name] for name in ("free_text", "contact") if name in self.fields]

    def salesperson_choice(self):
        """The chosen salesperson, or None for "don't know"."""
        return self.team_members.get(self.cleaned_data.get("salesperson", ""))

    def answers(self, *, language: str) -> SurveyAnswers:
        data = self.cleaned_data
        values = {}
        for code in self.questions:
            value = data.get(f"q_{code}")
            if value is None or value == "":
                continue
            values[code] = (value, data.get(f"why_{code}", "").strip())
        return SurveyAnswers(
            values=values,
            language=language,
            consent=bool(data.get("consent")),
            free_text=data.get("free_text", "").strip(),
            contact=data.get("contact", "").strip(),
            questions=self.questions,
            form_key=data.get("form_key"),
        )


MAX_INVITATIONS_AT_ONCE = 500


class InvitationForm(forms.Form):
    """A manager's list of customer addresses for one salesperson: typed, pasted or a CSV."""

    salesperson = forms.ModelChoiceField(label=_("Salesperson"), queryset=None)
    emails = forms.CharField(
        label=_("E-mail addresses"),
        help_text=_("One per line, or separated by commas or semicolons."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=50_000,
    )
    csv_file = forms.FileField(
        label=_("or a CSV file"),
        help_text=_("Every cell that is an e-mail address is used; other cells are ignored."),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the e-mail and the survey"))

    def __init__(self, *args, salespeople, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["salesperson"].queryset = salespeople
        self.fields["language"].choices = languages

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if not upload:
            return []
        if upload.size > 1_000_000:
            raise ValidationError(_("The file is too large (at most 1 MB)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not a UTF-8 CSV file.")) from error
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        cells = [cell.strip() for row in csv.reader(io.StringIO(text), dialect) for cell in row]
        return [cell for cell in cells if "@" in cell]

    def clean(self):
        data = super().clean()
        raw = data.get("emails", "") or ""
        typed = [part.strip() for part in raw.replace(";", "\n").replace(",", "\n").splitlines()]
        candidates = [address for address in typed if address] + data.get("csv_file", [])
        addresses, invalid = [], []
        for address in candidates:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
            else:
                if address.lower() not in (known.lower() for known in addresses):
                    addresses.append(address)
        if invalid:
            raise ValidationError(
                _("These are not e-mail addresses: %(list)s"),
                params={"list": ", ".join(invalid[:10])},
            )
        if not addresses and not self.errors:
            raise ValidationError(_("Type at least one e-mail address or choose a CSV file."))
        if len(addresses) > MAX_INVITATIONS_AT_ONCE:
            raise ValidationError(
                _("At most %(max)d addresses at once."), params={"max": MAX_INVITATIONS_AT_ONCE}
            )
        data["addresses"] = addresses
        return data


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices)
    note = forms.CharField(
        label=pgettext_lazy("follow-up", "Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, current_status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = current_status

    def clean_note(self):
        return self.cleaned_data.get("note", "").strip()

    def clean(self):
        data = super().clean()
        status, note = data.get("status"), data.get("note", "")
        if status is None:
            return data
        resolving = status == FollowUp.Status.RESOLVED != self.current_status
        if resolving and not note:
            self.add_error("note", _("Write a short note on how the matter was resolved."))
        elif status == self.current_status and not note:
            self.add_error("note", _("Change the status or write a note."))
        return data


class FollowUpFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Not resolved")), ("ALL", _("All"))] + list(FollowUp.Status.choices),
    )
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].empty_label = _("All teams")
