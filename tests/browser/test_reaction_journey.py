"""A resident reacts to an article from a phone, confirms by e-mail, an animator approves
and answers, the reaction shows: every page on the way passes axe-core, at 360 and 1280 px."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from portal.factories import ArticlePageFactory
from tests.browser.conftest import (
    animator_login,
    confirm_by_button,
    link_in_last_mail,
    log_into_admin,
)
from tests.browser.test_accessibility import sideways_overflow, violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("reactions", name="Les Réactions")


@pytest.fixture(scope="module")
def article_url(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        return ArticlePageFactory(title="Le jardin partagé rouvre").url


@pytest.fixture(scope="module")
def animator(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return animator_login(portal, PASSWORD)


def _accessible(page, shoot, name: str) -> None:
    problems = violations(page)
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        if overflow := sideways_overflow(page):
            problems.append(f"{width} px : {overflow} px de défilement horizontal")
        shoot(page, f"{name}-{width}")
    assert not problems, "\n".join(problems)


def test_a_resident_reacts_the_animator_approves_the_reaction_shows(
    new_window, origin, portal, article_url, animator, shoot, settings
) -> None:
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    base = origin(portal)
    resident = new_window(viewport={"width": 360, "height": 740}, is_mobile=True, bypass_csp=True)
    resident.goto(base + article_url)
    resident.get_by_role("link", name="Réagir", exact=True).click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text("Réagir")
    _accessible(resident, shoot, "formulaire")
    resident.get_by_role("main").get_by_label("Votre nom").fill("Samia")
    resident.get_by_role("main").get_by_label("Votre adresse e-mail").fill("samia@example.org")
    resident.get_by_label("Votre réaction").fill("Enfin ! Les tomates vont pouvoir repartir.")
    resident.get_by_role("button", name="Envoyer ma réaction").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Merci pour votre réaction")
    _accessible(resident, shoot, "envoyee")
    assert mail.outbox[-1].to == ["samia@example.org"]

    confirm_by_button(
        resident,
        link_in_last_mail("/reactions/confirmer/"),
        "Confirmer ma réaction",
        new_window=new_window,
        shoot=shoot,
    )
    expect(resident.get_by_role("heading", level=1)).to_have_text("Votre réaction est confirmée")
    _accessible(resident, shoot, "confirmee")

    animator_page = new_window()
    log_into_admin(animator_page, base, animator, PASSWORD)
    animator_page.goto(base + "/admin/reactions/?queue=waiting")
    animator_page.get_by_role("link", name="Modérer, répondre").first.click()
    animator_page.get_by_label("Réponse de la rédaction").fill("Rendez-vous samedi au jardin !")
    shoot(animator_page, "moderation")
    animator_page.get_by_role("button", name="Enregistrer la réponse").click()
    expect(animator_page.locator(".messages")).to_contain_text("Réponse de la rédaction")

    visitor = new_window(bypass_csp=True)
    visitor.goto(base + article_url)
    reactions = visitor.locator("#reactions")
    expect(reactions).to_contain_text("Les tomates vont pouvoir repartir.")
    expect(reactions).to_contain_text("Réponse de la rédaction")
    expect(reactions).to_contain_text("Rendez-vous samedi au jardin !")
    expect(visitor.get_by_text("samia@example.org")).to_have_count(0)
    _accessible(visitor, shoot, "reaction-publiee")

    visitor.get_by_role("link", name="Signaler la réaction de Samia").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Signaler une réaction")
    _accessible(visitor, shoot, "signalement")
