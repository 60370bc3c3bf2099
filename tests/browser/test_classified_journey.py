"""A resident posts a classified, confirms it by e-mail, an animator publishes it."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import (
    animator_login,
    confirm_by_button,
    link_in_last_mail,
    log_into_admin,
)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("annonces", name="Les Annonces")


@pytest.fixture(scope="module")
def animator(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return animator_login(portal, PASSWORD)


def test_a_classified_goes_from_a_resident_to_every_visitor(
    new_window, origin, portal, animator, shoot, settings
) -> None:
    # A robot's speed is refused elsewhere (tests/classifieds/test_abuse.py); the live
    # server runs in this process and reads the setting at each submission.
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    base = origin(portal)
    resident = new_window(viewport={"width": 390, "height": 844}, is_mobile=True)
    resident.goto(base + "/")
    # On a phone the sections wait behind the header's menu button.
    resident.locator(".menu-toggle summary").click()
    resident.get_by_role("navigation").get_by_role("link", name="Petites annonces").click()
    resident.get_by_role("link", name="Déposer une annonce").click()
    resident.get_by_label("Je propose").check()
    resident.get_by_label("Catégorie").select_option(label="Objets à donner ou à vendre")
    resident.get_by_label("Titre").fill("Vélo d'enfant bleu")
    resident.get_by_label("Texte de l'annonce").fill("Un vélo de 16 pouces, freins neufs.")
    resident.get_by_label("Gratuit").check()
    resident.get_by_label("Par le formulaire de contact du site").check()
    resident.get_by_label("Votre nom ou pseudonyme").fill("Samia")
    # The footer's infolettre form asks for an address too: the ad's is in the main content.
    resident.get_by_role("main").get_by_label("Votre adresse e-mail").fill("samia@example.org")
    resident.get_by_label("J'accepte que mon annonce").check()
    shoot(resident, "formulaire-rempli")
    resident.get_by_role("button", name="Envoyer mon annonce").click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text("Vérifiez votre boîte e-mail")
    assert mail.outbox[-1].to == ["samia@example.org"]

    confirm_by_button(
        resident,
        link_in_last_mail("/confirmer/"),
        "Confirmer mon annonce",
        new_window=new_window,
        shoot=shoot,
    )
    expect(resident.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre annonce est confirmée"
    )
    shoot(resident, "confirmee")

    visitor = new_window()
    visitor.goto(base + "/petites-annonces/")
    expect(visitor.get_by_text("Vélo d'enfant bleu")).to_have_count(0)

    animator_page = new_window()
    log_into_admin(animator_page, base, animator, PASSWORD)
    expect(animator_page.get_by_text("1 annonce attend votre relecture.")).to_be_visible()
    animator_page.goto(base + "/admin/petites-annonces/annonces/")
    animator_page.get_by_role("link", name="Modérer").first.click()
    under_review = animator_page.get_by_role("heading", name="Vélo d'enfant bleu", exact=True)
    expect(under_review).to_be_visible()
    shoot(animator_page, "moderation")
    animator_page.get_by_role("button", name="Publier").click()
    expect(animator_page.locator(".messages")).to_contain_text("publiée")

    visitor.reload()
    visitor.get_by_role("link", name="Vélo d'enfant bleu").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Vélo d'enfant bleu")
    expect(visitor.get_by_text("samia@example.org")).to_have_count(0)
    shoot(visitor, "annonce-publiee")
