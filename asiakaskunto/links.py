"""Absolute links that leave the app: mystery-shopper links, survey links and their QR codes,
print pages, e-mails. One rule for all of them, so a link always points where the app is served.

Where a link's scheme and host come from, first match wins:

1. ``settings.SITE_URL`` (the ``SITE_URL`` environment variable), when the operator set it: the
   public address, e.g. behind a load balancer whose internal host the app sees.
2. The request being answered (``request=``): the address the browser really used, so
   ``manage.py runserver 0.0.0.0:8731`` hands out links on port 8731 with no configuration.
   ``request.get_host()`` is checked against ALLOWED_HOSTS, so a forged Host header cannot
   plant a foreign address in a link.
3. ``base=``: the address a caller took from an earlier request, for work that has none.
4. ``settings.SERVED_URL`` (environment ``SERVED_URL``): where the server was started;
   ``make run`` sets it from its HOST and PORT. Defaults to runserver's http://127.0.0.1:8000.

Background work (an e-mail sent from a task) has no request. Take the base while a request is
at hand and pass it along as a plain string, which a task's arguments can carry::

    send_something.enqueue(plan.pk, base=site_url(request=request))   # in the view
    link = absolute_url(path, base=base)                               # in the task

Work that no request started (a reminder command, a weekly digest) calls
``absolute_url(path)``: SITE_URL in production, ``make run``'s address in development.
"""

from django.conf import settings
from django.core import checks
from django.http import HttpRequest


def site_url(*, request: HttpRequest | None = None, base: str = "") -> str:
    """The scheme and host (and port) that absolute links start with, without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    if base:
        return base.rstrip("/")
    return settings.SERVED_URL.rstrip("/")


def absolute_url(path: str, *, request: HttpRequest | None = None, base: str = "") -> str:
    """``path`` (from ``reverse()``, starting with "/") as an absolute link; see the module's
    docstring for where the scheme and host come from."""
    if not path.startswith("/"):
        raise ValueError(f"an absolute link needs a path from the site's root, got {path!r}")
    return site_url(request=request, base=base) + path


@checks.register(checks.Tags.urls, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    """In production, links in background e-mails need SITE_URL: they have no request."""
    if settings.SITE_URL:
        return []
    return [
        checks.Warning(
            "SITE_URL is not set: links in e-mails sent without a request (reminders, digests) "
            f"will point at {settings.SERVED_URL}.",
            hint="Set SITE_URL to the public address, e.g. https://asiakaskunto.example.",
            id="asiakaskunto.W001",
        )
    ]
