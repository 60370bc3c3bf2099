"""The residents' map and the actors' own entries in a real browser: an actor updates its
entry from its link and the animator approves it; a resident adds a story from a phone
(360 px) and sees it on the map once approved. The new pages pass axe-core at 360 and
1280 px, with and without errors."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from portal.actors.entry_links import send_entry_links
from portal.actors.section import directory_page
from portal.models import Actor
from tests.browser.conftest import (
    animator_login,
    confirm_by_button,
    link_in_last_mail,
    log_into_admin,
)
from tests.browser.test_accessibility import sideways_overflow, violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker):
    portal = make_portal("cartesensible", name="Quartier Sensible")
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        actor = Actor.objects.create(
            name="Les Jardiniers du Square",
            kind=Actor.Kind.ASSOCIATION,
            address="2 place du Square",
            latitude="48.871000",
            longitude="2.384000",
            opening_hours="Mercredi après-midi",
            contact_email="jardiniers@example.org",
        )
        actor.themes.add("jardin")
        actor.save()
    return portal


@pytest.fixture(scope="module")
def animator(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return animator_login(portal, PASSWORD)


@pytest.fixture(autouse=True)
def quick_forms_no_tiles(settings) -> None:
    # A robot's speed is refused elsewhere (tests/portal/test_actor_entries.py); the live
    # server runs in this process and reads the settings at each request. No Internet: no tiles.
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    settings.MAP_TILE_URL = ""


def test_an_actor_updates_its_entry_from_its_link_and_the_animator_approves(
    new_window, origin, portal, animator, shoot
) -> None:
    mail.outbox = []
    base = origin(portal)
    with schema_context(portal.schema_name):
        sent = send_entry_links(Actor.objects.all(), directory_page())
    assert sent.sent == 1
    actor = new_window(bypass_csp=True)
    actor.goto(link_in_last_mail("/acteurs/fiche/"))
    expect(actor.get_by_role("heading", level=1)).to_contain_text("Mettez à jour votre fiche")
    assert violations(actor) == []
    actor.get_by_label("Horaires d'ouverture").fill("Samedi matin, de 9 h à 12 h")
    shoot(actor, "fiche-1280")
    actor.set_viewport_size({"width": 360, "height": 740})
    assert sideways_overflow(actor) == 0
    assert violations(actor) == []
    shoot(actor, "fiche-360")
    actor.get_by_role("button", name="Envoyer mes changements").click()
    expect(actor.get_by_role("heading", level=1)).to_have_text("Merci, votre demande est envoyée")

    desk = new_window()
    log_into_admin(desk, base, animator, PASSWORD)
    desk.goto(base + "/admin/acteurs/propositions/")
    desk.get_by_role("link", name="Modérer").first.click()
    expect(desk.get_by_text("Samedi matin, de 9 h à 12 h")).to_be_visible()
    expect(desk.get_by_text("Mercredi après-midi")).to_be_visible()
    shoot(desk, "moderation-fiche")
    mail.outbox = []
    desk.get_by_role("button", name="Accepter la correction").click()
    expect(desk.locator(".messages")).to_contain_text("Les Jardiniers du Square")

    assert mail.outbox[-1].to == ["jardiniers@example.org"]
    actor.goto(base + "/acteurs/")
    actor.get_by_role("link", name="Les Jardiniers du Square").click()
    expect(actor.get_by_text("Samedi matin, de 9 h à 12 h")).to_be_visible()
    shoot(actor, "fiche-publiee-360")


def test_a_resident_adds_a_story_from_a_phone_and_sees_it_after_approval(
    new_window, origin, portal, animator, shoot
) -> None:
    mail.outbox = []
    base = origin(portal)
    resident = new_window(bypass_csp=True, **PHONE)
    resident.goto(base + "/acteurs/")
    resident.get_by_role("link", name="Raconter un lieu du quartier").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Raconter un lieu du quartier")
    assert violations(resident) == []
    resident.get_by_label("Un souvenir").check()
    resident.get_by_label("Titre").fill("La fontaine Wallace")
    resident.get_by_role("textbox", name=re.compile("^Votre récit")).fill(
        "On y remplissait nos gourdes avant le foot."
    )
    # The map places the point: the coordinates fill in themselves.
    expect(resident.locator("#carte-recit")).to_be_visible()
    resident.locator("#carte-recit").click(position={"x": 150, "y": 120})
    expect(resident.get_by_label("Latitude")).not_to_have_value("")
    resident.get_by_label("Votre prénom ou pseudonyme").fill("Nadia")
    resident.get_by_role("main").get_by_label("Votre adresse e-mail").fill("nadia@example.org")
    assert sideways_overflow(resident) == 0
    shoot(resident, "telephone-recit-rempli")
    resident.get_by_role("button", name="Envoyer mon récit").click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text("Confirmez votre adresse")

    confirm_by_button(
        resident,
        link_in_last_mail("/raconter/confirmer/"),
        "Confirmer mon récit",
        new_window=new_window,
        shoot=shoot,
    )
    expect(resident.get_by_role("heading", level=1)).to_have_text("Merci, votre récit est confirmé")
    resident.goto(base + "/acteurs/")
    expect(resident.get_by_text("La fontaine Wallace")).to_have_count(0)

    desk = new_window()
    log_into_admin(desk, base, animator, PASSWORD)
    desk.goto(base + "/admin/acteurs/recits/")
    desk.get_by_role("link", name="La fontaine Wallace").click()
    shoot(desk, "moderation-recit")
    desk.get_by_role("button", name="Publier sur la carte").click()
    expect(desk.locator(".messages")).to_contain_text("Récit publié")

    assert "est sur la carte" in mail.outbox[-1].subject
    resident.goto(link_in_last_mail("/acteurs/"))
    expect(resident.get_by_role("heading", level=1)).to_have_text("La fontaine Wallace")
    assert violations(resident) == []
    shoot(resident, "telephone-recit-publie")
    resident.goto(base + "/acteurs/")
    expect(resident.get_by_role("link", name="La fontaine Wallace")).to_be_visible()
    # The story is its own layer: a round marker beside the actors' pins.
    expect(resident.locator("#carte-acteurs path.leaflet-interactive")).to_have_count(1)
    expect(resident.locator("#carte-acteurs .leaflet-marker-icon")).to_have_count(1)
    assert violations(resident) == []
    shoot(resident, "telephone-carte-avec-recit")
    resident.set_viewport_size({"width": 1280, "height": 900})
    shoot(resident, "carte-avec-recit-1280")


def test_without_javascript_a_story_is_told_with_a_place_name_and_the_map_is_a_list(
    new_window, origin, portal, shoot
) -> None:
    mail.outbox = []
    page = new_window(java_script_enabled=False, **PHONE)
    page.goto(origin(portal) + "/acteurs/raconter/")
    assert not page.locator("#carte-recit").is_visible()
    page.get_by_label("Un problème").check()
    page.get_by_label("Titre").fill("Le lampadaire éteint")
    page.get_by_role("textbox", name=re.compile("^Votre récit")).fill(
        "Depuis un mois, la rue est noire le soir."
    )
    page.get_by_label("Où est-ce ?").fill("angle rue Piat et rue des Envierges")
    page.get_by_role("main").get_by_label("Votre adresse e-mail").fill("paul@example.org")
    page.get_by_role("button", name="Envoyer mon récit").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirmez votre adresse")
    assert mail.outbox[-1].to == ["paul@example.org"]
    page.goto(origin(portal) + "/acteurs/?montrer=recits")
    expect(page.get_by_role("heading", name="Les récits des habitants")).to_be_visible()
    shoot(page, "sans-javascript-recits")


def test_a_refused_story_form_passes_axe(new_window, origin, portal, shoot) -> None:
    page = new_window(bypass_csp=True, **PHONE)
    page.goto(origin(portal) + "/acteurs/raconter/")
    page.get_by_role("button", name="Envoyer mon récit").click()
    expect(page.get_by_role("alert")).to_contain_text("Donnez un titre")
    shoot(page, "recit-refuse-360")
    assert violations(page) == []
    assert sideways_overflow(page) == 0
    assert re.search("Dites où c", page.content())
