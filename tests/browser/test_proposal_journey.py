"""A resident proposes an event from a phone; an animator turns it into a draft event and
publishes it; the resident gets the link. The new forms pass axe-core at 360 and 1280 px."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

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
def portal(make_portal):
    return make_portal("participer", name="Quartier Participatif")


@pytest.fixture(scope="module")
def animator(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return animator_login(portal, PASSWORD)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "orange").save(buffer, format="JPEG")
    return buffer.getvalue()


def _local(days: int, hour: int) -> str:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def test_an_event_goes_from_a_residents_phone_to_the_agenda(
    new_window, origin, portal, animator, shoot, settings
) -> None:
    # A robot's speed is refused elsewhere (tests/proposals/test_refusals.py); the live
    # server runs in this process and reads the setting at each submission.
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    mail.outbox = []
    base = origin(portal)
    resident = new_window(**PHONE)
    resident.goto(base + "/")
    # On a phone the sections wait behind the header's menu button.
    resident.locator(".menu-toggle summary").click()
    resident.get_by_role("navigation").get_by_role("link", name="Participer").click()
    resident.get_by_role("link", name="Proposer un événement").click()
    resident.get_by_label("Nom de l'événement").fill("Fête des voisins de la rue Piat")
    resident.get_by_label(re.compile(r"^Début")).fill(_local(9, 18))
    resident.get_by_label(re.compile(r"^Fin")).fill(_local(9, 23))
    resident.get_by_label("Lieu").fill("Square de la rue Piat")
    resident.get_by_label("Organisé par").fill("Les voisins de la rue Piat")
    resident.get_by_label("Description").fill("Chacun apporte un plat, la musique est offerte.")
    resident.get_by_label("Photo 1 (facultatif)").set_input_files(
        {"name": "fete.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    resident.get_by_label("Crédit de la photo 1").fill("Karim, voisin")
    resident.get_by_label("Votre nom ou pseudonyme").fill("Karim")
    resident.get_by_role("main").get_by_label("Votre adresse e-mail").fill("karim@example.org")
    resident.get_by_label("Oui, « proposé par » suivi de mon nom").check()
    resident.get_by_label("J'accepte que l'équipe d'animation lise ma proposition").check()
    assert sideways_overflow(resident) == 0
    shoot(resident, "telephone-formulaire-rempli")
    resident.get_by_role("button", name="Envoyer ma proposition").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte e-mail")
    assert mail.outbox[-1].to == ["karim@example.org"]

    confirm_by_button(
        resident,
        link_in_last_mail("/confirmer/"),
        "Confirmer ma proposition",
        new_window=new_window,
        shoot=shoot,
    )
    expect(resident.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre proposition est confirmée"
    )
    shoot(resident, "telephone-confirmee")

    desk = new_window()
    log_into_admin(desk, base, animator, PASSWORD)
    expect(desk.get_by_text("1 élément attend une décision.")).to_be_visible()
    desk.get_by_role("link", name="Ouvrir la modération").click()
    shoot(desk, "boite-de-moderation")
    desk.get_by_role("link", name="Fête des voisins de la rue Piat").click()
    expect(
        desk.get_by_role("heading", name="Fête des voisins de la rue Piat", exact=True)
    ).to_be_visible()
    shoot(desk, "proposition")
    desk.get_by_role("button", name="Accepter : créer un brouillon d'événement").click()
    desk.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/"))
    expect(desk.locator("#id_title")).to_have_value("Fête des voisins de la rue Piat")
    expect(desk.locator("#id_place_name")).to_have_value("Square de la rue Piat")
    shoot(desk, "brouillon-evenement")
    desk.locator("footer [data-w-dropdown-target=toggle]").click()
    desk.get_by_role("button", name="Publier", exact=True).click()
    expect(desk.locator(".messages")).to_contain_text("Fête des voisins de la rue Piat")

    assert mail.outbox[-1].to == ["karim@example.org"]
    assert "en ligne" in mail.outbox[-1].subject
    resident.goto(link_in_last_mail("/agenda/"))
    expect(resident.get_by_role("heading", level=1)).to_have_text("Fête des voisins de la rue Piat")
    expect(resident.get_by_text("Proposé par Karim")).to_be_visible()
    expect(resident.get_by_role("img", name=re.compile("Photo 1 envoyée"))).to_be_visible()
    shoot(resident, "telephone-evenement-publie")


@pytest.mark.parametrize("path", ["/participer/", "/participer/sujet/", "/participer/evenement/"])
def test_the_proposal_pages_pass_axe_at_360_and_1280(path, checks_window, origin, portal, shoot):
    page = checks_window
    name = path.strip("/").replace("/", "-")
    problems = []
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(origin(portal) + path)
        assert response is not None and response.status == 200
        problems += [f"{width} px : {line}" for line in violations(page)]
        if overflow := sideways_overflow(page):
            problems.append(f"{width} px : {overflow} px de défilement horizontal")
        shoot(page, f"{name}-{width}")
    assert not problems, "\n".join(problems)


def test_a_refused_form_passes_axe_too(new_window, origin, portal, shoot, settings) -> None:
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    page = new_window(bypass_csp=True, viewport={"width": 360, "height": 740})
    page.goto(origin(portal) + "/participer/evenement/")
    page.get_by_label("Nom de l'événement").fill("Sans date")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez le jour et l'heure du début.")
    shoot(page, "evenement-refuse-360")
    assert violations(page) == []
