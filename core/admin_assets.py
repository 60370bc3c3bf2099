"""Wagtail's admin icons and JavaScript translations, kept by the browser.

Every admin page fetches ``/admin/sprite/`` (the icons) and ``/admin/jsi18n/`` (the
admin's strings for its scripts), and Wagtail sends both without any cache header: the
browser asked for them again at every page an animator opened, and the server built the
translations again each time (issue 23 §6: some 260 fetches of each in a test run).

- The sprite's address names the icons' hash (``?h=``): at that address its content never
  changes, so any cache may keep it for a year; any other address is answered as before.
- The translations are in the person's admin language (their Wagtail profile, else the
  network's), at an address without the language: each browser keeps its own copy only
  (``private``), for ``CATALOG_FRESH_SECONDS``, tied to its cookies (``Vary: Cookie``:
  signing in as someone else, or the message cookie that saving one's preferences leaves,
  asks again), then asks again with the copy's ``ETag`` and gets a 304 while the language
  is the same. A process builds each language's catalog once.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition
from wagtail.admin.icons import get_icon_sprite_hash
from wagtail.admin.localization import get_localized_response
from wagtail.admin.views import home
from wagtail.admin.views.i18n import js_catalog

# A year: the longest lifetime caches honour, for an address that names its content.
SPRITE_FRESH_SECONDS = 365 * 24 * 3600
# How long a browser uses its copy of the translations without asking: a person's
# journey through the admin, not their day (a language changed in their preferences
# reaches the scripts within this time at worst).
CATALOG_FRESH_SECONDS = 10 * 60

# The catalog of each language, built once a process: (body, content type, ETag).
_catalogs: dict[str, tuple[bytes, str, str]] = {}


def sprite(request: HttpRequest) -> HttpResponse:
    """Wagtail's icon sprite; at the address of the current icons, cacheable for a year."""
    response = home.sprite(request)
    if request.GET.get("h") == get_icon_sprite_hash():
        patch_cache_control(response, public=True, max_age=SPRITE_FRESH_SECONDS, immutable=True)
    return response


def javascript_catalog(request: HttpRequest) -> HttpResponseBase:
    """Wagtail's JavaScript catalog in the person's admin language, kept by their browser
    for ``CATALOG_FRESH_SECONDS``, then revalidated by its ETag."""
    response = get_localized_response(_catalog_response, request)
    patch_cache_control(response, private=True, max_age=CATALOG_FRESH_SECONDS)
    patch_vary_headers(response, ("Cookie",))
    return response


def _catalog_etag(request: HttpRequest) -> str:
    return _catalog(translation.get_language())[2]


@condition(etag_func=_catalog_etag)
def _catalog_response(request: HttpRequest) -> HttpResponse:
    body, content_type, _etag = _catalog(translation.get_language())
    return HttpResponse(body, content_type=content_type)


def _catalog(language: str) -> tuple[bytes, str, str]:
    """The catalog of ``language`` as Wagtail's view renders it, built once a process
    (the translation files do not change while it runs)."""
    if language not in _catalogs:
        plain_get = HttpRequest()
        plain_get.method = "GET"
        built = js_catalog(plain_get)
        body = built.content
        etag = hashlib.sha256(language.encode() + b"\0" + body).hexdigest()[:32]
        _catalogs[language] = (body, built["Content-Type"], f'"{etag}"')
    return _catalogs[language]
