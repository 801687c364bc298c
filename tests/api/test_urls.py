"""The API's URL patterns, nested by first segment, resolve as ninja's flat list."""

import re

from django.urls import URLResolver, resolve, reverse
from django.urls.resolvers import RegexPattern

from emporia.api.urls import api, nested_urls


def _resolver(patterns) -> URLResolver:
    return URLResolver(RegexPattern(r"^/api/"), patterns)


def _sample(route: str) -> str:
    # a concrete path for a route: converters filled with values they accept
    return re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: "7" if m.group(1) == "int" else "abc7", route
    )


def test_every_api_route_resolves_to_the_same_view_with_the_same_arguments():
    urls = api.urls  # built afresh on each access: views are new objects
    flat, nested = urls[0], nested_urls(urls)[0]
    assert len(nested) < len(flat) / 4  # nested: a request tries few patterns
    before, after = _resolver(flat), _resolver(nested)
    for pattern in flat:
        path = "/api/" + _sample(str(pattern.pattern))
        a, b = before.resolve(path), after.resolve(path)
        assert (b.url_name, b.kwargs, b.func) == (a.url_name, a.kwargs, a.func), path


def test_the_site_serves_the_nested_patterns_and_reverses_to_the_same_urls():
    match = resolve("/api/checkout/cart/lines")
    assert match.view_name == "api:add_line"
    assert reverse("api:provider_callback", kwargs={"provider": "sandbox"}) == (
        "/api/payments/callbacks/sandbox"
    )
    assert resolve("/api/openapi.json").url_name == "openapi-json"
