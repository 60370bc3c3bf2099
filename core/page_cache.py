"""The anonymous page cache: whole responses, per portal, forgotten the moment they change.

A visitor without a session gets a portal's page from the ``pages`` cache when it holds
one; a logged-in user (or anyone with a session cookie) never reads nor fills it.

Invalidation is ``core.caching``'s (the portal's and the network's generations, the
generations of the addresses above the page); this module is the middleware and what
decides which answers may be kept.

A hit costs one ``get_many`` of the ``pages`` cache and no query (with Redis, not even a
round trip while Redis says nothing it read changed: ``core.watched_reads``): the entry's
key carries only what the visitor's request says (release, language, host, path, known
parameters; the schema added by the backend), and the entry carries the generations it
was rendered under, compared with those read in that ``get_many``: an entry of an older
generation is a miss, overwritten by the new rendering.

The page itself (some 26 kB) does not travel at each hit: fetching it was over half a
Redis hit (issue 25 §1). Each entry is stored with a *token* beside it (a random value
under the entry's key plus ``TOKEN_SUFFIX``, written with it in one ``set_many`` and
expiring with it), and each process keeps the entries it stored or read in its memory
(``ProcessPages``), under the store's full key (schema, prefix and release included) with
their token. A hit reads the generations and the token only: the page comes from the
process's memory when it holds that key with that token, rendered under these
generations and not older than ``PAGE_CACHE_SECONDS``; else from the store (one more
round trip, the first time a process serves that entry), then kept. So a publication
anywhere (a generation bumped), a new rendering by another process (a new token), an
entry expired or evicted from the store (no token) or a store emptied: the memory is not
used. Its size is bounded (``PAGE_CACHE_MEMORY_BYTES`` a process, least recently served
dropped first).

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
import pickle
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

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
# The entry's token is kept under the entry's key plus this (``page_key`` never ends so).
TOKEN_SUFFIX = ":token"  # noqa: S105 - a key's suffix, no secret


def _cache():
    return caches[CACHE_ALIAS]


class Entry(NamedTuple):
    """A page kept in the cache: what the store holds under its key, and each process's
    memory under the store's full key."""

    # The generations it was rendered under (``_stamp``).
    stamp: tuple[object, object, str]
    # The random value stored beside it (``TOKEN_SUFFIX``): a process's copy is served only
    # while the store holds the same.
    token: str
    # When it stops being served (``time.time()``), whoever holds it.
    expires_at: float
    # The response and its policy headers, pickled once: each hit unpickles its own copy,
    # which the outer middleware and the server may change and close.
    pickled: bytes


class ProcessPages:
    """The pages this process has stored or read, by the store's full key (see the module):
    at most ``PAGE_CACHE_MEMORY_BYTES`` of them, the least recently served dropped first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0

    def get(self, full_key: str, token: object, stamp: tuple[object, object, str]) -> Entry | None:
        """The entry kept under ``full_key`` if it has ``token``, was rendered under
        ``stamp`` and has not expired; else None (and a stale one is dropped)."""
        with self._lock:
            entry = self._entries.get(full_key)
            if entry is None:
                return None
            if entry.token != token or entry.stamp != stamp or entry.expires_at <= time.time():
                self._drop(full_key)
                return None
            self._entries.move_to_end(full_key)
            return entry

    def keep(self, full_key: str, entry: Entry) -> None:
        """Keep ``entry`` (in place of any other under ``full_key``), within the bound."""
        limit = settings.PAGE_CACHE_MEMORY_BYTES
        with self._lock:
            self._drop(full_key)
            # A page taking more than a tenth of the bound would push out many others.
            if len(entry.pickled) * 10 > limit:
                return
            self._entries[full_key] = entry
            self._bytes += len(entry.pickled)
            while self._bytes > limit:
                self._drop(next(iter(self._entries)))

    def forget(self) -> None:
        """Drop every page kept (a test starting on an emptied store, as a new process)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, full_key: str) -> None:
        entry = self._entries.pop(full_key, None)
        if entry is not None:
            self._bytes -= len(entry.pickled)


# This process's pages (each gunicorn worker has its own, empty at the fork).
process_pages = ProcessPages()


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
    if not request.META.get("QUERY_STRING"):
        return ""  # most requests: no parsing of an empty query string
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
        token_key = key + TOKEN_SUFFIX
        found = read_with_generations([token_key, *address_generation_keys(request.path)])
        stamp = _stamp(request, found)
        token = found.get(token_key)
        entry = None if token is None else _entry(key, token, stamp)
        if entry is not None:
            cached, request.csp_headers = pickle.loads(entry.pickled)  # noqa: S301 - ours
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
            _store(key, stamp, response, request.csp_headers)
        else:
            response[HEADER] = "BYPASS"
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
        return response


def _entry(key: str, token: object, stamp: tuple[object, object, str]) -> Entry | None:
    """The entry at ``key`` whose token the store holds now (``token``), if it was rendered
    under ``stamp`` and has not expired: from this process's memory, else from the store
    (then kept in memory)."""
    cache = _cache()
    # The store's own key: the schema, the cache's prefix and the release are in it.
    full_key = cache.make_key(key)
    entry = process_pages.get(full_key, token, stamp)
    if entry is not None:
        return entry
    entry = _from_store(cache.get(key))
    if entry is None or entry.stamp != stamp or entry.expires_at <= time.time():
        return None
    # Its token may be newer than the one read (stored meanwhile): kept with its own, it is
    # served from memory once the store's token says so.
    process_pages.keep(full_key, entry)
    return entry


def _from_store(value: object) -> Entry | None:
    """The entry the store holds, kept there as a plain tuple: code of another release
    sharing the store (a rollback with ``CACHE_RELEASE`` pinned) unpickles it without
    knowing ``Entry``, and sees a miss instead of failing."""
    if not isinstance(value, tuple) or len(value) != len(Entry._fields):
        return None
    return Entry(*value)


def _store(
    key: str, stamp: tuple[object, object, str], response: HttpResponse, csp_headers: object
) -> None:
    """Keep ``response`` in the store and in this process's memory, with a new token."""
    seconds = settings.PAGE_CACHE_SECONDS
    entry = Entry(
        stamp=stamp,
        token=secrets.token_hex(8),
        expires_at=time.time() + seconds,
        pickled=pickle.dumps((response, csp_headers), pickle.HIGHEST_PROTOCOL),
    )
    cache = _cache()
    # One write for both (Redis: one pipeline, MSET first): the token never names another
    # entry than the one stored with it.
    cache.set_many({key: tuple(entry), key + TOKEN_SUFFIX: entry.token}, seconds)
    process_pages.keep(cache.make_key(key), entry)
