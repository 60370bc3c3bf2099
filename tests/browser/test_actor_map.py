"""The actors' map in a real browser: the markers are those of the filtered selection, and
without JavaScript the page is the list alone.

"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from portal.models import Actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Spread around Belleville, with two shops, three cultural places and one unlocated one.
ACTORS = [
    ("Boulangerie Saïd", Actor.Kind.SHOP, "48.871000", "2.384000"),
    ("Épicerie du coin", Actor.Kind.SHOP, "48.872000", "2.386000"),
    ("Médiathèque des Lilas", Actor.Kind.CULTURE, "48.873000", "2.383000"),
    ("Théâtre de l'Est", Actor.Kind.CULTURE, "48.870500", "2.387500"),
    ("Conservatoire", Actor.Kind.CULTURE, "48.874000", "2.381000"),
    ("Compagnie sans adresse", Actor.Kind.CULTURE, None, None),
]


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker):
    """A portal with located actors, and one without coordinates (committed)."""
    portal = make_portal("carte")
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        for name, kind, latitude, longitude in ACTORS:
            Actor.objects.create(
                name=name,
                kind=kind,
                latitude=Decimal(latitude) if latitude else None,
                longitude=Decimal(longitude) if longitude else None,
            )
    return portal


@pytest.fixture
def no_tiles(settings) -> None:
    """Tests have no Internet: a map without a tile layer."""
    settings.MAP_TILE_URL = ""


def test_the_map_shows_one_marker_per_located_actor_of_the_filtered_selection(
    browser_page, origin, portal, no_tiles, shoot
) -> None:
    page = browser_page
    page.goto(f"{origin(portal)}/acteurs/")
    page.wait_for_selector("#carte-acteurs .leaflet-marker-icon")
    all_markers = page.locator(".leaflet-marker-icon").count()

    page.select_option("#id_type", "culture")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/acteurs/?type=culture**")
    page.wait_for_selector("#carte-acteurs .leaflet-marker-icon")

    assert all_markers == 5
    assert page.locator(".leaflet-marker-icon").count() == 3
    assert page.locator("#carte-acteurs").is_visible()
    # The list still gives every actor of the selection, the unlocated one too.
    assert page.locator(".actor-list li").count() == 4
    page.locator(".leaflet-marker-icon").first.click()
    assert page.locator(".leaflet-popup-content a").count() == 1
    shoot(page, "carte-filtree")


def test_without_javascript_the_directory_is_a_complete_list_and_no_map(
    new_window, origin, portal, no_tiles, shoot
) -> None:
    page = new_window(java_script_enabled=False)
    page.goto(f"{origin(portal)}/acteurs/?type=shop")

    assert page.locator(".actor-list li").count() == 2
    assert not page.locator("#carte-acteurs").is_visible()
    assert page.locator(".leaflet-marker-icon").count() == 0
    shoot(page, "annuaire-sans-javascript")
