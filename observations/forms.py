"""Input and its validation messages: the checklist, the mystery plan and the shopper's form."""

import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asiakaskunto.dates import EARLIEST_DATE, past_date_validators, plan_date_validators
from asiakaskunto.models import Question
from photos.forms import PhotoFieldsMixin

from .models import MysteryScenario, MysterySchedule, MysterySettings

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        attrs = {"min": f"{EARLIEST_DATE:%Y-%m-%d}T00:00", **kwargs.pop("attrs", {})}
        super().__init__(format="%Y-%m-%dT%H:%M", attrs=attrs, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        attrs = {"min": f"{EARLIEST_DATE:%Y-%m-%d}", **kwargs.pop("attrs", {})}
        super().__init__(format="%Y-%m-%d", attrs=attrs, **kwargs)


class ScaleField(forms.TypedChoiceField):
    """One question on its scale; rendered as a button group."""

    widget = forms.RadioSelect

    def __init__(self, question: Question, **kwargs):
        low, high = question.value_range
        super().__init__(
            choices=[(str(value), label) for value, label in question.choices],
            coerce=int,
            empty_value=None,
            required=False,
            label=question.text,
            error_messages={
                "invalid_choice": _("Choose a value from %(low)s to %(high)s.")
                % {"low": low, "high": high}
            },
            **kwargs,
        )
        self.question = question


class QuestionnaireMixin:
    """Adds a scale field and a note field per question: ``q_<id>`` and ``note_<id>``."""

    note_label = _("Note")
    required_message = _("Answer this question.")

    def add_questions(self, questions):
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = ScaleField(question)
            self.fields[f"note_{question.pk}"] = forms.CharField(
                label=self.note_label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def question_rows(self):
        """(question, scale field, note field) for the template."""
        return [
            (question, self[f"q_{question.pk}"], self[f"note_{question.pk}"])
            for question in self.questions
        ]

    def missing_questions(self) -> list[tuple[Question, str]]:
        """(question, id of its heading) of every question in error, in the form's order: the
        error banner names them and links to each."""
        return [
            (question, f"{self[f'q_{question.pk}'].auto_id}_legend")
            for question in self.questions
            if f"q_{question.pk}" in self.errors
        ]

    def check_required(self, questions=None):
        for question in questions if questions is not None else self.questions:
            name = f"q_{question.pk}"
            if question.required and self.cleaned_data.get(name) is None:
                if name not in self.errors:
                    self.add_error(name, self.required_message)

    def answers(self) -> dict:
        return {
            question: (
                self.cleaned_data.get(f"q_{question.pk}"),
                self.cleaned_data.get(f"note_{question.pk}", "").strip(),
            )
            for question in self.questions
        }


class SalespersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        label = f"{person.name} · {person.team.name}"
        last = getattr(person, "last_observed_at", None)
        if last:
            local = timezone.localtime(last)
            label += " · " + str(_("observed %(date)s")) % {"date": f"{local:%-d.%-m.%Y}"}
        return label


class ChecklistForm(PhotoFieldsMixin, QuestionnaireMixin, forms.Form):
    SAVE_DRAFT = "draft"
    SUBMIT = "submit"

    salesperson = SalespersonChoiceField(
        queryset=None,
        label=_("Salesperson"),
        empty_label=_("Choose a salesperson"),
        error_messages={
            "required": _("Choose the salesperson you observed."),
            "invalid_choice": _("Choose a salesperson of your own teams."),
        },
    )
    observed_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        validators=past_date_validators(),
        error_messages={
            "required": _("Give the date and time of the observation."),
            "invalid": _("Give a date and time such as 2026-03-14 10:30."),
        },
    )
    location = forms.CharField(
        label=_("Location or situation"),
        required=False,
        max_length=200,
        help_text=_("Optional, e.g. “checkout, Saturday rush”."),
    )
    general_note = forms.CharField(
        label=_("General note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[(SAVE_DRAFT, SAVE_DRAFT), (SUBMIT, SUBMIT)],
        required=False,
        widget=forms.HiddenInput,
    )
    required_message = _("Answer this question before submitting.")

    def __init__(self, *args, salespeople, questions, correcting=False, photos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.correcting = correcting
        self.fields["salesperson"].queryset = salespeople
        if correcting:  # a correction keeps the person and every required answer
            self.fields["salesperson"].disabled = True
        self.fields["idempotency_key"].initial = uuid.uuid4()
        self.add_questions(questions)
        self.add_photo_fields(self.questions, photos)

    @property
    def submitting(self) -> bool:
        return self.data.get("action") == self.SUBMIT

    def clean(self):
        cleaned = super().clean()
        if self.submitting or self.correcting:
            self.check_required()
            self.check_photos(answered_ids=self.answered_ids())
        else:
            self.check_photos()
        return cleaned


class TemplateChoiceForm(forms.Form):
    """Which template a new checklist is started from (empty: every question)."""

    template = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Checklist template"),
        empty_label=_("All questions"),
        error_messages={"invalid_choice": _("Choose one of your organisation's templates.")},
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = lambda template: template.name


class MysteryPlanForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=None,
        label=_("Team"),
        required=False,
        empty_label=_("Choose a team"),
        error_messages={"invalid_choice": _("Choose one of your own teams.")},
    )
    salesperson = forms.ModelChoiceField(
        queryset=None,
        label=_("Salesperson"),
        required=False,
        empty_label=_("Anyone in the team (the shopper names whom they met)"),
        error_messages={"invalid_choice": _("Choose a salesperson of your own teams.")},
    )
    window_start_date = forms.DateField(
        label=_("Visit window from"),
        widget=DateInput(),
        validators=plan_date_validators(),
        error_messages={"required": _("Give the first day of the visit window.")},
    )
    window_end_date = forms.DateField(
        label=_("Visit window until"),
        widget=DateInput(),
        validators=plan_date_validators(),
        help_text=_("The link expires at the end of this day."),
        error_messages={"required": _("Give the last day of the visit window.")},
    )
    scenario = forms.ModelChoiceField(
        queryset=None,
        label=_("Scenario"),
        required=False,
        empty_label=_("No scenario: all mystery-shop questions"),
        help_text=_("The scenario's instructions and questions are what the shopper gets."),
        error_messages={"invalid_choice": _("Choose one of the scenarios in use.")},
    )
    shopper_name = forms.CharField(label=_("Shopper's name"), required=False, max_length=200)
    shopper_email = forms.EmailField(
        label=_("Shopper's e-mail"),
        required=False,
        error_messages={"invalid": _("Give a valid e-mail address.")},
    )
    instructions = forms.CharField(
        label=_("Instructions for the shopper"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "E.g. what to ask about; the shopper sees this on the form (after the scenario's)."
        ),
    )
    send_email = forms.BooleanField(
        label=_("Send the link to the shopper by e-mail"), required=False
    )

    def __init__(self, *args, teams, salespeople, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["scenario"].queryset = scenarios
        self.fields["salesperson"].queryset = salespeople
        self.fields["salesperson"].label_from_instance = lambda p: f"{p.name} · {p.team.name}"
        today = timezone.localdate()
        self.fields["window_start_date"].initial = today
        self.fields["window_end_date"].initial = today + timedelta(days=14)

    def clean(self):
        cleaned = super().clean()
        team, person = cleaned.get("team"), cleaned.get("salesperson")
        if person is not None:
            if team is not None and team.pk != person.team_id:
                self.add_error("salesperson", _("This salesperson is not in the chosen team."))
            else:
                cleaned["team"] = person.team
        elif team is None and "team" not in self.errors and "salesperson" not in self.errors:
            self.add_error("team", _("Choose a salesperson or a team."))
        start, end = cleaned.get("window_start_date"), cleaned.get("window_end_date")
        if start and end:
            if end < start:
                self.add_error("window_end_date", _("The window cannot end before it starts."))
            elif end < timezone.localdate():
                self.add_error("window_end_date", _("The window cannot end in the past."))
        if cleaned.get("send_email") and not cleaned.get("shopper_email"):
            self.add_error("shopper_email", _("Give the e-mail address to send the link to."))
        return cleaned


class MysteryTestForm(PhotoFieldsMixin, QuestionnaireMixin, forms.Form):
    """The shopper's form, reached by link without an account."""

    met_salesperson = forms.ModelChoiceField(
        queryset=None,
        label=_("Whom did you meet?"),
        required=False,
        empty_label=_("I don't know"),
        error_messages={"invalid_choice": _("Choose one of the listed people.")},
    )
    met_description = forms.CharField(
        label=_("Name or description of the salesperson"),
        required=False,
        max_length=200,
        help_text=_("If you could not choose above: a name tag, what they looked like."),
    )
    visited_at = forms.DateTimeField(
        label=_("Date and time of the visit"),
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        validators=past_date_validators(),
        error_messages={
            "required": _("Give the date and time of your visit."),
            "invalid": _("Give a date and time such as 2026-03-14 10:30."),
        },
    )
    description = forms.CharField(
        label=_("Describe the visit in your own words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    note_label = _("Why?")

    def __init__(self, *args, plan, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan.salesperson_id:
            del self.fields["met_salesperson"]
            del self.fields["met_description"]
        else:
            self.fields["met_salesperson"].queryset = plan.team.members.filter(
                active=True
            ).order_by("name", "id")
        self.add_questions(questions)
        self.add_photo_fields(self.questions)

    def clean_visited_at(self):
        visited_at = self.cleaned_data["visited_at"]
        start = timezone.make_aware(
            timezone.datetime.combine(self.plan.window_start_date, timezone.datetime.min.time())
        )
        if visited_at < start:
            raise forms.ValidationError(
                _("The visit cannot be before the planned window (from %(date)s).")
                % {"date": f"{self.plan.window_start_date:%-d.%-m.%Y}"}
            )
        return visited_at

    def clean(self):
        cleaned = super().clean()
        self.check_required()
        self.check_photos(answered_ids=self.answered_ids())
        return cleaned


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def label_from_instance(self, question):
        return question.text


class MysteryScenarioForm(forms.ModelForm):
    """Leadership's scenario: a name, the questions the shopper answers, the instructions."""

    questions = QuestionChoiceField(
        queryset=None,
        label=_("Questions the shopper answers"),
        error_messages={
            "required": _("Choose at least one question."),
            "invalid_choice": _("Choose questions of your organisation's mystery-shop bank."),
            "invalid_pk_value": _("Choose questions of your organisation's mystery-shop bank."),
        },
    )

    class Meta:
        model = MysteryScenario
        fields = [
            "name",
            "instructions_fi",
            "instructions_sv",
            "instructions_en",
            "questions",
            "active",
        ]
        labels = {
            "name": _("Name"),
            "instructions_fi": _("Instructions for the shopper (Finnish)"),
            "instructions_sv": _("Instructions in Swedish (optional)"),
            "instructions_en": _("Instructions in English (optional)"),
            "active": _("In use (managers can pick it for a visit)"),
        }
        help_texts = {
            "instructions_fi": _("E.g. “Ask for a gift for a 10-year-old.” The shopper sees this."),
            "instructions_sv": _("Shown to shoppers who use the form in Swedish."),
            "instructions_en": _("Shown to shoppers who use the form in English."),
        }
        widgets = {
            "instructions_fi": forms.Textarea(attrs={"rows": 4}),
            "instructions_sv": forms.Textarea(attrs={"rows": 3}),
            "instructions_en": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {
                "required": _("Give the scenario a name."),
                "max_length": _("Keep the name to %(limit_value)d characters."),
            },
            "instructions_fi": {
                "required": _("Write the instructions for the shopper in Finnish."),
                "max_length": _("Keep the instructions to %(limit_value)d characters."),
            },
            "instructions_sv": {
                "max_length": _("Keep the instructions to %(limit_value)d characters.")
            },
            "instructions_en": {
                "max_length": _("Keep the instructions to %(limit_value)d characters.")
            },
        }

    def __init__(self, *args, organisation, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["questions"].queryset = questions

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = MysteryScenario.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("A scenario with this name exists already."))
        return name

    def _post_clean(self):
        self.instance.organisation = self.organisation
        super()._post_clean()

    def validate_unique(self):
        pass  # the name's uniqueness is checked by clean_name, in the user's words


class MysterySettingsForm(forms.ModelForm):
    class Meta:
        model = MysterySettings
        fields = ["review_required"]
        labels = {"review_required": _("Review tests before they count")}


class ReviewForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose to approve or reject the test.")},
    )
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject; whoever sees the test reads it."),
        error_messages={"max_length": _("Keep the reason to %(limit_value)d characters.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for rejecting the test."))


class ChecklistTemplateForm(forms.Form):
    """A template's names and its questions: a checkbox and an order number per question of the
    organisation's bank (``include_<id>``, ``order_<id>``)."""

    name_fi = forms.CharField(
        label=_("Name in Finnish"),
        max_length=120,
        error_messages={
            "required": _("Give the template a name in Finnish."),
            "max_length": _("Keep the name within %(limit_value)d characters."),
        },
    )
    name_sv = forms.CharField(
        label=_("Name in Swedish"),
        max_length=120,
        required=False,
        error_messages={"max_length": _("Keep the name within %(limit_value)d characters.")},
    )
    name_en = forms.CharField(
        label=_("Name in English"),
        max_length=120,
        required=False,
        error_messages={"max_length": _("Keep the name within %(limit_value)d characters.")},
    )

    MAX_ORDER = 99

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"include_{question.pk}"] = forms.BooleanField(
                label=question.text, required=False
            )
            self.fields[f"order_{question.pk}"] = forms.IntegerField(
                label=_("Order"),
                required=False,
                min_value=1,
                max_value=self.MAX_ORDER,
                error_messages={
                    "invalid": _("Give the order as a whole number."),
                    "min_value": _("Give an order from 1 to %(limit)s.")
                    % {"limit": self.MAX_ORDER},
                    "max_value": _("Give an order from 1 to %(limit)s.")
                    % {"limit": self.MAX_ORDER},
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def question_rows(self):
        """(question, include field, order field) for the template."""
        return [
            (question, self[f"include_{question.pk}"], self[f"order_{question.pk}"])
            for question in self.questions
        ]

    def clean_name_fi(self):
        return self.cleaned_data["name_fi"].strip()

    def clean(self):
        cleaned = super().clean()
        chosen = [q for q in self.questions if cleaned.get(f"include_{q.pk}")]
        if not chosen:
            raise forms.ValidationError(_("Choose at least one question for the template."))
        # By the order numbers; a question without one keeps its place in the bank's order.
        bank_place = {q.pk: index for index, q in enumerate(self.questions, start=1)}
        chosen.sort(
            key=lambda q: (cleaned.get(f"order_{q.pk}") or bank_place[q.pk], bank_place[q.pk])
        )
        cleaned["questions"] = chosen
        return cleaned


class MysteryScheduleForm(forms.ModelForm):
    """Leadership's recurring programme: one visit per salesperson of a team (or all teams) in
    every period."""

    class Meta:
        model = MysterySchedule
        fields = ["team", "frequency", "scenario", "starts_on", "active"]
        labels = {
            "team": _("Team"),
            "frequency": _("One visit per salesperson"),
            "scenario": _("Scenario"),
            "starts_on": _("Starts on"),
            "active": _("In use (plans are made for each new period)"),
        }
        help_texts = {
            "team": _("Empty: every team of the organisation."),
            "starts_on": _(
                "The visits of the period containing this day are planned when you save (from "
                "this day to the end of the period), later periods' as they begin."
            ),
        }
        widgets = {"starts_on": DateInput()}
        error_messages = {
            "starts_on": {
                "required": _("Give the day the schedule starts."),
                "invalid": _("Give a date such as 2026-03-14."),
            },
            "frequency": {
                "required": _("Choose how often."),
                "invalid_choice": _("Choose every month, quarter or half-year."),
            },
        }

    def __init__(self, *args, teams, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].empty_label = _("All teams")
        self.fields["team"].error_messages["invalid_choice"] = _("Choose one of the teams.")
        self.fields["scenario"].queryset = scenarios
        self.fields["scenario"].empty_label = _("No scenario: all mystery-shop questions")
        self.fields["scenario"].error_messages["invalid_choice"] = _(
            "Choose one of the scenarios in use."
        )
        self.fields["starts_on"].validators += plan_date_validators()
        if not self.instance.pk:
            self.fields["starts_on"].initial = timezone.localdate()
        elif self.instance.plans.exists():
            # The made plans are keyed by the period: another length or team would plan the
            # same people again. A new schedule (and this one out of use) changes them.
            for name in ("team", "frequency", "starts_on"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Fixed once visits are planned; to change it, take this schedule out of "
                    "use and make a new one."
                )
