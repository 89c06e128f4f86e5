from django.conf import settings


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
