"""Input of the coaching pages and its validation messages."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asiakaskunto.models import Area, Question
from asiakaskunto.questions import active_questions, questions_by_code

from .models import Goal, Season
from .seasons import season_problems

LONGEST_GOAL_DAYS = 2 * 366
TEXT_LIMIT = 4000


def _score_field():
    return forms.FloatField(
        label=gettext_lazy("Target score (0–100)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": "1", "inputmode": "decimal"}),
    )


def _date_field(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def check_target(target: float, *, start: float | None) -> str | None:
    """A target must lie above the score the goal starts from: otherwise it is met already."""
    if start is not None and target <= start:
        return _("Set the target above the score now (%(score)s).") % {"score": f"{start:.1f}"}
    return None


def check_due(due: date, *, today: date, since: date) -> str | None:
    if due < today:
        return _("The due date must not be in the past.")
    if due > since + timedelta(days=LONGEST_GOAL_DAYS):
        return _("Choose a due date within two years.")
    return None


def goal_choices(organisation) -> list[tuple[str, str]]:
    """Goals a manager can add: each area, and each of the organisation's active questions that
    has an area."""
    choices = [(f"AREA:{code}", str(label)) for code, label in Area.choices]
    for question in active_questions(organisation):
        if not question.area:
            continue
        # People read questions by their wording, never by code.
        choices.append((f"Q:{question.code}", f"{Area(question.area).label} – {question.text}"))
    return choices


def parse_goal_choice(value: str, organisation) -> tuple[str, Question | None]:
    kind, _sep, code = value.partition(":")
    if kind == "AREA":
        return code, None
    question = questions_by_code(organisation, [code])[code]
    return question.area, question


class PlanForm(forms.Form):
    """The new plan: one row per proposed goal (``proposals``), each with a tick, a target,
    a due date and agreed actions."""

    def __init__(self, *args, proposals, default_target, default_due, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        self.today = today
        for proposal in proposals:
            key = proposal.key
            self.fields[f"use_{key}"] = forms.BooleanField(
                label=gettext_lazy("Include"), required=False, initial=proposal.checked
            )
            self.fields[f"target_{key}"] = _score_field()
            self.fields[f"target_{key}"].initial = default_target
            self.fields[f"target_{key}"].required = False
            self.fields[f"due_{key}"] = _date_field(gettext_lazy("Due date"))
            self.fields[f"due_{key}"].initial = default_due
            self.fields[f"due_{key}"].required = False
            self.fields[f"actions_{key}"] = forms.CharField(
                label=gettext_lazy("Agreed actions"),
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """The proposals with their bound fields, for the template."""
        return [
            {
                "proposal": p,
                "use": self[f"use_{p.key}"],
                "target": self[f"target_{p.key}"],
                "due": self[f"due_{p.key}"],
                "actions": self[f"actions_{p.key}"],
            }
            for p in self.proposals
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = []
        for proposal in self.proposals:
            key = proposal.key
            if not cleaned.get(f"use_{key}"):
                continue
            target = cleaned.get(f"target_{key}")
            due = cleaned.get(f"due_{key}")
            if target is None and f"target_{key}" not in self.errors:
                self.add_error(f"target_{key}", _("Give a target score."))
            elif target is not None:
                problem = check_target(target, start=proposal.score)
                if problem:
                    self.add_error(f"target_{key}", problem)
            if due is None and f"due_{key}" not in self.errors:
                self.add_error(f"due_{key}", _("Give a due date."))
            elif due is not None:
                problem = check_due(due, today=self.today, since=self.today)
                if problem:
                    self.add_error(f"due_{key}", problem)
            chosen.append(proposal)
        if not chosen:
            raise forms.ValidationError(_("Choose at least one goal."))
        self.chosen = chosen
        return cleaned


class GoalAddForm(forms.Form):
    goal = forms.ChoiceField(label=gettext_lazy("Goal"))
    target_score = _score_field()
    due_date = _date_field(gettext_lazy("Due date"))
    actions = forms.CharField(
        label=gettext_lazy("Agreed actions"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisation, scores, today, taken=(), **kwargs):
        """``scores``: the engine's score now per choice value ("AREA:SKILLS", "Q:CUS1");
        ``taken``: choice values of the plan's open goals."""
        super().__init__(*args, **kwargs)
        self.scores, self.today = scores, today
        self.fields["goal"].choices = [
            (value, label) for value, label in goal_choices(organisation) if value not in taken
        ]

    def clean(self):
        cleaned = super().clean()
        choice, target = cleaned.get("goal"), cleaned.get("target_score")
        if choice and target is not None:
            problem = check_target(target, start=self.scores.get(choice))
            if problem:
                self.add_error("target_score", problem)
        due = cleaned.get("due_date")
        if due is not None:
            problem = check_due(due, today=self.today, since=self.today)
            if problem:
                self.add_error("due_date", problem)
        return cleaned


class GoalEditForm(forms.ModelForm):
    """What can be agreed about a goal. Its state is never typed: the engine measures it. Once
    the salesperson has acknowledged the plan, a target may be raised but not lowered."""

    class Meta:
        model = Goal
        fields = ["target_score", "due_date", "actions"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "actions": forms.Textarea(attrs={"rows": 3}),
            "target_score": forms.NumberInput(attrs={"step": "1", "inputmode": "decimal"}),
        }

    def __init__(self, *args, today, score_now=None, **kwargs):
        """``score_now``: the engine's score of the goal now; a target must lie above it as well
        as above the start, or a lowered target would make the goal "achieved" at once."""
        super().__init__(*args, **kwargs)
        self.today, self.score_now = today, score_now
        self.agreed_target = self.instance.target_score
        self.fields["actions"].max_length = TEXT_LIMIT

    def clean_target_score(self):
        target = self.cleaned_data["target_score"]
        if not 0 <= target <= 100:
            raise forms.ValidationError(_("Give a score between 0 and 100."))
        scores = [x for x in (self.instance.start_score, self.score_now) if x is not None]
        problem = check_target(target, start=max(scores) if scores else None)
        if problem:
            raise forms.ValidationError(problem)
        if self.instance.plan.acknowledged_at and target < self.agreed_target:
            raise forms.ValidationError(
                _("The plan is agreed: the target may be raised, not lowered (%(target)s).")
                % {"target": f"{self.agreed_target:.1f}"}
            )
        return target

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due == self.instance.due_date:
            return due
        problem = check_due(due, today=self.today, since=self.today)
        if problem:
            raise forms.ValidationError(problem)
        return due


class SessionForm(forms.Form):
    held_on = _date_field(gettext_lazy("Date"))
    goals = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Goals discussed"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_step = forms.CharField(
        label=gettext_lazy("Next step"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, plan, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.today = plan, today
        self.fields["goals"].queryset = plan.goals.select_related("question").order_by("id")
        self.fields["goals"].label_from_instance = lambda goal: goal.label

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > self.today:
            raise forms.ValidationError(_("A session cannot be logged in advance."))
        if held_on < self.plan.started_at.date() - timedelta(days=1):
            raise forms.ValidationError(_("The date is before the plan started."))
        return held_on


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write a comment first."))
        return text


class SelfAssessmentForm(forms.Form):
    """One optional rating per question, on the question's own scale."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.code}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[("", "–")] + [(str(v), text) for v, text in question.choices],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )

    def clean(self):
        cleaned = super().clean()
        self.ratings = {
            q: cleaned[f"q_{q.code}"]
            for q in self.questions
            if cleaned.get(f"q_{q.code}") is not None
        }
        if not self.ratings and not self.errors:
            raise forms.ValidationError(_("Rate yourself on at least one question."))
        return cleaned


class SeasonForm(forms.ModelForm):
    class Meta:
        model = Season
        fields = ["name", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the season a name."))
        return name

    def clean(self):
        cleaned = super().clean()
        name, start, end = (cleaned.get(k) for k in ("name", "start_date", "end_date"))
        if name and start and end:
            for problem in season_problems(
                self.organisation, name=name, start_date=start, end_date=end, season=self.instance
            ):
                self.add_error(None, problem)
        return cleaned
