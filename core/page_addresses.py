"""Pages' addresses, worked out once per process for what they are worked out from.

Wagtail's ``Page.get_url_parts`` picks the page's site among the sites' root paths, then
asks Django's ``reverse`` for ``wagtail_serve`` inside ``translation.override`` of the
page's language: profiled at about a twentieth of a cold home page (issue 25 §2), for its
forty cards, its menu and its footer, at every request, for addresses that come out the
same each time.

Its answer is a function of: the sites' root paths (the request's, as Wagtail keeps them
on it, or the page's own), the page's ``url_path``, the active language, the request's
site when there is one, the URLconf and script prefix in use, and the schema (a root path
names its host, but a host could move between portals). ``url_parts`` keeps Wagtail's
answer under exactly these, so a page moved, renamed, a site or root changed, another
language or portal, each gives another key and Wagtail's own answer. Wagtail documents
``get_url_parts`` as the method to override for a page's address (``core.pages``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from wagtail.models import Page, Site

from core.process_memo import ProcessMemo

UrlParts = tuple[Any, Any, Any] | None

# Addresses kept, the least recently used dropped first: a few hundred a portal.
_kept: ProcessMemo[UrlParts] = ProcessMemo(8192)


def url_parts(page: Page, request: Any, work_out: Callable[[Any], UrlParts]) -> UrlParts:
    """``work_out(request)`` (Wagtail's ``get_url_parts``) for ``page``, worked out once a
    process for the same sites, path, language, site asked, URLconf and portal."""
    return _kept.made((address_context(page, request), page.url_path), lambda: work_out(request))


def address_context(page: Page, request: Any) -> tuple:
    """What a page's address depends on beside its own path: the portal, the sites' root
    paths (the request's, else the page's), the language, the request's site, the URLconf
    and script prefix."""
    roots = page._get_site_root_paths(request)
    site = Site.find_for_request(request) if isinstance(request, HttpRequest) else None
    return (
        connection.schema_name,
        tuple(roots),
        translation.get_language(),
        site.pk if site is not None else None,
        get_urlconf(),
        get_script_prefix(),
    )
