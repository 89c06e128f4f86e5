import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import erase_person, export_person

from .admin_scope import OrganisationScopedAdmin
from .models import Answer, Organisation, Profile, Question, Salesperson, Submission, Team
from .questions import VERSIONED_FIELDS, WORDINGS


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    list_display = ["name", "target_level", "survey_csat", "survey_ces", "survey_free_text"]


@admin.register(Profile)
class ProfileAdmin(OrganisationScopedAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(Team)
class TeamAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    filter_horizontal = ["managers"]
    search_fields = ["name"]


@admin.register(Salesperson)
class SalespersonAdmin(OrganisationScopedAdmin):
    list_display = ["name", "team", "active", "user"]
    list_filter = ["active", "team"]
    search_fields = ["name"]
    raw_id_fields = ["user"]
    actions = ["export_data", "erase_data"]

    @admin.action(description=_("Export the selected people's data (GDPR, JSON)"))
    def export_data(self, request, queryset):
        data = [export_person(person) for person in queryset.select_related("team", "user")]
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="salespeople-data.json"'
        return response

    @admin.action(description=_("Erase the selected people's data (GDPR)"))
    def erase_data(self, request, queryset):
        people = list(queryset.select_related("user"))
        with transaction.atomic():  # all the selected people or none
            for person in people:
                erase_person(person)
        self.message_user(
            request,
            ngettext(
                "Erased the data of %(count)d person.",
                "Erased the data of %(count)d people.",
                len(people),
            )
            % {"count": len(people)},
            messages.SUCCESS,
        )


@admin.register(Question)
class QuestionAdmin(OrganisationScopedAdmin):
    list_display = [
        "code",
        "version",
        "method",
        "area",
        "metric",
        "scale",
        "text_fi",
        "asks_why",
        "required",
        "active",
    ]
    list_editable = ["active"]
    list_filter = ["method", "area", "active"]
    ordering = ["method", "position", "id"]
    readonly_fields = ["version", "replaced_by"]

    def get_readonly_fields(self, request, obj=None):
        """An answered question's method, area, metric, scale and wordings are what its answers
        were given under: they change only through the bank editor, as a new version."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (obj.replaced_by_id or obj.answers.exists()):
            fields += [*VERSIONED_FIELDS, *WORDINGS, "code"]
        return fields


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "value", "why"]
    readonly_fields = ["question", "value", "why"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(OrganisationScopedAdmin):
    list_display = ["method", "salesperson", "team", "answered_at"]
    list_filter = ["method", "team"]
    date_hierarchy = "answered_at"
    inlines = [AnswerInline]
    raw_id_fields = ["salesperson"]
