"""Path converters of the project's URLs."""


class TokenConverter:
    """A link token as ``secrets.token_urlsafe`` writes it: URL-safe base64 characters only.
    Anything else (a NUL byte, a quote, a space, a dot) never reaches a view or the database:
    the URL does not match (404). A wrong token of the right characters still reaches the view,
    which shows the friendly "this link does not work" page."""

    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
