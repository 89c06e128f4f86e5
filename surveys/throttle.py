"""Guards of the public standing links: a rate limit per client address (the one address that
``asiakaskunto.addresses.client_address`` finds, as the login lockouts do) and a refusal of an
identical repeat from the same browser. Both live in the cache that every app process shares
(Redis, else the database: ``asiakaskunto.cache.shared_cache``)."""

import hashlib
import time

from django.conf import settings

from asiakaskunto.addresses import client_address
from asiakaskunto.cache import shared_cache as cache


def rate_limited(
    request, *, scope: str = "survey", limit: int | None = None, window: int | None = None
) -> bool:
    """Count this request against its client address within ``scope``; True when over ``limit``
    requests within ``window`` seconds (default: SURVEY_RATE_LIMIT per
    SURVEY_RATE_WINDOW_SECONDS; a limit of 0 switches the limit off)."""
    limit = settings.SURVEY_RATE_LIMIT if limit is None else limit
    window = settings.SURVEY_RATE_WINDOW_SECONDS if window is None else window
    if limit <= 0:
        return False
    address = client_address(request)
    # A fixed window, named by its number: should a counter ever lose its expiry (Redis's
    # increment is two commands, and the key may expire between them), the next window still
    # starts afresh instead of refusing the address for good.
    window_number = int(time.time() // window)
    key = f"rate:{scope}:{hashlib.sha256(address.encode()).hexdigest()[:32]}:{window_number}"
    # Counting first and starting the window only when there is none yet: one cache operation
    # for most requests instead of an add and an increment (with Redis: two round trips of
    # five).
    try:
        count = cache.incr(key)
    except ValueError:  # this address's first request in the window (or the window ran out)
        count = 1 if cache.add(key, 1, timeout=window) else _incr_or_one(key)
    return count > limit


def _incr_or_one(key: str) -> int:
    """Another process started the window just now: count on it (or on none, if it ran out)."""
    try:
        return cache.incr(key)
    except ValueError:
        return 1


def repeat_key(request, *, link_id: int) -> str:
    """A key for "this browser sent exactly these answers through this link". The browser is
    known by its CSRF cookie (every form post carries one), else by its address and agent."""
    browser = request.COOKIES.get(settings.CSRF_COOKIE_NAME) or (
        client_address(request) + request.META.get("HTTP_USER_AGENT", "")
    )
    payload = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    )
    digest = hashlib.sha256(repr((link_id, browser, payload)).encode()).hexdigest()
    return f"survey-repeat:{digest}"


def first_time(key: str) -> bool:
    """True the first time a key is seen within SURVEY_REPEAT_WINDOW_SECONDS."""
    return cache.add(key, 1, timeout=settings.SURVEY_REPEAT_WINDOW_SECONDS)


def forget(key: str) -> None:
    cache.delete(key)
