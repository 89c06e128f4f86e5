"""Failed logins (django-axes): a username is paused only for the address that failed with it,
and an address that fails across many usernames (password spraying) is paused as a whole.

Axes counts failures per group of its lockout parameters and compares the largest count with
one limit (``AXES_FAILURE_LIMIT``). The address as a whole needs a larger limit than one
username at one address (an office behind one NAT mistypes too), so this handler counts the
address's failures across usernames itself and states them on the username's scale: an address
that has reached ``AXES_ADDRESS_FAILURE_LIMIT`` counts as ``AXES_FAILURE_LIMIT``.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request, ip_address: str) -> int:
    """Failed logins from this address across every username, within the cool-off time since
    each username's last failure (as axes counts one username's)."""
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginGuard(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures of this username at this address, or the address's own failures
        scaled so that reaching its limit reaches the username's."""
        pair = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return pair
        limit = get_failure_limit(request, credentials)
        scaled = address_failures(request, address) * limit // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(pair, scaled)
