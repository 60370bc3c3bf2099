"""The admin's icon sprite and JavaScript translations carry cache headers
(core/admin_assets.py): fetched by every admin page, they were asked for again each time.
Real requests to a portal, as a signed-in animator's browser makes them."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from wagtail.users.models import UserProfile

from core.admin_assets import CATALOG_FRESH_SECONDS, SPRITE_FRESH_SECONDS
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part}


def _asset_addresses(browser) -> tuple[str, str]:
    """The sprite's and the catalog's addresses, as the dashboard names them."""
    page = browser.get("/admin/").content.decode()
    sprite = re.search(r'data-icon-url="([^"]+)"', page)
    catalog = re.search(r'<script src="([^"]*jsi18n[^"]*)"', page)
    assert sprite and catalog, "le tableau de bord ne nomme plus le sprite ou le catalogue"
    return sprite.group(1).replace("&amp;", "&"), catalog.group(1)


def test_the_sprite_at_its_hashed_address_is_kept_a_year_by_any_cache(
    alpha, client_for, animator_of
):
    browser = logged_in(client_for(alpha), animator_of(alpha))
    sprite, _ = _asset_addresses(browser)
    assert "?h=" in sprite

    response = browser.get(sprite)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<symbol" in response.content
    assert _cache_control(response) == {
        "public",
        f"max-age={SPRITE_FRESH_SECONDS}",
        "immutable",
    }
    # Any other address (an older hash, none) may hold other icons: kept by no one.
    for elsewhere in ("/admin/sprite/", "/admin/sprite/?h=0ld"):
        stale = browser.get(elsewhere)
        assert stale.status_code == 200
        assert "max-age" not in stale.get("Cache-Control", "")


def test_the_catalog_is_kept_by_the_persons_browser_in_their_language(
    alpha, client_for, animator_of
):
    animator = animator_of(alpha)
    browser = logged_in(client_for(alpha), animator)
    _, catalog = _asset_addresses(browser)

    french = browser.get(catalog)

    assert french.status_code == 200
    assert "Chargement" in french.content.decode()
    assert _cache_control(french) == {"private", f"max-age={CATALOG_FRESH_SECONDS}"}
    assert "cookie" in _vary(french)
    etag = french["ETag"]
    # Past its freshness, the browser asks with its copy's ETag: nothing to send again.
    again = browser.get(catalog, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert _cache_control(again) == {"private", f"max-age={CATALOG_FRESH_SECONDS}"}

    # The animator switches their admin to English: the same copy is no longer theirs.
    with schema_context(alpha.schema_name):
        profile = UserProfile.get_for_user(animator)
        profile.preferred_language = "en"
        profile.save()
    english = browser.get(catalog, HTTP_IF_NONE_MATCH=etag)

    assert english.status_code == 200
    assert "Chargement" not in english.content.decode()
    assert english["ETag"] != etag


def test_a_visitor_gets_the_networks_language_kept_by_no_shared_cache(alpha, client_for):
    visitor = client_for(alpha)

    response = visitor.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Chargement" in response.content.decode()
    assert "private" in _cache_control(response)
    assert "cookie" in _vary(response)
