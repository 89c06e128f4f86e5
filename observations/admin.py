from django.contrib import admin

from asiakaskunto.admin_scope import OrganisationScopedAdmin

from .models import Checklist, ChecklistRevision, MysteryPlan, MysteryTest


class ChecklistRevisionInline(admin.TabularInline):
    model = ChecklistRevision
    extra = 0
    can_delete = False
    readonly_fields = ["edited_by", "edited_at", "changes", "previous"]


@admin.register(Checklist)
class ChecklistAdmin(OrganisationScopedAdmin):
    list_display = ["salesperson", "observed_at", "status", "author", "location"]
    list_filter = ["status", "salesperson__team"]
    search_fields = ["salesperson__name", "location", "general_note"]
    date_hierarchy = "observed_at"
    raw_id_fields = ["author"]
    # The evidence (Submission and Answers) follows these only through the app's own forms.
    readonly_fields = [
        "salesperson",
        "observed_at",
        "submission",
        "idempotency_key",
        "created_at",
        "updated_at",
        "submitted_at",
    ]
    inlines = [ChecklistRevisionInline]


@admin.register(MysteryPlan)
class MysteryPlanAdmin(OrganisationScopedAdmin):
    list_display = [
        "__str__",
        "team",
        "salesperson",
        "window_start_date",
        "window_end_date",
        "used_at",
        "cancelled_at",
    ]
    list_filter = ["team"]
    search_fields = ["salesperson__name", "shopper_name", "shopper_email"]
    raw_id_fields = ["salesperson", "created_by"]
    readonly_fields = ["expires_at", "created_at", "emailed_at", "used_at"]
    exclude = ["token"]  # a secret: shown to managers on the plan's page, not in lists


@admin.register(MysteryTest)
class MysteryTestAdmin(OrganisationScopedAdmin):
    organisation_path = "plan__organisation"
    list_display = ["plan", "salesperson", "visited_at"]
    search_fields = ["salesperson__name", "description"]
    # Read-only: the test's Submission and Answers would not follow an edit here.
    readonly_fields = ["plan", "submission", "salesperson", "visited_at"]
