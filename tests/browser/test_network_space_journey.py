"""An animator of a neighbourhood opens the animators' space at the federation with their
network password, reads a reserved sheet, and finds a colleague in the directory
(issue 20, §4). Screenshots at 1280 and 360 px."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from network_space.demo import seed_space
from network_space.directory.models import DirectoryEntry
from tenants.accounts import NetworkAccount
from tenants.default_portal import ANIMATORS
from tenants.factories import PortalAccountFactory
from tests.browser.conftest import type_second_factor
from tests.browser.test_accessibility import sideways_overflow, violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EMAIL = "nadia@example.org"
COLLEAGUE = "thiago@example.org"


@pytest.fixture(scope="module")
def network(make_portal, django_db_blocker) -> dict:
    """The federation with its space, Nadia animator at Nord, Thiago at Sud (committed,
    for the live server)."""
    made = {
        "federation": make_portal("fedjourney", kind="federation", name="Fédération Quartiers"),
        "nord": make_portal("nordspace", name="Nord en direct"),
        "sud": make_portal("sudspace", name="Sud Info"),
    }
    with django_db_blocker.unblock():
        with schema_context(made["federation"].schema_name):
            seed_space()
        for slug, email, first, last in (
            ("nord", EMAIL, "Nadia", "Cherif"),
            ("sud", COLLEAGUE, "Thiago", "Almeida"),
        ):
            with schema_context(made[slug].schema_name):
                PortalAccountFactory(
                    username=email, first_name=first, last_name=last, roles=[ANIMATORS]
                )
        DirectoryEntry.objects.get_or_create(
            account=NetworkAccount.objects.get(email=COLLEAGUE),
            defaults={
                "email": COLLEAGUE,
                "skills": "Tournage, plateaux en extérieur, portugais",
            },
        )
    return made


def check_both_widths(page, shoot, name: str) -> list[str]:
    problems = []
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{name} {width} px : {line}" for line in violations(page)]
        if overflow := sideways_overflow(page):
            problems.append(f"{name} {width} px : {overflow} px de défilement horizontal")
        shoot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def test_an_animator_signs_in_reads_a_sheet_and_finds_a_colleague(
    new_window, origin, network, shoot
) -> None:
    page = new_window(bypass_csp=True)  # axe-core is added to the pages
    federation = origin(network["federation"])
    problems = []

    # The reserved sheet asks for the network sign-in, then comes back to it.
    page.goto(federation + "/espace-animateurs/animer-un-comite-de-redaction/")
    expect(page).to_have_url(re.compile(r"/reseau/espace/connexion/"))
    problems += check_both_widths(page, shoot, "connexion")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Entrer dans l'espace").click()
    # The code step: Nadia sets up her app (the QR code and the key), then goes on.
    expect(page).to_have_url(re.compile(r"/reseau/espace/connexion/code/"))
    type_second_factor(page, EMAIL)
    expect(page).to_have_url(federation + "/espace-animateurs/animer-un-comite-de-redaction/")
    expect(page.get_by_role("heading", name="Avant le comité")).to_be_visible()
    problems += check_both_widths(page, shoot, "fiche")

    # The space's front page, then the directory: Thiago, his portal and his address.
    page.get_by_role("link", name="Accueil de l'espace").click()
    expect(page.get_by_role("heading", name="Fiches internes")).to_be_visible()
    problems += check_both_widths(page, shoot, "espace")
    page.get_by_role("link", name="Annuaire").first.click()
    card = page.locator(".space-person", has_text="Thiago Almeida")
    expect(card).to_contain_text("Sud Info")
    expect(card.get_by_role("link", name=COLLEAGUE)).to_be_visible()
    problems += check_both_widths(page, shoot, "annuaire")

    page.goto(federation + "/espace-animateurs/calendrier-des-formations/")
    expect(page.get_by_role("heading", name="Prochaines sessions")).to_be_visible()
    problems += check_both_widths(page, shoot, "calendrier")

    # Signing out closes the space in this browser.
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(federation + "/espace-animateurs/")
    expect(page).to_have_url(re.compile(r"/reseau/espace/connexion/"))
    assert problems == []
