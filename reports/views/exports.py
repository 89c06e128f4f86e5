"""The exports page and its four downloads (answers and grades, CSV and Excel).

Who gets what: leadership every team; a manager only the teams they manage — asking for
another team's id gives a 404, as any object outside one's scope does; a salesperson 403.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asiakaskunto.access import (
    manager_or_leadership_required,
    organisation_of,
    visible_salespeople,
    visible_teams,
)
from asiakaskunto.dates import EARLIEST_DATE, past_date_validators
from asiakaskunto.models import Method

from ..dashboards import is_listed
from ..exports import (
    XLSX_MAX_ANSWERS,
    answer_header,
    answer_rows,
    answers_queryset,
    csv_stream,
    grade_header,
    grade_rows,
    xlsx_file,
)
from ..results_cache import grades_for
from ..services import scoring_settings_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_DAYS = 365
MIN_DATE = f"{EARLIEST_DATE:%Y-%m-%d}"


class ExportFilterForm(forms.Form):
    start_date = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date", "min": MIN_DATE}, format="%Y-%m-%d"),
        validators=past_date_validators(),
    )
    end_date = forms.DateField(
        label=gettext_lazy("To"),
        help_text=gettext_lazy("The grades are as of the end of this day."),
        widget=forms.DateInput(attrs={"type": "date", "min": MIN_DATE}, format="%Y-%m-%d"),
        validators=past_date_validators(),
    )
    teams = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Teams"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: all your teams."),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Method"),
        required=False,
        choices=[("", gettext_lazy("All methods")), *Method.choices],
        help_text=gettext_lazy(
            "With one method, the grades use only its answers (usually: not enough data)."
        ),
    )

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["teams"].queryset = visible_teams(user).order_by("name", "id")

    @classmethod
    def for_request(cls, request):
        """The filter of the query string, the last 12 months until today where it is silent."""
        today = timezone.localdate()
        data = request.GET.copy()
        data.setdefault("start_date", (today - timedelta(days=DEFAULT_DAYS)).isoformat())
        data.setdefault("end_date", today.isoformat())
        return cls(data, user=request.user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return cleaned

    def out_of_scope(self) -> bool:
        """A team that is not the user's was asked for (only a tampered URL can do that)."""
        return any(e.code == "invalid_choice" for e in self.errors.as_data().get("teams", []))

    @property
    def chosen_teams(self):
        return self.cleaned_data["teams"] or self.fields["teams"].queryset

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["start_date"], time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["end_date"], time.max))


def _filter(request):
    """The valid filter, or the page with its errors (400); a foreign team is a 404."""
    form = ExportFilterForm.for_request(request)
    if form.is_valid():
        return form, None
    if form.out_of_scope():
        raise Http404
    return form, render(request, "reports/exports.html", {"form": form}, status=400)


def _download_name(kind: str, form, extension: str) -> str:
    start, end = form.cleaned_data["start_date"], form.cleaned_data["end_date"]
    if kind == "grades":
        return f"asiakaskunto-grades-{end:%Y-%m-%d}.{extension}"
    return f"asiakaskunto-answers-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{extension}"


@manager_or_leadership_required
def exports(request):
    """Choose period, teams and method; download answers or grades as CSV or Excel."""
    form, error = _filter(request)
    if error:
        return error
    return render(request, "reports/exports.html", _page_context(request, form))


def _answer_count(request, form) -> int:
    return answers_queryset(
        organisation_of(request.user),
        teams=form.chosen_teams,
        start=form.start_at,
        end=form.end_at,
        method=form.cleaned_data["method"],
    ).count()


def _page_context(request, form, count=None):
    count = _answer_count(request, form) if count is None else count
    return {
        "form": form,
        "answer_count": count,
        "xlsx_limit": XLSX_MAX_ANSWERS,
        "xlsx_too_many": count > XLSX_MAX_ANSWERS,
    }


def _answer_rows(request, form):
    organisation = organisation_of(request.user)
    return answer_rows(
        organisation,
        teams=form.chosen_teams,
        start=form.start_at,
        end=form.end_at,
        method=form.cleaned_data["method"],
        settings=scoring_settings_for(organisation),
    )


def _grade_rows(request, form):
    organisation = organisation_of(request.user)
    # A period that ends today is graded as of now, like the pages (not as of tonight).
    as_of = None if form.end_at >= timezone.now() else form.end_at
    grades = grades_for(organisation, as_of=as_of, method=form.cleaned_data["method"] or None)
    people = (
        visible_salespeople(request.user)
        .filter(team__in=form.chosen_teams)
        .select_related("team")
        .order_by("team__name", "name", "id")
    )
    people = [p for p in people if is_listed(active=p.active, pk=p.pk, graded=grades.people)]
    # A list (a few thousand rows at most): labels are translated while the request's
    # language is active, not later while the response streams.
    return list(grade_rows(grades, people, scoring_settings_for(organisation)))


def _csv_response(rows, header, filename):
    response = StreamingHttpResponse(
        csv_stream(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_response(rows, header, filename, title):
    return FileResponse(
        xlsx_file(title, header, rows),
        as_attachment=True,
        filename=filename,
        content_type=XLSX_TYPE,
    )


@manager_or_leadership_required
def answers_csv(request):
    form, error = _filter(request)
    if error:
        return error
    return _csv_response(
        _answer_rows(request, form), answer_header(), _download_name("answers", form, "csv")
    )


@manager_or_leadership_required
def answers_xlsx(request):
    form, error = _filter(request)
    if error:
        return error
    count = _answer_count(request, form)
    if count > XLSX_MAX_ANSWERS:
        # An Excel file is built whole before it is sent; this many rows would take minutes.
        return render(
            request, "reports/exports.html", _page_context(request, form, count), status=400
        )
    return _xlsx_response(
        _answer_rows(request, form),
        answer_header(),
        _download_name("answers", form, "xlsx"),
        _("Answers"),
    )


@manager_or_leadership_required
def grades_csv(request):
    form, error = _filter(request)
    if error:
        return error
    return _csv_response(
        _grade_rows(request, form), grade_header(), _download_name("grades", form, "csv")
    )


@manager_or_leadership_required
def grades_xlsx(request):
    form, error = _filter(request)
    if error:
        return error
    return _xlsx_response(
        _grade_rows(request, form),
        grade_header(),
        _download_name("grades", form, "xlsx"),
        _("Grades"),
    )
