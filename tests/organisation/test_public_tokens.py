"""Public links (customers' /s/…, shoppers' /m/…) take only token characters: anything else is
a plain 404 before any view or database sees it (a NUL byte made PostgreSQL fail: 500)."""

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

BAD_TOKENS = ["\x00", "abc\x00def", "a b", "a'b", "a.b", "ä" * 43]


def token_routes(resolver=None, prefix=""):
    """Every URL pattern of the project that takes a ``token``, as a path template."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from token_routes(entry, route)
        elif isinstance(entry, URLPattern) and "token" in entry.pattern.converters:
            yield "/" + route


def test_every_public_token_route_uses_the_token_converter():
    routes = list(token_routes())
    assert {"/s/<token:token>/", "/s/i/<token:token>/", "/m/<token:token>/"} <= set(routes)
    assert all("<token:token>" in route for route in routes), routes


@pytest.mark.parametrize("bad", BAD_TOKENS)
def test_no_token_route_matches_other_characters(bad):
    for route in token_routes():
        path = route.replace("<token:token>", bad)
        with pytest.raises(Resolver404):
            match = resolve(path)
            # Only a route without a token may take it (none does today).
            assert "token" not in match.kwargs, (path, match.route)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/m/%00/", "/s/%00/", "/s/i/%00/", "/m/a%27b/", "/s/x%2Fy/"])
def test_a_malformed_token_is_a_404(client, path):
    for method in (client.get, client.post):
        assert method(path).status_code == 404


@pytest.mark.django_db
def test_a_well_formed_unknown_token_still_gets_the_friendly_page(client):
    response = client.get("/m/" + "A" * 43 + "/")
    assert response.status_code == 404
    assert "observations/public/link_invalid.html" in [t.name for t in response.templates]
