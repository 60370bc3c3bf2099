"""A number too big for any database column, typed in an address, finds nothing: a 404
(or the login, or a refusal), never a server error.

Every route of a portal that takes an id is tried: the URLconf's (Wagtail's admin, each
feature's admin and public views) and the sub-routes of every routable page of a
furnished portal. Django 5.2 already turns an out-of-range integer lookup into an empty
result; this test keeps it so, for the routes we add and for our own lookups (tokens,
``int()`` of a query string), and fails naming the addresses that broke.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django_tenants.utils import schema_context
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from tests.conftest import host, logged_in

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # past PostgreSQL's bigint (9223372036854775807)
# Answers a person can act on: the resource is not there, log in first, not for you,
# not with this method, a form said what was wrong.
HARMLESS = {400, 302, 403, 404, 405, 410}
ID_NAMES = re.compile(r"^(pk|id|.*_id|.*_pk)$")
# Other parameters get a value that routes but finds nothing special.
FILLER = {"app_label": "proposals", "model_name": "proposal"}


def _is_id(name: str, converter: str) -> bool:
    return converter == "int" or bool(ID_NAMES.match(name))


def _fill_route(route: str) -> str | None:
    """``route`` (a path() route) with its ids replaced by HUGE, or None if it has none."""
    found = False

    def replace(match: re.Match) -> str:
        nonlocal found
        converter, name = match.group(1) or "str", match.group(2)
        if _is_id(name, converter):
            found = True
            return HUGE
        return FILLER.get(name, "x")

    filled = re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)
    return filled if found else None


def _fill_regex(regex: str) -> str | None:
    """The same for a re_path() pattern: digit groups and id-named groups get HUGE."""
    found = False

    def replace(match: re.Match) -> str:
        nonlocal found
        name, body = match.group(1) or "", match.group(2)
        if "\\d" in body or "0-9" in body or (name and ID_NAMES.match(name)):
            found = True
            return HUGE
        return FILLER.get(name, "x")

    filled = re.sub(r"\((?:\?P<(\w+)>)?([^()]*)\)", replace, regex)
    filled = filled.replace("^", "").replace("$", "").replace("\\", "")
    return filled if found else None


def _fill(pattern) -> str | None:
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern._regex)
    return _fill_route(str(pattern))


def _walk(patterns, prefix: str = "") -> Iterator[str]:
    """Every address of ``patterns`` that takes an id, with HUGE in its place."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            own = _fill(entry.pattern)
            inner = (
                own if own is not None else _fill_regex(str(entry.pattern)) or str(entry.pattern)
            )
            inner = inner.replace("^", "").replace("$", "")
            yield from (
                address
                for address in _walk(entry.url_patterns, prefix + inner)
                if own is not None or HUGE in address
            )
        elif isinstance(entry, URLPattern):
            filled = _fill(entry.pattern)
            if filled is not None:
                yield prefix + filled
            elif HUGE in prefix:
                yield prefix + (_fill_route(str(entry.pattern)) or str(entry.pattern))


def _urlconf_addresses() -> list[str]:
    patterns = get_resolver("core.urls_tenant").url_patterns
    return sorted({"/" + address for address in _walk(patterns)})


def _routable_page_addresses(portal) -> list[str]:
    """The id-taking sub-routes of every routable page of the portal, under its URL."""
    addresses = set()
    with schema_context(portal.schema_name):
        for page in Page.objects.live().specific():
            if not isinstance(page, RoutablePageMixin):
                continue
            base = page.get_url_parts()[2]
            for address in _walk(page.get_subpage_urls()):
                addresses.add(base + address)
    return sorted(addresses)


def _client(portal) -> Client:
    """A client of the portal that reports a server error as a 500, as a browser sees it."""
    return Client(HTTP_HOST=host(portal), raise_request_exception=False)


def _failures(client: Client, addresses: list[str]) -> list[str]:
    failures = []
    for address in addresses:
        response = client.get(address)
        if response.status_code not in HARMLESS:
            failures.append(f"{response.status_code} {address}")
    return failures


def test_every_routed_id_answers_not_found_never_an_error(alpha, animator_of):
    addresses = _urlconf_addresses()
    animator = logged_in(_client(alpha), animator_of(alpha))

    assert len(addresses) > 100  # Wagtail's admin and the features' views are all there
    assert "/admin/propositions/traiter/" + HUGE + "/" in addresses
    assert _failures(animator, addresses) == []


def test_every_id_of_a_pages_sub_routes_answers_not_found(alpha, animator_of):
    addresses = _routable_page_addresses(alpha)
    visitor = _client(alpha)
    animator = logged_in(_client(alpha), animator_of(alpha))

    assert addresses  # the classifieds, reactions, seeds... take ids in their addresses
    assert _failures(visitor, addresses) == []
    assert _failures(animator, addresses) == []


def test_a_huge_page_number_or_media_name_is_harmless(alpha):
    visitor = _client(alpha)

    # A listing asked for a page past its end shows its last page (Django's get_page).
    for listing in ("/", "/actualites/", "/petites-annonces/"):
        assert visitor.get(listing, {"page": HUGE}).status_code == 200
    assert _failures(visitor, [f"/media/{alpha.schema_name}/{HUGE}.jpg", f"/{HUGE}/"]) == []
