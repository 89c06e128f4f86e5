"""Sends a user who still owes the second factor to the code or to the set-up, before anything
else. The state was written at login (accounts/signals.py); reading it costs no query."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import two_factor

# Reachable while the second factor is owed: the page that settles it, logging out, the language.
ALWAYS_OPEN = ("/logout/", "/i18n/", "/static/", "/favicon.ico")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            state = request.session.get(two_factor.STATE_KEY)
            if state is None:  # a session from before two-factor sign-in existed
                state = request.session[two_factor.STATE_KEY] = two_factor.state_for(user)
            if state != two_factor.DONE:
                target = reverse(
                    "accounts:two_factor_verify"
                    if state == two_factor.VERIFY
                    else "accounts:two_factor_setup"
                )
                if request.path != target and not request.path.startswith(ALWAYS_OPEN):
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
