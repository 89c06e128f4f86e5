"""Leadership's question bank editor: the organisation's own questions by method, adding,
editing (in place, or as a new version once answered), retiring and reactivating, reordering.
Only leadership (and admins) of the organisation reach it; another organisation's questions are
not found (404)."""

import copy

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import leadership_required, organisation_of
from .forms import QuestionForm
from .models import Method, Question
from .questions import (
    EDITABLE_FIELDS,
    QuestionChanged,
    bank,
    makes_new_version,
    move,
    save_question,
    set_active,
)


def _question_for(request, pk) -> Question:
    """A current question of the user's organisation, else 404."""
    return get_object_or_404(bank(organisation_of(request.user)), pk=pk)


@leadership_required
def question_bank(request):
    organisation = organisation_of(request.user)
    questions = list(bank(organisation))
    earlier = {}  # {code: [older versions, newest first]}: the history of each question
    for old in Question.objects.filter(
        organisation=organisation, replaced_by__isnull=False
    ).order_by("code", "-version"):
        earlier.setdefault(old.code, []).append(old)
    for question in questions:
        question.earlier = earlier.get(question.code, [])
    sections = []
    for method, label in Method.choices:
        rows = [q for q in questions if q.method == method]
        sections.append(
            {
                "method": method,
                "label": label,
                "active": [q for q in rows if q.active],
                "retired": [q for q in rows if not q.active],
            }
        )
    return render(request, "organisation/question_bank.html", {"sections": sections})


@leadership_required
def question_create(request):
    organisation = organisation_of(request.user)
    initial = {"method": request.GET.get("method")} if request.GET.get("method") else None
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        question = save_question(organisation, form.cleaned_data)
        messages.success(
            request, _("Question added and in use: %(text)s") % {"text": question.text}
        )
        return redirect("question_bank")
    return render(request, "organisation/question_form.html", {"form": form, "question": None})


@leadership_required
def question_edit(request, pk):
    question = _question_for(request, pk)
    answered = question.answers.exists()
    # The form edits a copy: ``question`` stays as stored, to compare the edit against.
    form = QuestionForm(request.POST or None, instance=copy.copy(question))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        versioned = makes_new_version(question, fields)
        try:
            saved = save_question(question.organisation_id, fields, question=question)
        except QuestionChanged:
            messages.error(
                request, _("Someone changed this question meanwhile. Open it again and retry.")
            )
            return redirect("question_bank")
        if versioned:
            messages.success(
                request,
                _(
                    "Saved as version %(version)d. The earlier answers keep the version they "
                    "were given under."
                )
                % {"version": saved.version},
            )
        else:
            messages.success(request, _("Question saved."))
        return redirect("question_bank")
    return render(
        request,
        "organisation/question_form.html",
        {"form": form, "question": question, "answered": answered},
    )


@require_POST
@leadership_required
def question_active(request, pk):
    question = _question_for(request, pk)
    active = request.POST.get("active") == "1"
    set_active(question, active)
    if active:
        messages.success(request, _("Taken into use: %(text)s") % {"text": question.text})
    else:
        messages.success(
            request,
            _("Retired: %(text)s. Its answers stay in the results and exports.")
            % {"text": question.text},
        )
    return redirect("question_bank")


@require_POST
@leadership_required
def question_move(request, pk):
    question = _question_for(request, pk)
    step = -1 if request.POST.get("step") == "up" else 1
    if not move(question, step):
        messages.info(request, _("The question is already at that end of the list."))
    return redirect(f"{reverse('question_bank')}#question-{question.pk}")
