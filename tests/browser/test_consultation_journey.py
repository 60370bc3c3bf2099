"""A resident answers a consultation from a phone without JavaScript, confirms by e-mail;
the animator picks a free answer and publishes the results, which a visitor reads with
JavaScript off. The form and the results pass axe-core; screenshots at 360 and 1,280 px."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from consultations.factories import ConsultationPageFactory
from consultations.models import ConsultationAnswer, ConsultationPage
from tests.browser.conftest import (
    animator_login,
    confirm_by_button,
    link_in_last_mail,
    log_into_admin,
)
from tests.browser.test_accessibility import violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True}


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("consulte", name="Quartier Consulté")


@pytest.fixture(scope="module")
def animator(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return animator_login(portal, PASSWORD)


@pytest.fixture(scope="module")
def consultation(portal, django_db_blocker) -> tuple[int, str]:
    """(id, path) of a consultation, committed so that the live server sees it."""
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        page = ConsultationPageFactory(title="Le square des Lilas")
        return page.pk, page.url


def committed(portal, work) -> None:
    """Run ``work`` in the portal on a connection of its own, committed at once (the test's
    own connection is inside a transaction the live server cannot see)."""

    def run() -> None:
        try:
            with schema_context(portal.schema_name):
                work()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()


def publish_results(page_id: int) -> None:
    page = ConsultationPage.objects.get(pk=page_id)
    page.results_published = True
    page.save_revision().publish()


def test_a_consultation_is_answered_and_its_results_read_without_javascript(
    new_window, origin, portal, animator, consultation, shoot, settings
) -> None:
    settings.PUBLIC_FORM_MIN_SECONDS = 0  # robots' speed: tests/consultations/
    base = origin(portal)
    page_id, page_path = consultation

    resident = new_window(java_script_enabled=False, **PHONE)
    resident.goto(base + "/")
    # On a phone the sections wait behind the header's menu button.
    resident.locator(".menu-toggle summary").click()
    resident.get_by_role("navigation").get_by_role("link", name="Consultations").click()
    resident.get_by_role("link", name="Le square des Lilas").click()
    resident.get_by_role("button", name="Envoyer ma réponse").click()
    expect(resident.get_by_role("alert")).to_contain_text("Répondez à cette question.")
    shoot(resident, "erreurs-360px")
    resident.get_by_label("Sud").check()
    resident.get_by_label("Arbres").check()
    resident.get_by_label("4", exact=True).check()
    resident.get_by_label("Votre idée").fill("Un coin ombragé pour les anciens.")
    resident.get_by_role("main").get_by_label("Votre adresse e-mail").fill("samia@example.org")
    shoot(resident, "formulaire-rempli-360px")
    resident.get_by_role("button", name="Envoyer ma réponse").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte e-mail")
    confirm_by_button(
        resident,
        link_in_last_mail("/confirmer/"),
        "Confirmer ma réponse",
        new_window=new_window,
        shoot=shoot,
    )
    expect(resident.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre réponse est confirmée"
    )
    with schema_context(portal.schema_name):
        answer = ConsultationAnswer.objects.get(page_id=page_id)
        assert answer.status == ConsultationAnswer.Status.COUNTED

    admin = new_window()
    log_into_admin(admin, base, animator, PASSWORD)
    admin.goto(f"{base}/admin/consultations/{page_id}/reponses-libres/")
    admin.get_by_label("Un coin ombragé pour les anciens.").check()
    admin.get_by_role("button", name="Enregistrer le choix").click()
    expect(admin.get_by_text("1 réponse libre sera montrée avec les résultats.")).to_be_visible()
    committed(portal, lambda: publish_results(page_id))

    results_url = f"{base}{page_path}resultats/"
    for name, options in (("360px", PHONE), ("1280px", {})):
        visitor = new_window(java_script_enabled=False, **options)
        visitor.goto(results_url)
        expect(visitor.get_by_role("heading", level=1)).to_have_text(
            "Résultats : Le square des Lilas"
        )
        chart = visitor.get_by_role("img", name="Votre quartier")
        expect(chart).to_be_visible()
        table = visitor.locator(
            "section", has=visitor.get_by_role("heading", name="Votre quartier")
        )
        expect(table.get_by_role("row", name="Sud 1 100 %")).to_be_visible()
        expect(visitor.get_by_text("Un coin ombragé pour les anciens.")).to_be_visible()
        shoot(visitor, f"resultats-{name}")

    checker = new_window(bypass_csp=True)
    for url in (f"{base}{page_path}", results_url, f"{base}/consultations/"):
        checker.goto(url)
        assert violations(checker) == [], url
