"""The anonymous page cache: whole responses, per portal, forgotten the moment they change.

A visitor without a session gets a portal's page from the ``pages`` cache when it holds
one; a logged-in user (or anyone with a session cookie) never reads nor fills it.

Every key carries three things that make invalidation precise and O(1):

- the schema, added by django-tenants' ``KEY_FUNCTION`` on the cache backend, so portal A's
  page can never be served at portal B's host, whatever the path;
- the portal's *generation*, a number kept in the same cache under the portal's prefix and
  bumped when anything a visitor sees in that portal changes (a page published,
  unpublished, moved or deleted; a classified's status; the portal's settings...): every
  page of that portal is forgotten at once, and no other portal's;
- the *network generation*, kept under the public schema's prefix and bumped when the
  federation index changes, because every portal's home page shows the network's toolkit.

Only addresses whose query string holds nothing but the parameters pages read to choose
what they show (``PAGE_CACHE_QUERY_PARAMETERS``: ``page``, a category, a tag...) are
cached, with those parameters sorted in the key. Any other parameter (``?x=1``, a
tracker's ``utm_source``), free text (``q``), a repeated or odd-looking value: the page
is served without reading or filling the cache, so a robot asking for ``/?x=1`` to
``/?x=n`` makes no entry at all instead of n.

Entries also expire after ``PAGE_CACHE_SECONDS`` at most, for what changes with time alone
(the radio's "on air now", an event passing, a classified expiring without a write).

Why not ``wagtail-cache`` or Django's ``cache_page``: both clear the whole cache backend (or
a keyring of URLs) on publish, which with one cache for the network would flush every
portal; neither knows about sessions living in each tenant's schema. This module is the
per-tenant generation on top of Django's cache API, in about a hundred lines.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Page
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django_tenants.utils import get_public_schema_name, schema_context

CACHE_ALIAS = "pages"
# Same store, keys without a schema: what every portal shares (the network generation).
NETWORK_CACHE_ALIAS = "network"
GENERATION_KEY = "pagecache:generation"
NETWORK_GENERATION_KEY = "pagecache:network-generation"
HEADER = "X-Cache"
# Cookies that mean "this visitor has state on the server": their pages are their own.
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# What a known parameter's value may look like to be cached: a number, a slug, a language.
_CACHEABLE_VALUE = re.compile(r"[\w.-]{1,80}")


def _cache():
    return caches[CACHE_ALIAS]


def _bump(key: str, alias: str = CACHE_ALIAS) -> None:
    cache = caches[alias]
    try:
        cache.incr(key)
    except ValueError:
        # Never set, or evicted: start from a value no stale entry can have been stored under.
        cache.set(key, _fresh_generation(), timeout=None)


def _fresh_generation() -> int:
    return time.time_ns()


def _bump_now_and_after_commit(key: str, schema_name: str, alias: str = CACHE_ALIAS) -> None:
    # Bumped now (this process sees the change at once, and so do tests that never commit)
    # and again after commit: a visitor's request that read the old rows while the
    # transaction was open must not stay cached under the new generation.
    _bump(key, alias)

    def again() -> None:
        with schema_context(schema_name):
            _bump(key, alias)

    transaction.on_commit(again)


def portal_changed(schema_name: str | None = None) -> None:
    """Forget every cached page of one portal (the current schema's by default)."""
    schema_name = schema_name or connection.schema_name
    if schema_name == get_public_schema_name():
        return
    if schema_name == connection.schema_name:
        _bump_now_and_after_commit(GENERATION_KEY, schema_name)
    else:
        with schema_context(schema_name):
            _bump_now_and_after_commit(GENERATION_KEY, schema_name)


def network_changed() -> None:
    """Forget every portal's cached pages: something every portal shows has changed."""
    _bump_now_and_after_commit(
        NETWORK_GENERATION_KEY, connection.schema_name, alias=NETWORK_CACHE_ALIAS
    )


def _generation(cache, key: str) -> int:
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh_generation(), timeout=None)
        value = cache.get(key, 0)
    return value


def generations() -> tuple[int, int]:
    """(this portal's generation, the network's): part of every key of what a portal
    shows, so that bumping either forgets those entries at once."""
    return _generation(_cache(), GENERATION_KEY), _generation(
        caches[NETWORK_CACHE_ALIAS], NETWORK_GENERATION_KEY
    )


def page_key(request: HttpRequest) -> str:
    """The cache key of an anonymous visitor's request (the schema is added by the backend).

    The language is part of it because the same address answers in the visitor's language
    (cookie or ``Accept-Language``, as ``LocaleMiddleware`` decides) or redirects to it.
    """
    here, network = generations()
    language = translation.get_language_from_request(request, check_path=True)
    address = f"{request.get_host()}{request.path}?{_cacheable_query(request)}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"pagecache:page:{here}:{network}:{language}:{digest}"


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
    if getattr(request, "tenant", None) is None:
        return False
    if connection.schema_name == get_public_schema_name():
        return False
    return not any(name in request.COOKIES for name in PRIVATE_COOKIES)


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
        if not _may_use_cache(request):
            response = self.get_response(request)
            if settings.PAGE_CACHE_ENABLED and request.method in ("GET", "HEAD"):
                response[HEADER] = "BYPASS"
                if not response.has_header("Cache-Control"):
                    # Someone's own page (or the network's): no shared cache may keep it.
                    patch_cache_control(response, private=True)
            return response

        key = page_key(request)
        cached = _cache().get(key)
        if cached is not None:
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
            # Responses reach middleware already rendered (TemplateResponse included).
            _cache().set(key, response, settings.PAGE_CACHE_SECONDS)
        else:
            response[HEADER] = "BYPASS"
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
        return response


# --- What changes a portal's pages -----------------------------------------------------

# Models (besides pages) whose rows show on a portal's public pages.
PORTAL_MODELS = [
    "home.PortalSettings",
    "radio.RadioSettings",
    "classifieds.Classified",
    "classifieds.ClassifiedCategory",
    "classifieds.ClassifiedPhoto",
    "portal.Actor",
    "portal.ArticleCategory",
    "registrations.Registration",  # the event page says how many places are left
    "wagtailimages.Image",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    # A page or collection made private must stop being served to anonymous visitors.
    "wagtailcore.PageViewRestriction",
    "wagtailcore.CollectionViewRestriction",
    "wagtailredirects.Redirect",
]


def _on_page_event(sender, instance=None, **kwargs) -> None:
    portal_changed()


def _on_any_row(sender, instance=None, **kwargs) -> None:
    from wagtail.models import Page

    # Any page row written, a draft too: a redundant re-render is cheap, a stale page not.
    if isinstance(instance, Page):
        portal_changed()


def _on_portal_row(sender, **kwargs) -> None:
    portal_changed()


def _on_registry_row(sender, instance=None, **kwargs) -> None:
    # A portal renamed, suspended, or given a domain: its own pages say so.
    from tenants.models import Domain, Neighbourhood

    if isinstance(instance, Domain):
        schema = (
            Neighbourhood.objects.filter(pk=instance.tenant_id)
            .values_list("schema_name", flat=True)
            .first()
        )
    else:
        schema = instance.schema_name
    if schema:
        portal_changed(schema)


def _on_shared_entry(sender, **kwargs) -> None:
    network_changed()


def connect_signals() -> None:
    """Bump the right generation whenever something a visitor sees changes."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for name, signal in [
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ]:
        signal.connect(_on_page_event, dispatch_uid=f"page-cache-{name}")
    # Page subclasses send these with their own class as sender: filter by type.
    post_save.connect(_on_any_row, dispatch_uid="page-cache-page-saved")
    post_delete.connect(_on_any_row, dispatch_uid="page-cache-page-deleted")
    for label in PORTAL_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(_on_portal_row, sender=label, dispatch_uid=f"page-cache-{label}")
    for label in ("tenants.Neighbourhood", "tenants.Domain"):
        for signal in (post_save, post_delete):
            signal.connect(_on_registry_row, sender=label, dispatch_uid=f"page-cache-{label}")
    for signal in (post_save, post_delete):
        signal.connect(
            _on_shared_entry, sender="tenants.SharedEntry", dispatch_uid="page-cache-network"
        )
