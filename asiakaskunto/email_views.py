"""The user's own e-mail settings (/account/email/) and the one-click unsubscribe link that
every staff e-mail carries (works without logging in; see asiakaskunto.emails)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .access import role_of
from .emails import BadUnsubscribeToken, read_unsubscribe_token, unsubscribe
from .forms import EmailPreferenceForm
from .models import EmailKind, EmailPreference, Role


@login_required
def email_settings(request):
    preference = EmailPreference.objects.filter(user=request.user).first() or EmailPreference(
        user=request.user, language=request.LANGUAGE_CODE
    )
    form = EmailPreferenceForm(request.POST or None, instance=preference)
    if role_of(request.user) not in (Role.MANAGER, Role.LEADERSHIP):
        # Alerts and digests go to managers and leadership only: the others choose the language.
        for name in EmailPreference.FIELD_OF_KIND.values():
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("E-mail settings saved."))
        return redirect("email_settings")
    return render(
        request,
        "account/email_settings.html",
        {"form": form, "has_address": bool(request.user.email)},
        status=400 if form.errors else 200,
    )


# A mail client's one-click unsubscribe (List-Unsubscribe-Post) POSTs without a CSRF token; the
# signed token in the URL is what authorises the change, and it can only switch an e-mail off.
@csrf_exempt
def email_unsubscribe(request, token):
    try:
        user_id, kind = read_unsubscribe_token(token)
    except BadUnsubscribeToken:
        return render(request, "account/unsubscribe_invalid.html", status=404)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(request, "account/unsubscribe_invalid.html", status=404)
    context = {"kind_label": EmailKind(kind).label, "token": token}
    if request.method == "POST":
        unsubscribe(user.pk, kind)
        return render(request, "account/unsubscribed.html", context)
    return render(request, "account/unsubscribe.html", context)
