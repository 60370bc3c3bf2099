"""The anonymous page cache: whole responses, per portal, forgotten the moment they change.

A visitor without a session gets a portal's page from the ``pages`` cache when it holds
one; a logged-in user (or anyone with a session cookie) never reads nor fills it.

Invalidation is ``core.caching``'s (the portal's and the network's generations, the
generations of the addresses above the page); this module is the middleware and what
decides which answers may be kept.

A hit costs one ``get_many`` of the ``pages`` cache (one ``MGET`` with Redis) and no
query: the entry's key carries only what the visitor's request says (release, language,
host, path, known parameters; the schema added by the backend), and the entry carries the
generations it was rendered under, read in the same ``get_many`` as the entry itself and
compared: an entry of an older generation is a miss, overwritten by the new rendering.
The entry also carries the Content-Security-Policy headers the page was first served
with (built from the portal's frame sources and the hashes of its inline styles), so that
the security middleware neither reads nor builds anything on a hit. The portal itself
comes from the host, remembered in the process (``tenants.host_cache``: its registry
generation read at most once a second, so a suspension or a removed domain made by
another process is seen by every worker within that second).

Only addresses whose query string holds nothing but the parameters pages read to choose
what they show (``PAGE_CACHE_QUERY_PARAMETERS``: ``page``, a category, a tag...) are
cached, with those parameters sorted in the key. Any other parameter (``?x=1``, a
tracker's ``utm_source``), free text (``q``), a repeated or odd-looking value: the page
is served without reading or filling the cache, so a robot asking for ``/?x=1`` to
``/?x=n`` makes no entry at all instead of n.

Entries also expire after ``PAGE_CACHE_SECONDS`` at most, for what changes with time alone
(the radio's "on air now", an event passing, a classified expiring without a write).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Page
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django_tenants.utils import get_public_schema_name

from core import security
from core.caching import (
    CACHE_ALIAS,
    GENERATION_KEY,
    NETWORK_GENERATION_KEY,
    address_generation_keys,
    address_generations,
    generations_read_once,
    read_with_generations,
)

HEADER = "X-Cache"
# Cookies that mean "this visitor has state on the server": their pages are their own
# (with the session cookie, whose name is read at each request: it differs in production).
PRIVATE_COOKIES = ("messages",)
# Accept types of linked-data clients, which get another answer than the page's.
LINKED_DATA_TYPES = ("application/activity+json", "application/ld+json")
# What a known parameter's value may look like to be cached: a number, a slug, a language.
_CACHEABLE_VALUE = re.compile(r"[\w.-]{1,80}")


def _cache():
    return caches[CACHE_ALIAS]


def page_key(request: HttpRequest) -> str:
    """The cache key of an anonymous visitor's request (the schema is added by the backend).

    The language is part of it because the same address answers in the visitor's language
    (cookie or ``Accept-Language``, as ``LocaleMiddleware`` decides) or redirects to it.
    The generations are not: the entry carries them (``_stamp``).
    """
    language = translation.get_language_from_request(request, check_path=True)
    address = f"{request.get_host()}{request.path}?{_cacheable_query(request)}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return ":".join([settings.CACHE_RELEASE, "page", language, digest])


def _stamp(request: HttpRequest, found: dict[str, object]) -> tuple[object, object, str]:
    """What an entry for ``request`` must have been rendered under to be served: the
    portal's and the network's generations, and those of the addresses above the page (a
    row shown on one page only, a reaction, forgets that page: ``address_changed``)."""
    return (
        found[GENERATION_KEY],
        found[NETWORK_GENERATION_KEY],
        address_generations(request.path, found),
    )


def _cacheable_query(request: HttpRequest) -> str | None:
    """The query string as part of a page's key: its known parameters, sorted; None when
    it holds anything else (the page is then not cached)."""
    known = settings.PAGE_CACHE_QUERY_PARAMETERS
    items = []
    for name, values in request.GET.lists():
        if name not in known or len(values) != 1 or not _CACHEABLE_VALUE.fullmatch(values[0]):
            return None
        items.append((name, values[0]))
    return urlencode(sorted(items))


def _may_use_cache(request: HttpRequest) -> bool:
    if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return False
    if _cacheable_query(request) is None:
        return False
    # A client asking an address for linked data (an ActivityPub server fetching the
    # portal's actor or an article) must never get the page kept for browsers, nor leave
    # its own answer for them: its Accept header is not part of the key.
    # Media types are case-insensitive (RFC 9110): "Application/Activity+JSON" is one too.
    accept = request.headers.get("Accept", "").lower()
    if any(kind in accept for kind in LINKED_DATA_TYPES):
        return False
    if getattr(request, "tenant", None) is None:
        return False
    if connection.schema_name == get_public_schema_name():
        return False
    private = (settings.SESSION_COOKIE_NAME, *PRIVATE_COOKIES)
    return not any(name in request.COOKIES for name in private)


def keep_out(request: HttpRequest) -> None:
    """Serve this answer but do not keep it: it stands for a value the visitor made up
    (a page number past the end, a filter matching nothing), of which a robot can send
    endless variants, each of which would otherwise take an entry."""
    request._page_cache_keep_out = True


def keep_out_unless_asked_page(request: HttpRequest, page: Page) -> None:
    """``keep_out`` a listing's page that is not the one its ``?page=`` names (past the
    end, ``?page=007``) or that shows nothing for the filters in the query string."""
    asked = request.GET.get("page", "1")
    if asked != str(page.number) or (request.GET and not page.object_list):
        keep_out(request)


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if getattr(request, "_page_cache_keep_out", False):
        return False
    # A nonce in the page is this answer's own: served again, it would no longer be one.
    if isinstance(getattr(request, "_csp_nonce", None), str):
        return False
    # A page with a form sets the CSRF cookie: its token is the visitor's own. So does any
    # response that starts a session or sets a preference.
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


class PageCacheMiddleware:
    """Serves anonymous GETs of a portal from the page cache, and fills it.

    Sits after the tenant middleware (the schema is known) and before the session, CSRF
    and authentication middleware, so its response side sees the cookies they set.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with generations_read_once():
            return self._serve(request)

    def _serve(self, request: HttpRequest) -> HttpResponse:
        if not _may_use_cache(request):
            response = self.get_response(request)
            if settings.PAGE_CACHE_ENABLED and request.method in ("GET", "HEAD"):
                response[HEADER] = "BYPASS"
                if not response.has_header("Cache-Control"):
                    # Someone's own page (or the network's): no shared cache may keep it.
                    patch_cache_control(response, private=True)
            return response

        key = page_key(request)
        found = read_with_generations([key, *address_generation_keys(request.path)])
        stamp = _stamp(request, found)
        entry = found.get(key)
        if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == stamp:
            _, cached, request.csp_headers = entry
            cached[HEADER] = "HIT"
            return cached

        response = self.get_response(request)
        if _may_store(request, response):
            if not response.has_header("Cache-Control"):
                # Reverse proxies may keep it for a few seconds; browsers revalidate.
                patch_cache_control(
                    response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_PROXY_SECONDS
                )
            response[HEADER] = "MISS"
            # The policy of this page, built now while what it needs is at hand (the
            # portal's frame sources, read by core.tenant_state; the hashes of its inline
            # styles) and kept with it: the security middleware, outside this one, sets
            # the same headers on this answer and on every hit.
            if getattr(request, "csp_frame_sources", None) is None:
                request.csp_frame_sources = security.frame_sources()
            request.csp_headers = security.policy_headers(request, response)
            # Responses reach middleware already rendered (TemplateResponse included).
            entry = (stamp, response, request.csp_headers)
            _cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
        else:
            response[HEADER] = "BYPASS"
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
        return response
