"""Rate limits of the password reset: requests per client address and per e-mail address.

The counters live in the shared cache (``asiakaskunto.cache.shared_cache``: Redis, else a
database table), so that every app process counts the same requests, as the survey limiter's. A
cache that cannot be reached lets the request through with a log line: the reset e-mail is a
way back in, and Django's signed, expiring tokens keep it safe without the limit.
"""

import hashlib
import logging
import time

from django.conf import settings

# One function decides the client's address for every limit (survey, login, reset).
from asiakaskunto.addresses import client_address
from asiakaskunto.cache import shared_cache as cache

logger = logging.getLogger(__name__)


def _over_limit(scope: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one request for ``subject``; True once more than ``limit`` fell in this window."""
    if limit <= 0:
        return False
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    key = f"rate:{scope}:{digest}:{int(time.time() // window)}"
    try:
        if cache.add(key, 1, timeout=window):
            return False
        return cache.incr(key) > limit
    except ValueError:  # the window ran out between the two calls
        return False
    except Exception:
        logger.warning("Password reset limit not applied: the cache is unreachable", exc_info=True)
        return False


def address_over_limit(request) -> bool:
    """Too many reset requests from this client address in the last window."""
    return _over_limit(
        "password-reset-address",
        client_address(request),
        limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        window=settings.PASSWORD_RESET_WINDOW_SECONDS,
    )


def email_over_limit(email: str) -> bool:
    """Too many reset e-mails asked for this address in the last window (whether or not an
    account has it: the count itself must not tell)."""
    return _over_limit(
        "password-reset-email",
        email.strip().lower(),
        limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
        window=settings.PASSWORD_RESET_WINDOW_SECONDS,
    )
