"""Two-factor sign-in: the overview, setting up an app, the code after the password, removal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import two_factor
from ..forms import TokenForm


def _next_url(request, default="accounts:two_factor"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _allowed_only(request):
    if not two_factor.allowed(request.user):
        raise Http404


@login_required
@never_cache
def overview(request):
    _allowed_only(request)
    device = two_factor.confirmed_device(request.user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "required": two_factor.required(request.user),
            "form": TokenForm(device=device) if device else None,
        },
    )


@login_required
@never_cache
def setup(request):
    """Scan the QR code, type the code the app shows: the device is confirmed and this session
    counts as verified. Not reachable while a code is owed (else a password would be enough to
    add a second device)."""
    _allowed_only(request)
    if request.session.get(two_factor.STATE_KEY) == two_factor.VERIFY:
        return redirect("accounts:two_factor_verify")
    device = two_factor.pending_device(request.user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        two_factor.confirm(device)
        request.session[two_factor.STATE_KEY] = two_factor.DONE
        request.session.cycle_key()
        messages.success(
            request, _("Two-factor sign-in is on. Next time, give a code after the password.")
        )
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_for_typing(device),
            "next": _next_url(request, default=""),
            "required": two_factor.required(request.user),
        },
    )


@login_required
@never_cache
def verify(request):
    """The code after the password."""
    device = two_factor.confirmed_device(request.user)
    if device is None:  # an admin removed the device meanwhile
        request.session[two_factor.STATE_KEY] = two_factor.state_for(request.user)
        return redirect(_next_url(request, default="home"))
    if request.session.get(two_factor.STATE_KEY) != two_factor.VERIFY:
        return redirect(_next_url(request, default="home"))
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        request.session[two_factor.STATE_KEY] = two_factor.DONE
        request.session.cycle_key()
        return redirect(_next_url(request, default="home"))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request, default="")},
    )


@login_required
@require_POST
def remove(request):
    """Turn two-factor sign-in off: the current code proves the phone is at hand. Whoever lost
    the phone asks an admin, who deletes the device in the admin (TOTP devices)."""
    _allowed_only(request)
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two_factor")
    form = TokenForm(request.POST, device=device)
    if not form.is_valid():
        return render(
            request,
            "accounts/two_factor.html",
            {"device": device, "required": two_factor.required(request.user), "form": form},
        )
    two_factor.remove_devices(request.user)
    messages.success(request, _("Two-factor sign-in is off."))
    request.session[two_factor.STATE_KEY] = two_factor.state_for(request.user)
    return redirect("accounts:two_factor")
