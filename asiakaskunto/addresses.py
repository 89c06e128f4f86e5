"""The client's address, as every guard of the app sees it: the login lockouts (django-axes,
``AXES_CLIENT_IP_CALLABLE``) and the public forms' rate limits (``surveys.throttle``)."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple | None:
    """The proxies' networks, or None for "any peer" (``*``)."""
    if "*" in allowed:
        return None
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed)


def _from_proxy(remote: str) -> bool:
    networks = _networks(tuple(getattr(settings, "FORWARDED_ALLOW_IPS", ["*"])))
    if networks is None:
        return True
    try:
        peer = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(peer in network for network in networks)


def client_address(request) -> str:
    """REMOTE_ADDR, or — only when ``TRUSTED_PROXY_COUNT`` proxies stand in front of the app
    and the request came from one of them (``FORWARDED_ALLOW_IPS``) — the address in
    X-Forwarded-For that the outermost trusted proxy saw (counted from the right: each proxy
    appends the address it was reached from). Entries further left are what the client wrote
    itself and are ignored, and so is an entry that is not an IP address: then REMOTE_ADDR
    stands."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0 and _from_proxy(remote):
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return remote
