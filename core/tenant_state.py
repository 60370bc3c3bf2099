"""What every request of a portal needs and rarely changes, remembered per portal.

Each page of a portal used to start with the same queries: its Wagtail ``Site``, its
``PortalSettings``, and the content types Wagtail needs to turn a page into its own type
(django-tenants forgets Django's content type cache whenever the schema changes, since
ids may differ between schemas). They are kept in the default cache, whose keys carry the
schema, under the portal's page-cache generation: a change to the Site or the settings
bumps it (``core.page_cache``), so a stale copy is never used. The local cache is bounded
(``MAX_ENTRIES``), so memory does not grow with the number of portals.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django_tenants.utils import get_public_schema_name

from core import page_cache

TIMEOUT = 300


def state_key(request: HttpRequest) -> str:
    """The key of a portal's remembered state, for the request's host, this generation."""
    here, _network = page_cache.generations()
    return f"tenant-state:{here}:{request.get_host()}"


def remember(request: HttpRequest) -> None:
    """Give ``request`` its portal's Site and settings, and Django its content types,
    from the cache (or the database, once per generation)."""
    from wagtail.models import Site

    from home.site_settings import PortalSettings

    key = state_key(request)
    state = cache.get(key)
    if state is None:
        site = Site.find_for_request(request)
        state = {
            "site": site,
            "portal_settings": PortalSettings.load(request_or_site=request),
            "content_types": list(ContentType.objects.all()),
        }
        cache.set(key, state, TIMEOUT)
    else:
        request._wagtail_site = state["site"]
        setattr(request, PortalSettings.get_cache_attr_name(), state["portal_settings"])
    # Django's own per-process content type cache, for this schema only: django-tenants
    # clears it again at the next change of schema.
    for content_type in state["content_types"]:
        ContentType.objects._add_to_cache(connection.alias, content_type)


class TenantStateMiddleware:
    """Fills in, for a portal's request, what ``remember`` keeps."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.FRAGMENT_CACHE_ENABLED and (
            connection.schema_name != get_public_schema_name()
            and getattr(request, "tenant", None) is not None
        ):
            remember(request)
        return self.get_response(request)
