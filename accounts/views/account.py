"""The account page: what a logged-in user can change about their own sign-in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import two_factor


@login_required
def account(request):
    return render(
        request,
        "accounts/account.html",
        {"two_factor_allowed": two_factor.allowed(request.user)},
    )
