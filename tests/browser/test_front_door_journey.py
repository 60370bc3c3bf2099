"""A visitor meets the network at the federation's front page: from its map and its cards
to a pilot's portal and back; the front page and the "launch a media" page read well on a
phone and a desktop, with no axe-core violation."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import seed_content
from tests.browser.test_accessibility import SIZES, sideways_overflow, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def network(make_portal, django_db_blocker):
    """The federation and two pilots on the map, with the demo content."""
    pilots = [
        make_portal(
            "belleville",
            name="Belleville en direct",
            city="Paris 20e",
            territory="Quartier de Belleville, Paris 20e",
            latitude=48.8718,
            longitude=2.3850,
            carrying_structure="Centre social Le Picoulet",
        ),
        make_portal(
            "francmoisin",
            name="Franc-Moisin TV",
            city="Saint-Denis",
            territory="Cité du Franc-Moisin, Saint-Denis",
            latitude=48.9205,
            longitude=2.3655,
            carrying_structure="MJC Franc-Moisin",
        ),
    ]
    federation = make_portal(
        "federation",
        kind="federation",
        name="Fédération Quartiers",
        contact_email="contact@federation.example",
    )
    with django_db_blocker.unblock():
        for portal in (*pilots, federation):
            seed_content(portal)
    return {"federation": federation, "belleville": pilots[0], "francmoisin": pilots[1]}


@pytest.fixture(autouse=True)
def no_tiles(settings) -> None:
    """Tests have no Internet: maps without a tile layer; forms sent at robots' speed."""
    settings.MAP_TILE_URL = ""
    settings.PUBLIC_FORM_MIN_SECONDS = 0


def _check_everywhere(page, shoot, name: str) -> None:
    """axe-core at 1280 px, no sideways scroll at any size, screenshots at 1280 and 360."""
    assert violations(page) == []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        assert sideways_overflow(page) == 0, size
        if size in ("bureau", "telephone-360px"):
            shoot(page, f"{name}-{width}px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_visitor_goes_from_the_network_cards_and_map_to_a_pilot_and_back(
    new_window, origin, network, shoot
) -> None:
    page = new_window(bypass_csp=True)
    home = origin(network["federation"]) + "/"
    page.goto(home)
    expect(page.get_by_role("heading", name="Les quartiers pilotes")).to_be_visible()
    expect(page.get_by_role("region", name="Carte des quartiers pilotes")).to_be_visible()
    # The menu is the network's: no classifieds, radio or residents' blogs.
    menu = page.get_by_role("navigation", name="Rubriques")
    expect(menu.get_by_role("link", name="Lancer un média")).to_be_visible()
    expect(menu.get_by_role("link", name="Petites annonces")).to_have_count(0)
    _check_everywhere(page, shoot, "accueil-federation")

    # From a card to the pilot's portal, and back.
    page.get_by_role("link", name="Aller sur Franc-Moisin TV").click()
    expect(page).to_have_url(origin(network["francmoisin"]) + "/")
    expect(page.get_by_role("link", name="Petites annonces").first).to_be_visible()
    shoot(page, "portail-pilote")
    page.go_back()
    expect(page).to_have_url(home)

    # From the map: the pilot's marker opens its name, which leads to its portal.
    page.get_by_role("button", name="Belleville en direct").click()
    page.locator(".leaflet-popup").get_by_role("link", name="Belleville en direct").click()
    expect(page).to_have_url(origin(network["belleville"]) + "/")
    page.go_back()
    expect(page.get_by_role("heading", name="Ce que racontent les quartiers")).to_be_visible()


def test_someone_asks_to_launch_a_media_in_their_town(new_window, origin, network, shoot) -> None:
    page = new_window(bypass_csp=True)
    page.goto(origin(network["federation"]) + "/")
    page.get_by_role("link", name="Lancer un média").first.click()
    expect(page.get_by_role("heading", name="Ce qu'il faut")).to_be_visible()
    _check_everywhere(page, shoot, "lancer-un-media")

    form = page.locator(".launch-form form")
    form.get_by_label("Votre nom").fill("Awa Diallo")
    form.get_by_label("Ville ou quartier").fill("Les Tilleuls, Blanc-Mesnil")
    form.get_by_label("Votre adresse e-mail").fill("awa-tilleuls")
    form.get_by_label("Votre projet").fill("Une webradio avec les jeunes du quartier.")
    form.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("alert")).to_contain_text("Saisissez une adresse e-mail complète")
    form = page.locator(".launch-form form")
    expect(form.get_by_label("Votre projet")).to_have_value(
        "Une webradio avec les jeunes du quartier."
    )
    assert violations(page) == []
    shoot(page, "lancer-un-media-erreur")

    form.get_by_label("Votre adresse e-mail").fill("awa@tilleuls.example")
    form.get_by_role("button", name="Envoyer ma demande").click()
    expect(
        page.get_by_role("heading", name="Merci, votre demande est bien arrivée")
    ).to_be_visible()
    assert "contact@federation.example" in mail.outbox[-1].to
