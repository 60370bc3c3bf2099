"""A feature plugs into the network through the extension points alone: the pinboard
(``tests/pinboard``), which no module outside the tests names, gets its section, its
animators' rights, its demo content, its activity counter, its "latest" source and the
refresh of pages when its rows change in every new portal."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django_tenants.utils import schema_context
from wagtail import hooks
from wagtail.models import Site

from core.page_cache import HEADER
from home.models import HomePage
from tenants.default_portal import build_default_portal
from tenants.demo_network import seed_portal_content
from tenants.extension_points import PORTAL_HOME, PORTAL_SECTIONS, PortalSection
from tenants.group_names import ANIMATORS, FEDERATION_STAFF
from tests.conftest import PASSWORD, host, pass_second_factor
from tests.pinboard.models import Pin, PinboardPage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("punaises", city="Montreuil")


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def menu(response) -> list[str]:
    """The addresses of the portal's main menu, in order."""
    nav = re.search(r"<nav class=\"site-nav\"[^>]*>(.*?)</nav>", response.text, re.S)
    assert nav, "pas de menu dans la page"
    return re.findall(r'href="([^"]+)"', nav.group(1))


def test_a_new_portal_gets_the_pinboard_published_under_its_home_and_last_in_its_menu(
    portal, client_for
):
    with schema_context(portal.schema_name):
        board = PinboardPage.objects.get()
        home = Site.objects.get(is_default_site=True).root_page
        assert board.live
        assert board.get_parent().pk == home.pk
        assert board.title == "Tableau d'affichage"

    home_page = client_for(portal).get("/")
    board_page = client_for(portal).get("/tableau/")

    assert home_page.status_code == 200
    assert menu(home_page)[-1] == "/tableau/"
    assert board_page.status_code == 200
    assert "Les petits mots du quartier" in board_page.text


def test_the_animators_of_a_new_portal_may_pin_notes(portal):
    with schema_context(portal.schema_name):
        animator = get_user_model().objects.get(groups__name=ANIMATORS)

        assert animator.has_perm("pinboard.add_pin")
        assert animator.has_perm("pinboard.delete_pin")


def test_seeding_a_portals_demo_content_pins_the_welcome_note(portal, client_for):
    seed_portal_content(portal)
    seed_portal_content(portal)  # idempotent, as seed_demo runs it again

    with schema_context(portal.schema_name):
        assert list(Pin.objects.values_list("text", flat=True)) == ["Bienvenue sur le tableau"]
    assert "Bienvenue sur le tableau" in client_for(portal).get("/tableau/").text


def test_the_network_admin_shows_the_pins_of_each_portal(portal, federation):
    with schema_context(portal.schema_name):
        pinned = Pin.objects.count()
        Pin.objects.create(text="Réunion de l'amicale jeudi")
    with schema_context(federation.schema_name):
        staff = get_user_model().objects.create_user(
            username="equipe@federation.example",
            email="equipe@federation.example",
            password=PASSWORD,
        )
        staff.groups.add(Group.objects.get(name=FEDERATION_STAFF))
    browser = Client(HTTP_HOST=host(federation))
    assert browser.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    pass_second_factor(browser)

    call_command("rollup_activity", stdout=None)  # what cron does: the list reads its table
    network = browser.get("/admin/reseau/")
    one_portal = browser.get(f"/admin/reseau/portails/{portal.schema_name}/")

    assert '<th scope="col">Punaises (30 j)</th>' in network.text
    row = re.search(rf'<tr data-portal="{portal.schema_name}">.*?</tr>', network.text, re.S)
    assert f'<td data-counter="pins">{pinned + 1}</td>' in row.group(0)
    assert re.search(
        rf'<tr data-counter="pins"><th scope="row">Punaises</th><td>{pinned + 1}</td></tr>',
        one_portal.text,
    )


def test_the_home_page_of_a_new_portal_offers_the_latest_pins_and_shows_them(portal, client_for):
    source = HomePage.body.field.stream_block.child_blocks["latest"].child_blocks["source"]
    assert ("pins", "Dernières punaises") in list(source.field.choices)
    with schema_context(portal.schema_name):
        Pin.objects.create(text="Vide-grenier dimanche place du marché")
        home = HomePage.objects.get()
        home.body.append(("latest", {"source": "pins", "title": "", "count": 3}))
        home.save_revision().publish()

    front_page = client_for(portal).get("/")

    assert "Dernières punaises" in front_page.text
    assert "Vide-grenier dimanche place du marché" in front_page.text


def test_a_pin_written_refreshes_the_cached_pinboard_for_visitors(portal, client_for):
    visitor = client_for(portal)
    visitor.get("/tableau/")
    assert visitor.get("/tableau/")[HEADER] == "HIT"

    with schema_context(portal.schema_name):
        Pin.objects.create(text="Fête des voisins reportée")
    after_pin = visitor.get("/tableau/")

    assert after_pin[HEADER] == "MISS"
    assert "Fête des voisins reportée" in after_pin.text


# --- Mistakes in the registrations are reported, not half-built ---------------------------


def test_two_sections_at_the_same_address_stop_the_furnishing_with_a_clear_error():
    def clashing() -> list[PortalSection]:
        return [PortalSection(PinboardPage, "Autre tableau", "tableau", "Doublon.", order=1)]

    with (
        hooks.register_temporarily(PORTAL_SECTIONS, clashing),
        schema_context(settings.TENANT_BASE_SCHEMA),
        pytest.raises(ImproperlyConfigured, match="« tableau »"),
    ):
        build_default_portal()


def test_a_second_home_page_stops_the_furnishing_with_a_clear_error():
    def another_home() -> HomePage:
        return HomePage(title="Autre accueil", slug="autre")

    with (
        hooks.register_temporarily(PORTAL_HOME, another_home),
        schema_context(settings.TENANT_BASE_SCHEMA),
        pytest.raises(ImproperlyConfigured, match="exactement une application"),
    ):
        build_default_portal()
