"""Checklist templates, edited by leadership: list, create, edit, archive or restore, delete
an unused one."""

from django.contrib import messages
from django.db.models import Count, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asiakaskunto.access import leadership_required, organisation_of

from ..checklist_templates import (
    DuplicateTemplateName,
    TemplateInput,
    bank_questions,
    save_template,
    template_positions,
)
from ..forms import ChecklistTemplateForm
from ..models import ChecklistTemplate


def get_template_for_user(request, pk) -> ChecklistTemplate:
    """A template of the user's organisation (404 for any other)."""
    return get_object_or_404(ChecklistTemplate.objects.of(organisation_of(request.user)), pk=pk)


@leadership_required
def template_list(request):
    organisation = organisation_of(request.user)
    templates = list(
        ChecklistTemplate.objects.of(organisation)
        .annotate(checklist_count=Count("checklists"))
        .prefetch_related("entries__question")
        .order_by("archived_at", "name_fi", "id")
    )
    # What each asks now: the current version of each chosen code (a retired one is left out).
    current = {question.code: question for question in bank_questions(organisation)}
    for template in templates:
        entries = sorted(template.entries.all(), key=lambda entry: (entry.position, entry.pk))
        template.asked = [
            current[entry.question.code] for entry in entries if entry.question.code in current
        ]
    return render(request, "observations/template_list.html", {"templates": templates})


def _initial_for(template: ChecklistTemplate | None, questions) -> dict:
    if template is None:
        return {}
    initial = {
        "name_fi": template.name_fi,
        "name_sv": template.name_sv,
        "name_en": template.name_en,
    }
    positions = template_positions(template)
    for question in questions:  # the current versions of the chosen codes
        if question.code in positions:
            initial[f"include_{question.pk}"] = True
            initial[f"order_{question.pk}"] = positions[question.code]
    return initial


def _edit(request, template: ChecklistTemplate | None):
    organisation = organisation_of(request.user)
    questions = bank_questions(organisation)
    if request.method == "POST":
        form = ChecklistTemplateForm(request.POST, questions=questions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = save_template(
                    organisation,
                    TemplateInput(
                        name_fi=data["name_fi"],
                        name_sv=data["name_sv"].strip(),
                        name_en=data["name_en"].strip(),
                        questions=data["questions"],
                    ),
                    template=template,
                )
            except DuplicateTemplateName:
                form.add_error("name_fi", _("Another template already has this name."))
            else:
                messages.success(request, _("Template “%(name)s” saved.") % {"name": saved.name})
                return redirect("observations:template_list")
    else:
        form = ChecklistTemplateForm(initial=_initial_for(template, questions), questions=questions)
    return render(request, "observations/template_form.html", {"form": form, "template": template})


@leadership_required
def template_create(request):
    return _edit(request, None)


@leadership_required
def template_edit(request, pk):
    return _edit(request, get_template_for_user(request, pk))


@require_POST
@leadership_required
def template_archive(request, pk):
    """Archive (no longer offered to managers) or restore a template."""
    template = get_template_for_user(request, pk)
    if template.is_archived:
        template.archived_at = None
        messages.success(request, _("Template “%(name)s” restored.") % {"name": template.name})
    else:
        template.archived_at = timezone.now()
        messages.success(
            request,
            _("Template “%(name)s” archived; checklists made with it keep its name.")
            % {"name": template.name},
        )
    template.save(update_fields=["archived_at", "updated_at"])
    return redirect("observations:template_list")


@require_POST
@leadership_required
def template_delete(request, pk):
    """Delete a template no checklist has used; a used one can only be archived."""
    template = get_template_for_user(request, pk)
    try:
        template.delete()
    except ProtectedError:
        messages.error(
            request, _("Checklists have been made with this template: archive it instead.")
        )
    else:
        messages.success(request, _("Template “%(name)s” deleted.") % {"name": template.name})
    return redirect("observations:template_list")
