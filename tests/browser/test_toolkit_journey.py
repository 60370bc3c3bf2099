"""A portal adopts a collection of the federation's toolkit in one action, sees its sheets
in its own admin, says what worked; the federation's pages show it (axe-core, 360/1280)."""

from __future__ import annotations

import pytest
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import expect

from portal.factories import MethodologyPageFactory
from portal.methodology.toolkit import mark_sheet, set_collection_sheets
from tenants.models import SharedEntry
from tenants.toolkit import Adoption, ToolkitCollection
from tests.browser.conftest import animator_login, log_into_admin
from tests.browser.test_accessibility import sideways_overflow, violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

KIT = [
    ("Petit-déjeuner des associations", "breakfast"),
    ("Table ronde « Paroles de territoires »", "round_table"),
    ("Cartographie coopérative des acteurs", "mapping"),
]


@pytest.fixture(scope="module")
def network(make_portal, django_db_blocker):
    """The federation, a portal sharing three sheets in "Kit de démarrage", and the
    portal that adopts it (its animator's user name)."""
    federation = make_portal("federation", kind="federation", name="Fédération Quartiers")
    source = make_portal("belleville", name="Belleville en direct", city="Paris")
    adopter = make_portal("bosquets", name="Les Bosquets Parlent", city="Montfermeil")
    with django_db_blocker.unblock():
        entries = []
        with schema_context(source.schema_name):
            for title, module in KIT:
                sheet = MethodologyPageFactory(
                    title=title,
                    module=module,
                    summary="Testée pendant deux saisons à Belleville avec les associations.",
                )
                entries.append(SharedEntry.objects.get(tenant=source, page_id=sheet.pk))
        with schema_context(get_public_schema_name()):
            kit = ToolkitCollection.objects.create(
                title="Kit de démarrage",
                slug="kit-de-demarrage",
                description="Les rendez-vous qui lancent un média de quartier.",
            )
            set_collection_sheets(kit, entries)
            mark_sheet(entries[0], validated=True, featured=True, by="equipe@federation.example")
        username = animator_login(adopter, PASSWORD)
    yield federation, adopter, username
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        ToolkitCollection.objects.all().delete()


def accessible_at_both_widths(window, url: str, name: str, shoot) -> None:
    problems = []
    for width, height in ((1280, 900), (360, 740)):
        window.set_viewport_size({"width": width, "height": height})
        response = window.goto(url)
        assert response is not None and response.status == 200, url
        problems += [f"{width} px : {line}" for line in violations(window)]
        if overflow := sideways_overflow(window):
            problems.append(f"{width} px : {overflow} px de défilement horizontal")
        shoot(window, f"{name}-{width}")
    assert not problems, "\n".join(problems)


def test_a_portal_adopts_a_collection_and_shares_what_worked(
    browser_page, new_window, origin, network, shoot
) -> None:
    federation, adopter, username = network
    page = browser_page
    log_into_admin(page, origin(adopter), username, PASSWORD)

    page.get_by_role("link", name="Fiches du réseau").first.click()
    expect(page.get_by_role("heading", name="Les collections de la fédération")).to_be_visible()
    shoot(page, "fiches-du-reseau-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    shoot(page, "fiches-du-reseau-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Adopter la collection « Kit de démarrage »").click()

    # One action: the three sheets are drafts of the portal's methodology section.
    expect(page.locator(".messages")).to_contain_text("3 fiches copiées en brouillon")
    for title, _module in KIT:
        expect(page.get_by_role("link", name=title).first).to_be_visible()
    shoot(page, "brouillons-adoptes")

    page.get_by_role("link", name="Nos retours de fiches").first.click()
    adopted = page.get_by_role("region", name=KIT[0][0])
    adopted.get_by_label("Ce qui a marché chez nous").fill(
        "Un samedi matin au centre social : 23 associations, contre 6 un mardi soir."
    )
    shoot(page, "retour")
    adopted.get_by_role("button", name="Partager ce retour").click()
    expect(page.locator(".messages")).to_contain_text("votre retour est partagé")
    assert Adoption.objects.filter(portal=adopter).exclude(feedback="").count() == 1

    # The federation's public pages: the collection, and the sheet with its adopters.
    visitor = new_window(bypass_csp=True)
    base = origin(federation) + "/ressources/"
    accessible_at_both_widths(visitor, base, "ressources", shoot)
    accessible_at_both_widths(visitor, base + "collections/", "collections", shoot)
    accessible_at_both_widths(visitor, base + "collections/kit-de-demarrage/", "kit", shoot)
    visitor.get_by_role("link", name=KIT[0][0]).click()
    expect(visitor.get_by_role("heading", name="Les portails qui l'ont adoptée")).to_be_visible()
    expect(visitor.locator(".adoption-list")).to_contain_text("Les Bosquets Parlent")
    expect(visitor.locator(".adoption-list")).to_contain_text("23 associations")
    expect(visitor.locator(".toolkit-marks")).to_contain_text("Validée par la fédération")
    accessible_at_both_widths(visitor, visitor.url, "fiche", shoot)
