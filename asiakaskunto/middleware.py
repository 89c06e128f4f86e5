from django.conf import settings
from django.utils.cache import add_never_cache_headers


class FinnishFirstMiddleware:
    """The staff UI speaks Finnish unless the user picks another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; we drop that header
    except on the public pages for customers (``BROWSER_LANGUAGE_PATHS``), where following the
    browser helps a stranger. Must come before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.browser_paths = tuple(getattr(settings, "BROWSER_LANGUAGE_PATHS", ()))

    def __call__(self, request):
        if not request.path.startswith(self.browser_paths):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages and files for a signed-in user (dashboards, exports, people's grades) are never
    stored by a browser or a proxy: ``Cache-Control: no-store`` (and the rest of Django's
    ``never_cache``), unless the view chose its own caching. A request without a session cookie
    is nobody's: it is not asked for its user (the customer's survey makes no session read)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not response.has_header("Cache-Control")
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            add_never_cache_headers(response)
        return response
