"""Leadership's personal-data pages: a salesperson's export and erasure, a customer's erasure
by contact, and the organisation's retention settings. Only leadership, of their own
organisation (``asiakaskunto.access``)."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from asiakaskunto.access import (
    get_salesperson_for_user,
    leadership_required,
    organisation_of,
    visible_salespeople,
)

from . import registry
from .forms import CustomerEraseForm, CustomerSearchForm, EraseConfirmForm, RetentionSettingsForm
from .retention import settings_for


@leadership_required
def index(request):
    people = visible_salespeople(request.user).select_related("team").order_by("name", "id")
    return render(request, "privacy/index.html", {"people": people})


@leadership_required
def person_export(request, pk):
    """The person's data as a JSON file to download."""
    salesperson = get_salesperson_for_user(request, pk)
    data = registry.export_person(salesperson)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="salesperson-{salesperson.pk}.json"'
    add_never_cache_headers(response)
    return response


@leadership_required
def person_erase(request, pk):
    """Ask, then erase everything about the person in one transaction."""
    salesperson = get_salesperson_for_user(request, pk)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = salesperson.name
        registry.erase_person(salesperson)
        messages.success(request, _("Erased the data of %(name)s.") % {"name": name})
        return redirect("privacy:index")
    return render(request, "privacy/person_erase.html", {"salesperson": salesperson, "form": form})


@leadership_required
def customers(request):
    """Find a customer's records by the contact they left, see them, then erase them. Posted,
    never in the address: a contact does not belong in the server's logs."""
    organisation = organisation_of(request.user)
    contact = None
    erase_form = None
    if request.method == "POST" and request.POST.get("action") == "erase":
        erase_form = CustomerEraseForm(request.POST)
        if erase_form.is_valid():
            count = registry.erase_customer(organisation, erase_form.cleaned_data["contact"])
            messages.success(
                request,
                ngettext(
                    "Erased the customer's contact and free texts from %(count)d record.",
                    "Erased the customer's contact and free texts from %(count)d records.",
                    count,
                )
                % {"count": count},
            )
            return redirect("privacy:customers")
        contact = erase_form.cleaned_data.get("contact")
        search_form = CustomerSearchForm(initial={"contact": request.POST.get("contact", "")})
    elif request.method == "POST":
        search_form = CustomerSearchForm(request.POST)
        if search_form.is_valid():
            contact = search_form.cleaned_data["contact"]
            erase_form = CustomerEraseForm(initial={"contact": request.POST["contact"]})
    else:
        search_form = CustomerSearchForm()
    findings = registry.find_customer(organisation, contact) if contact else None
    response = render(
        request,
        "privacy/customers.html",
        {
            "search_form": search_form,
            "erase_form": erase_form,
            "contact": contact,
            "findings": findings,
        },
    )
    add_never_cache_headers(response)
    return response


@leadership_required
def retention(request):
    """The organisation's retention settings; the daily ``apply_retention`` job follows them."""
    organisation = organisation_of(request.user)
    form = RetentionSettingsForm(
        request.POST if request.method == "POST" else None, instance=settings_for(organisation)
    )
    if request.method == "POST" and form.is_valid():
        retention_settings = form.save(commit=False)
        retention_settings.updated_by = request.user
        retention_settings.save()
        messages.success(request, _("Retention settings saved."))
        return redirect("privacy:retention")
    return render(
        request,
        "privacy/retention.html",
        {"form": form, "login_records_days": settings.LOGIN_RECORDS_DAYS},
    )
