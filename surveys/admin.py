from django.contrib import admin

from asiakaskunto.admin_scope import OrganisationScopedAdmin

from .models import FollowUp, Invitation, SurveyLink, SurveyResponse


@admin.register(SurveyLink)
class SurveyLinkAdmin(OrganisationScopedAdmin):
    list_display = ["__str__", "team", "salesperson", "active", "created_at", "rotated_at"]
    list_filter = ["active", "team"]
    raw_id_fields = ["salesperson"]


@admin.register(Invitation)
class InvitationAdmin(OrganisationScopedAdmin):
    list_display = ["salesperson", "team", "email", "created_at", "expires_at", "used_at"]
    list_filter = ["team"]
    raw_id_fields = ["salesperson", "created_by"]
    exclude = ["token"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(OrganisationScopedAdmin):
    organisation_path = "submission__organisation"
    list_display = ["submission", "language", "link", "invitation", "consent", "created_at"]
    list_filter = ["language"]
    raw_id_fields = ["submission", "link", "invitation"]


@admin.register(FollowUp)
class FollowUpAdmin(OrganisationScopedAdmin):
    list_display = ["answered_at", "team", "salesperson", "reason", "status", "time_to_resolve"]
    list_filter = ["status", "team"]
    raw_id_fields = ["submission", "salesperson", "handled_by"]
