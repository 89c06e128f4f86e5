"""Organisation admins: one customer company's admin manages only that company in Django admin.

An organisation admin is an active staff user who is not a superuser and has a ``Profile`` in
the organisation (whatever its role); they see the models their Django permissions allow (the
group "Organisation admins", kept up to date after every migrate, holds the usual ones).
Every ``ModelAdmin`` of the project derives from ``OrganisationScopedAdmin``: its lists, its
filters, and the choices of its related fields (its own organisation field too) stay inside the admin's
organisation; a staff user without an organisation sees nothing. Superusers see everything.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model

from .models import Organisation

ORGANISATION_ADMINS_GROUP = "Organisation admins"


def admin_organisation(user) -> Organisation | None:
    """The organisation a non-superuser staff user administers (None: none)."""
    profile = getattr(user, "profile", None)
    return profile.organisation if profile else None


def scope_path(model) -> str | None:
    """How a model's rows reach their organisation, as a lookup ("organisation", "pk",
    "profile__organisation"); None for rows of no organisation (e.g. the question bank)."""
    if model is Organisation:
        return "pk"
    if model is get_user_model():
        return "profile__organisation"
    names = {field.name for field in model._meta.get_fields()}
    return "organisation" if "organisation" in names else None


def in_organisation(queryset, organisation, path: str | None):
    if path is None:
        return queryset
    if organisation is None:
        return queryset.none()
    return queryset.filter(**{path: organisation.pk})


class OrganisationScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose non-superusers see and edit only their organisation's rows.

    ``organisation_path`` is the lookup from the model to its organisation when it is not a
    field named ``organisation`` (e.g. ``"plan__organisation"``).
    """

    organisation_path: str | None = None

    def _path(self) -> str | None:
        return self.organisation_path or scope_path(self.model)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return in_organisation(queryset, admin_organisation(request.user), self._path())

    def _limit(self, db_field, request, kwargs):
        if not request.user.is_superuser:
            related = db_field.related_model
            kwargs["queryset"] = in_organisation(
                kwargs.get("queryset", related._default_manager.all()),
                admin_organisation(request.user),
                scope_path(related),
            )
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._limit(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._limit(db_field, request, kwargs)
        )

    def get_list_filter(self, request):
        """A related field's filter offers only the values found in the admin's own rows."""
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [
            (entry, admin.RelatedOnlyFieldListFilter)
            if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation
            else entry
            for entry in filters
        ]

    def get_changeform_initial_data(self, request):
        """A new row starts in the admin's organisation (the only one its field offers them)."""
        initial = super().get_changeform_initial_data(request)
        organisation = admin_organisation(request.user)
        if not request.user.is_superuser and self._path() == "organisation" and organisation:
            initial.setdefault("organisation", organisation.pk)
        return initial


def ensure_organisation_admins_group(**kwargs) -> None:
    """The group "Organisation admins": view, add, change and delete the project's models that
    belong to an organisation, view and change the organisation itself, view the question bank.
    Run after every migrate (new models' permissions join it)."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=ORGANISATION_ADMINS_GROUP)
    wanted = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, OrganisationScopedAdmin):
            continue
        if model is Organisation:
            actions = ("view", "change")
        elif model_admin._path() is None:
            actions = ("view",)
        else:
            actions = ("view", "add", "change", "delete")
        wanted += [
            (model._meta.app_label, f"{action}_{model._meta.model_name}") for action in actions
        ]
    wanted = set(wanted)
    permissions = Permission.objects.filter(
        content_type__app_label__in={app for app, _codename in wanted},
        codename__in={codename for _app, codename in wanted},
    ).select_related("content_type")
    group.permissions.set(
        [
            permission
            for permission in permissions
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
    )
