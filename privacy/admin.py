from django.contrib import admin

from asiakaskunto.admin_scope import OrganisationScopedAdmin

from .models import RetentionSettings


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "customer_data_months", "answers_months", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]
