"""Each sheet shows the portals that adopted it and what worked for them."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from portal.methodology.adoption import adopt_sheet
from portal.models import MethodologyPage
from tenants.lifecycle import suspend
from tenants.models import Neighbourhood
from tenants.toolkit import Adoption
from tests.conftest import host
from tests.toolkit.conftest import logged_in

pytestmark = pytest.mark.django_db

FEEDBACK = "/admin/reseau/fiches/retours/"
WORKED = "Les parents sont venus avec les enfants : prévoir un coin dessin."


def sheet_page(entry) -> str:
    return f"/ressources/fiches/{entry.tenant.schema_name}/{entry.page_id}/"


@pytest.fixture
def adopted_by_beta(sheets, beta) -> Adoption:
    with schema_context(beta.schema_name):
        adopt_sheet(sheets["cartes"])
    return Adoption.objects.get(portal=beta)


def test_an_animator_writes_what_worked_and_the_sheet_shows_it(
    adopted_by_beta, sheets, beta, federation, animator_of
):
    client = logged_in(beta, animator_of(beta))

    form = client.get(FEEDBACK).text
    response = client.post(FEEDBACK, {"adoption": adopted_by_beta.pk, "feedback": WORKED})
    page = Client(HTTP_HOST=host(federation)).get(sheet_page(sheets["cartes"])).text
    hub = Client(HTTP_HOST=host(federation)).get("/ressources/").text

    assert "Cartographier ses voisins" in form
    assert response.status_code == 302
    assert "Les portails qui l'ont adoptée" in page
    assert "Portail Beta" in page
    assert "prévoir un coin dessin" in page
    assert "Adoptée par 1 portail" in hub


def test_an_animator_cannot_write_feedback_for_another_portal(adopted_by_beta, alpha, animator_of):
    # Alpha's animator forges a POST with beta's adoption.
    client = logged_in(alpha, animator_of(alpha))

    response = client.post(
        FEEDBACK, {"adoption": adopted_by_beta.pk, "feedback": "Nul."}, follow=True
    )

    assert "Cette adoption n&#x27;est pas celle de votre portail." in response.text
    assert Adoption.objects.get(pk=adopted_by_beta.pk).feedback == ""


@pytest.mark.parametrize("forged", ["", "abc", "99999999", "-1", "²", "9" * 25])
def test_a_forged_adoption_gets_a_french_message_not_a_500(beta, animator_of, forged):
    client = logged_in(beta, animator_of(beta))

    response = client.post(FEEDBACK, {"adoption": forged, "feedback": "x"}, follow=True)

    assert response.status_code == 200
    assert "pas celle de votre portail" in response.text


def test_an_overlong_feedback_is_refused_in_french(adopted_by_beta, beta, animator_of):
    client = logged_in(beta, animator_of(beta))

    response = client.post(
        FEEDBACK, {"adoption": adopted_by_beta.pk, "feedback": "x" * 2001}, follow=True
    )

    assert "dépasse 2000 caractères" in response.text
    assert Adoption.objects.get(pk=adopted_by_beta.pk).feedback == ""


def test_a_suspended_portal_feedback_leaves_the_sheet_page(
    adopted_by_beta, sheets, beta, federation
):
    Adoption.objects.filter(pk=adopted_by_beta.pk).update(feedback=WORKED)
    suspend(Neighbourhood.objects.get(pk=beta.pk))

    page = Client(HTTP_HOST=host(federation)).get(sheet_page(sheets["cartes"])).text

    assert "Cartographier ses voisins" in page
    assert "Portail Beta" not in page
    assert "coin dessin" not in page


def test_the_sheet_page_of_a_suspended_portal_is_404(sheets, alpha, federation):
    suspend(Neighbourhood.objects.get(pk=alpha.pk))

    response = Client(HTTP_HOST=host(federation)).get(sheet_page(sheets["cartes"]))

    assert response.status_code == 404


def test_the_source_sheet_shows_who_adopted_it_and_what_worked(
    adopted_by_beta, sheets, alpha, beta
):
    Adoption.objects.filter(pk=adopted_by_beta.pk).update(feedback=WORKED)
    with schema_context(alpha.schema_name):
        url = MethodologyPage.objects.get(pk=sheets["cartes"].page_id).url

    text = Client(HTTP_HOST=host(alpha)).get(url).text

    assert "Adoptée par 1 portail du réseau" in text
    assert "Portail Beta" in text
    assert "prévoir un coin dessin" in text
