"""Federation staff open a portal's admin for support; its animator sees the banner and
ends the visit, which logs the staff member out there (issue 20, §2)."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.default_portal import ANIMATORS, FEDERATION_STAFF
from tenants.factories import PortalAccountFactory
from tests.browser.conftest import log_into_admin
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

STAFF = "lea@federation.example"
ANIMATOR = "karim@quartier.example"


@pytest.fixture(scope="module")
def portals(make_portal, django_db_blocker) -> dict:
    """The federation with a staff member, and a neighbourhood with its animator
    (committed, for the live server)."""
    made = {
        "federation": make_portal("federation", kind="federation", name="Fédération Quartiers"),
        "quartier": make_portal("quartier", name="Quartier Libre"),
    }
    with django_db_blocker.unblock():
        with schema_context("federation"):
            PortalAccountFactory(username=STAFF, first_name="Léa", roles=[FEDERATION_STAFF])
        with schema_context("quartier"):
            PortalAccountFactory(username=ANIMATOR, first_name="Karim", roles=[ANIMATORS])
    return made


def test_staff_open_support_and_the_animator_sees_the_banner_and_ends_it(
    new_window, origin, portals, shoot
) -> None:
    federation, quartier = origin(portals["federation"]), origin(portals["quartier"])
    staff = new_window()
    log_into_admin(staff, federation, STAFF, PASSWORD)

    staff.goto(federation + "/admin/reseau/portails/quartier/")
    staff.get_by_role("link", name=re.compile("Support réseau")).click()
    staff.locator("#id_hours").select_option("2")
    staff.locator("#id_reason").fill("Mise en page de l'agenda, à leur demande")
    shoot(staff, "federation-ouvrir-support")
    staff.get_by_role("button", name="Ouvrir l'accès").click()
    entry = staff.locator("[data-support-entry]")
    expect(entry).to_be_visible()
    shoot(staff, "federation-lien-d-entree")
    entry.click()

    expect(staff).to_have_url(quartier + "/admin/")
    banner = staff.locator("[data-support-banner]")
    expect(banner).to_contain_text(STAFF)
    shoot(staff, "quartier-admin-du-support")

    for width in (1280, 360):
        animator = new_window(viewport={"width": width, "height": 800})
        log_into_admin(animator, quartier, ANIMATOR, PASSWORD)
        banner = animator.locator("[data-support-banner]")
        expect(banner).to_contain_text(STAFF)
        expect(banner).to_contain_text("jusqu'à")
        expect(banner.get_by_role("button", name="Mettre fin")).to_be_visible()
        shoot(animator, f"quartier-bandeau-{width}")

    animator.goto(quartier + "/admin/support/")
    expect(animator.locator("table.listing")).to_contain_text("Mise en page de l'agenda")
    shoot(animator, "quartier-historique-360")
    animator.locator("[data-support-banner]").get_by_role("button", name="Mettre fin").click()
    expect(animator.locator("[data-support-banner]")).to_have_count(0)
    expect(animator.locator("table.listing")).to_contain_text(f"fermé par {ANIMATOR}")
    shoot(animator, "quartier-support-termine")

    staff.goto(quartier + "/admin/pages/")
    expect(staff).to_have_url(re.compile(r"/admin/login/"))
    shoot(staff, "quartier-support-deconnecte")


def test_staff_read_and_note_an_animators_training_path(new_window, origin, portals, shoot) -> None:
    federation = origin(portals["federation"])
    for width in (1280, 360):
        staff = new_window(viewport={"width": width, "height": 800})
        log_into_admin(staff, federation, STAFF, PASSWORD)
        staff.goto(federation + "/admin/reseau/parcours/quartier/")
        path = staff.locator(f'[data-training-path="{ANIMATOR}"]')
        expect(path).to_contain_text("Karim")
        if width == 1280:
            staff.locator("#id_person").select_option(ANIMATOR)
            staff.locator("#id_module").select_option("mapping")
            staff.locator("#id_followed_on").fill("2026-10-14")
            staff.locator("#id_note").fill("Autonome sur la carte.")
            staff.get_by_role("button", name="Enregistrer").click()
            expect(staff.get_by_text("est à jour")).to_be_visible()
        expect(path.locator('[data-module="mapping"]')).to_contain_text("14 octobre 2026")
        expect(path).to_contain_text("1 module(s) suivi(s) sur 7")
        shoot(staff, f"federation-parcours-{width}")
