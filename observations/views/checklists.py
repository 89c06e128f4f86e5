"""Observation checklists: list, start, save as draft, submit, correct with history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Avg, F, Max, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asiakaskunto.access import (
    get_salesperson_for_user,
    manager_or_leadership_required,
    organisation_of,
    role_of,
    visible_salespeople,
)
from asiakaskunto.dates import in_range
from asiakaskunto.models import Answer, Method, Role
from asiakaskunto.questions import bank
from photos.models import EvidencePhoto
from photos.services import (
    apply_photo_changes,
    drop_photos_without_answer,
    files_kept_only_on_commit,
    photos_by_question,
)

from ..checklist_templates import checklist_questions
from ..forms import ChecklistForm, TemplateChoiceForm
from ..models import Checklist, ChecklistStatus, ChecklistTemplate, MysteryTest
from ..services import (
    ChecklistAlreadySubmitted,
    ChecklistInput,
    correct_checklist,
    note_photo_changes,
    save_checklist,
)


def get_checklist_for_user(request, pk) -> Checklist:
    """The checklist if the user may see it (404 otherwise): submitted ones of the user's
    salespeople, and the user's own drafts."""
    queryset = Checklist.objects.visible_to(
        request.user, visible_salespeople(request.user)
    ).select_related("salesperson__team", "author", "submission", "template", "organisation")
    return get_object_or_404(queryset, pk=pk)


def may_edit(user, checklist: Checklist) -> bool:
    """Drafts by their author; submitted checklists by their author or leadership."""
    if checklist.author_id == user.pk:
        return True
    return not checklist.is_draft and role_of(user) == Role.LEADERSHIP


def salespeople_for_picker(user):
    """The user's active salespeople, the most recently observed first."""
    return (
        visible_salespeople(user)
        .active()
        .select_related("team")
        .annotate(
            last_observed_at=Max(
                "checklists__observed_at",
                filter=Q(checklists__status=ChecklistStatus.SUBMITTED),
            )
        )
        .order_by(F("last_observed_at").desc(nulls_last=True), "name", "id")
    )


def observation_questions(checklist: Checklist):
    """What the checklist asks: its template's questions (or the whole bank), plus any it has
    answered already."""
    if checklist.is_draft:
        answered = [int(pk) for pk in checklist.draft_answers]
    elif checklist.submission_id:
        answered = list(checklist.submission.answers.values_list("question_id", flat=True))
    else:
        answered = []
    return checklist_questions(
        checklist.organisation,
        template=checklist.template,
        answered_ids=answered,
    )


def offered_templates(user):
    """The templates a manager may start a checklist from: the organisation's active ones."""
    return ChecklistTemplate.objects.of(organisation_of(user)).active().in_name_order()


def _initial_for(checklist: Checklist) -> dict:
    initial = {
        "salesperson": checklist.salesperson_id,
        "observed_at": timezone.localtime(checklist.observed_at),
        "location": checklist.location,
        "general_note": checklist.general_note,
    }
    if checklist.is_draft:
        for question_id, answer in checklist.draft_answers.items():
            initial[f"q_{question_id}"] = answer.get("value")
            initial[f"note_{question_id}"] = answer.get("note", "")
    elif checklist.submission_id:
        for answer in checklist.submission.answers.all():
            initial[f"q_{answer.question_id}"] = answer.value
            initial[f"note_{answer.question_id}"] = answer.why
    return initial


def _input_from(form, template=None) -> ChecklistInput:
    data = form.cleaned_data
    return ChecklistInput(
        salesperson=data["salesperson"],
        observed_at=data["observed_at"],
        location=data["location"].strip(),
        general_note=data["general_note"].strip(),
        answers=form.answers(),
        template=template,
    )


@manager_or_leadership_required
def checklist_list(request):
    salespeople = visible_salespeople(request.user)
    checklists = (
        Checklist.objects.visible_to(request.user, salespeople)
        .select_related("salesperson__team", "author", "template")
        .annotate(mean_value=Avg("submission__answers__value"))
    )
    filters = {
        "salesperson": request.GET.get("salesperson", ""),
        "status": request.GET.get("status", ""),
        "date_from": request.GET.get("date_from", ""),
        "date_to": request.GET.get("date_to", ""),
        "mine": request.GET.get("mine", ""),
    }
    if filters["salesperson"].isdigit():
        checklists = checklists.filter(salesperson_id=int(filters["salesperson"]))
    else:
        filters["salesperson"] = ""
    if filters["status"] in ChecklistStatus.values:
        checklists = checklists.filter(status=filters["status"])
    if date_from := parse_date_or_none(filters["date_from"]):
        checklists = checklists.filter(observed_at__date__gte=date_from)
    if date_to := parse_date_or_none(filters["date_to"]):
        checklists = checklists.filter(observed_at__date__lte=date_to)
    if filters["mine"]:
        checklists = checklists.filter(author=request.user)
    page = Paginator(checklists.order_by("-observed_at", "-id"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "observations/checklist_list.html",
        {
            "page": page,
            "filters": filters,
            "salespeople": salespeople.select_related("team").order_by("name", "id"),
            "statuses": ChecklistStatus.choices,
            "query": query.urlencode(),
        },
    )


def parse_date_or_none(value):
    """A filter's date, or None when it is malformed or outside the dates anyone can enter."""
    try:
        day = parse_date(value) if value else None
    except ValueError:
        return None
    return day if day and in_range(day) else None


@manager_or_leadership_required
def checklist_create(request):
    salespeople = salespeople_for_picker(request.user)
    templates = offered_templates(request.user)
    picker = TemplateChoiceForm(
        request.POST if request.method == "POST" else request.GET, templates=templates
    )
    template = picker.cleaned_data["template"] if picker.is_valid() else None
    questions = checklist_questions(organisation_of(request.user), template=template)
    if request.method == "POST":
        form = ChecklistForm(
            request.POST, request.FILES, salespeople=salespeople, questions=questions, photos={}
        )
        # A template that is not (or no longer) offered: nothing is saved, the picker says why.
        if form.is_valid() and picker.is_valid():
            checklist, changed = _save_with_photos(
                request,
                form,
                author=request.user,
                data=_input_from(form, template),
                submit=form.submitting,
                idempotency_key=form.cleaned_data["idempotency_key"],
                now=timezone.now(),
            )
            return _after_save(request, checklist, changed=changed, submitted=form.submitting)
    else:
        initial = {"observed_at": timezone.localtime().replace(second=0, microsecond=0)}
        if request.GET.get("salesperson", "").isdigit():
            initial["salesperson"] = int(request.GET["salesperson"])
        form = ChecklistForm(
            initial=initial, salespeople=salespeople, questions=questions, photos={}
        )
    return render(
        request,
        "observations/checklist_form.html",
        {
            "form": form,
            "checklist": None,
            "picker": picker,
            "templates": list(templates),
            "template": template,
        },
    )


def _save_with_photos(request, form, **save):
    """``save_checklist`` and the form's photos, all or nothing (no file left behind either)."""
    with files_kept_only_on_commit() as written, transaction.atomic():
        checklist, changed = save_checklist(**save)
        if changed:
            apply_photo_changes(
                form.photo_changes(),
                written=written,
                uploaded_by=request.user,
                checklist=checklist,
            )
            if not checklist.is_draft:
                drop_photos_without_answer(answered_ids=form.answered_ids(), checklist=checklist)
    return checklist, changed


def _correct_with_photos(request, checklist, form, data):
    """Correct the answers and the photos in one transaction; the photos' changes join the
    revision. None when nothing changed."""
    now = timezone.now()
    with files_kept_only_on_commit() as written, transaction.atomic():
        revision = correct_checklist(checklist, editor=request.user, data=data, now=now)
        counts = apply_photo_changes(
            form.photo_changes(), written=written, uploaded_by=request.user, checklist=checklist
        )
        drop_photos_without_answer(answered_ids=form.answered_ids(), checklist=checklist)
        if counts:
            codes = {question.pk: question.code for question in form.questions}
            revision = note_photo_changes(
                checklist,
                revision,
                counts={codes.get(pk, str(pk)): change for pk, change in counts.items()},
                editor=request.user,
                now=now,
            )
    return revision


def _after_save(request, checklist, *, changed, submitted):
    if not changed:
        messages.info(request, _("This checklist was saved already."))
    elif submitted:
        messages.success(request, _("Checklist submitted."))
    else:
        messages.success(request, _("Draft saved. You can finish it later."))
    if checklist.is_draft:
        return redirect("observations:checklist_edit", pk=checklist.pk)
    return redirect(checklist)


@manager_or_leadership_required
def checklist_edit(request, pk):
    checklist = get_checklist_for_user(request, pk)
    if not may_edit(request.user, checklist):
        raise PermissionDenied
    salespeople = salespeople_for_picker(request.user)
    if not checklist.is_draft:
        # A correction keeps the person: their evidence never moves to someone else.
        salespeople = visible_salespeople(request.user).select_related("team")
    questions = observation_questions(checklist)
    form_kwargs = {
        "salespeople": salespeople,
        "questions": questions,
        "correcting": not checklist.is_draft,
        "initial": _initial_for(checklist),
        "photos": photos_by_question(checklist.photos.in_order()),
    }
    if request.method == "POST":
        form = ChecklistForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            data = _input_from(form)
            if checklist.is_draft:
                try:
                    checklist, changed = _save_with_photos(
                        request,
                        form,
                        author=request.user,
                        data=data,
                        submit=form.submitting,
                        idempotency_key=checklist.idempotency_key,
                        checklist=checklist,
                        now=timezone.now(),
                    )
                except ChecklistAlreadySubmitted:
                    messages.info(request, _("This checklist was submitted already."))
                    return redirect(checklist)
                return _after_save(request, checklist, changed=changed, submitted=form.submitting)
            revision = _correct_with_photos(request, checklist, form, data)
            if revision is None:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(request, _("Correction saved; the previous version is kept."))
            return redirect(checklist)
    else:
        form = ChecklistForm(**form_kwargs)
    return render(
        request,
        "observations/checklist_form.html",
        {"form": form, "checklist": checklist, "template": checklist.template},
    )


@manager_or_leadership_required
def checklist_detail(request, pk):
    checklist = get_checklist_for_user(request, pk)
    answers = []
    if checklist.submission_id:
        answers = list(checklist.submission.answers.in_question_order())
    else:
        by_id = {q.pk: q for q in observation_questions(checklist)}
        for question_id, answer in checklist.draft_answers.items():
            question = by_id.get(int(question_id))
            if question is not None:
                answers.append(
                    Answer(question=question, value=answer.get("value"), why=answer.get("note"))
                )
    revisions = checklist.revisions.select_related("edited_by").order_by("-edited_at", "-id")
    questions = {q.code: q for q in bank(checklist.organisation_id, Method.OBSERVATION)}
    return render(
        request,
        "observations/checklist_detail.html",
        {
            "checklist": checklist,
            "answers": answers,
            "revisions": [(revision, _describe(revision, questions)) for revision in revisions],
            "may_edit": may_edit(request.user, checklist),
            "photos": photos_by_question(checklist.photos.in_order()),
        },
    )


FIELD_LABELS = {
    "observed_at": lambda: _("Date and time"),
    "location": lambda: _("Location or situation"),
    "general_note": lambda: _("General note"),
}


def _describe(revision, questions) -> list[dict]:
    """The revision's changes with readable labels."""
    rows = []
    for change in revision.changes:
        name = change["field"]
        if name in FIELD_LABELS:
            label = FIELD_LABELS[name]()
        else:
            code, _sep, note = name.partition(":")
            question = questions.get(code)
            label = f"{code}: {question.text}" if question else code
            if note == "photos":
                label += " (" + _("photos") + ")"
            elif note:
                label += " (" + _("note") + ")"
        before, after = change["before"], change["after"]
        if name == "observed_at":
            before, after = _local(before), _local(after)
        rows.append({"label": label, "before": before, "after": after})
    return rows


def _local(iso):
    from datetime import datetime

    return f"{timezone.localtime(datetime.fromisoformat(iso)):%-d.%-m.%Y %H:%M}"


@require_POST
@manager_or_leadership_required
def checklist_delete(request, pk):
    checklist = get_checklist_for_user(request, pk)
    if not checklist.is_draft or checklist.author_id != request.user.pk:
        raise PermissionDenied
    Checklist.objects.filter(pk=checklist.pk, status=ChecklistStatus.DRAFT).delete()
    messages.success(request, _("Draft deleted."))
    return redirect("observations:checklist_list")


@manager_or_leadership_required
def salesperson_history(request, pk):
    salesperson = get_salesperson_for_user(request, pk)
    answers = Prefetch(
        "submission__answers",
        queryset=Answer.objects.in_question_order(),
    )
    checklists = (
        Checklist.objects.visible_to(request.user, [salesperson])
        .select_related("author", "submission", "template")
        .prefetch_related(answers, _photos())
        .order_by("-observed_at", "-id")
    )
    tests = (
        MysteryTest.objects.filter(salesperson=salesperson)
        .select_related("plan", "submission")
        .prefetch_related(answers, _photos())
        .order_by("-visited_at", "-id")
    )
    # The columns are the questions, headed by their wording (never the code).
    # Current versions, retired ones too (their history stays); answers match them by code.
    observation_questions = list(bank(salesperson.organisation_id, Method.OBSERVATION))
    mystery_questions = list(bank(salesperson.organisation_id, Method.MYSTERY_SHOP))
    return render(
        request,
        "observations/salesperson_history.html",
        {
            "salesperson": salesperson,
            "checklists": [(c, _values(c, observation_questions)) for c in checklists],
            "tests": [(t, _values(t, mystery_questions)) for t in tests],
            "observation_questions": observation_questions,
            "mystery_questions": mystery_questions,
        },
    )


def _photos():
    return Prefetch("photos", queryset=EvidencePhoto.objects.in_order())


def _values(record, questions) -> list:
    """[(question, value, photos)] of the record in the columns' order ("" for a draft, "–"
    for a question it did not answer)."""
    if record.submission is None:
        return [(question, "", []) for question in questions]
    by_code = {answer.question.code: answer.value for answer in record.submission.answers.all()}
    photos = photos_by_question(record.photos.all())
    return [
        (question, by_code.get(question.code, "–"), photos.get(question.pk, []))
        for question in questions
    ]
