"""The federation opens a neighbourhood from its admin; animators stay in their own portal."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import expect

from tenants.default_portal import FEDERATION_STAFF
from tenants.models import Neighbourhood
from tests.browser.conftest import animator_login, log_into_admin
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture(scope="module")
def staff(federation, django_db_blocker) -> str:
    with django_db_blocker.unblock(), schema_context(federation.schema_name):
        user = get_user_model().objects.create_user(
            username="equipe@federation.example", email="equipe@federation.example"
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=FEDERATION_STAFF))
        return user.username


@pytest.fixture(scope="module")
def opened_by_the_test(django_db_blocker):
    """Drop the portal a journey opens through the admin, once the module is done."""
    yield "riviere"
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        for portal in Neighbourhood.objects.filter(schema_name="riviere"):
            portal.delete(force_drop=True)


def test_the_federation_opens_a_neighbourhood_and_visits_its_portal(
    browser_page, origin, federation, staff, opened_by_the_test, shoot
) -> None:
    page = browser_page
    log_into_admin(page, origin(federation), staff, PASSWORD)
    page.get_by_role("link", name="Réseau", exact=True).first.click()
    page.get_by_role("link", name="Ouvrir un quartier").click()
    page.get_by_label("Nom du portail").fill("Rivière Média")
    page.get_by_label("Identifiant").fill(opened_by_the_test)
    page.get_by_label("Ville").fill("Saint-Denis")
    page.get_by_label("E-mail du premier animateur").fill("animation@riviere.example")
    page.get_by_label("Structure porteuse").fill("Maison de quartier des Rives")
    shoot(page, "formulaire")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Le portail « Rivière Média » est ouvert")
    shoot(page, "portail-ouvert")
    # The portal's activity, as the features count it: a table read by its headers.
    activity = page.get_by_role("table", name="Activité sur 30 jours")
    expect(activity.get_by_role("rowheader", name="Billets")).to_be_visible()
    page.set_viewport_size({"width": 360, "height": 800})
    shoot(page, "portail-ouvert-telephone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Réseau", exact=True).first.click()
    expect(page.get_by_role("columnheader", name="Annonces publiées (30 j)")).to_be_visible()
    shoot(page, "reseau")
    page.set_viewport_size({"width": 360, "height": 800})
    shoot(page, "reseau-telephone")
    # On a phone the list scrolls inside its own region, reachable by keyboard, up to its
    # last column.
    portals = page.get_by_role("region", name="Les quartiers")
    portals.focus()
    portals.evaluate("region => { region.scrollLeft = region.scrollWidth; }")
    expect(page.get_by_role("columnheader", name="Éditeurs")).to_be_in_viewport()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.go_back()

    page.get_by_role("link", name=f"{opened_by_the_test}.localhost").click()
    expect(page).to_have_url(f"http://{opened_by_the_test}.localhost:{page.url.split(':')[2]}")
    expect(page.get_by_role("banner")).to_contain_text("Rivière Média")
    expect(page.get_by_role("navigation", name="Rubriques")).to_contain_text("Agenda")
    shoot(page, "nouveau-portail")


@pytest.fixture(scope="module")
def upstream_and_downstream(make_portal, django_db_blocker) -> tuple:
    first, second = make_portal("amont"), make_portal("aval")
    with django_db_blocker.unblock():
        return first, second, animator_login(first, PASSWORD)


def test_an_animator_of_one_portal_is_refused_at_another(
    new_window, origin, upstream_and_downstream, shoot
) -> None:
    first, second, username = upstream_and_downstream
    page = new_window()
    log_into_admin(page, origin(first), username, PASSWORD)
    expect(page.get_by_role("link", name="Pages").first).to_be_visible()

    # Same browser, same person: at the other portal they are nobody.
    page.goto(origin(second) + "/admin/")
    expect(page).to_have_url(f"{origin(second)}/admin/login/?next=/admin/")
    shoot(page, "connexion-demandee")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    shoot(page, "refuse")
    expect(page.locator("body")).to_contain_text("mot de passe ne correspondent")
    assert "/admin/login/" in page.url
