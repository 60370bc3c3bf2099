"""A portal adopts a collection in one action, into its own portal only."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from portal.models import MethodologyPage
from tenants.default_portal import CONTRIBUTORS
from tenants.toolkit import Adoption
from tests.conftest import PASSWORD, host, pass_second_factor
from tests.toolkit.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db

SHEETS = "/admin/reseau/fiches/"


def titles_in(portal) -> set[str]:
    with schema_context(portal.schema_name):
        return set(MethodologyPage.objects.values_list("title", flat=True))


def test_animator_adopts_a_collection_in_one_action_as_drafts(beta, kit, animator_of):
    client = logged_in(beta, animator_of(beta))

    listing = client.get(SHEETS).text
    response = client.post(SHEETS, {"collection": kit.slug}, follow=True)

    assert "Adopter la collection « Kit de démarrage »" in listing
    assert response.status_code == 200
    assert "2 fiches copiées en brouillon" in response.text
    # Its own sheet is left out; the two of alpha are copied, as drafts, credited.
    assert "« Petit-déjeuner des associations » (fiche de votre portail)" in response.text
    with schema_context(beta.schema_name):
        copies = MethodologyPage.objects.filter(
            title__in=["Cartographier ses voisins", "Démonter une fausse information"]
        )
        assert sorted(copy.live for copy in copies) == [False, False]
        assert all("Portail Alpha" in copy.credit for copy in copies)
    adoptions = Adoption.objects.filter(portal=beta)
    assert adoptions.count() == 2
    assert {adoption.collection_id for adoption in adoptions} == {kit.pk}


def test_adopting_a_collection_again_copies_nothing_twice(beta, kit, animator_of):
    client = logged_in(beta, animator_of(beta))
    client.post(SHEETS, {"collection": kit.slug})

    response = client.post(SHEETS, {"collection": kit.slug}, follow=True)

    assert "Rien de nouveau à copier de la collection « Kit de démarrage »." in response.text
    assert "déjà adoptée" in response.text
    with schema_context(beta.schema_name):
        assert MethodologyPage.objects.filter(title="Cartographier ses voisins").count() == 1


def test_a_forged_collection_gets_a_french_message_not_a_500(beta, animator_of):
    client = logged_in(beta, animator_of(beta))

    for forged in ("n-existe-pas", "", "' OR 1=1 --"):
        response = client.post(SHEETS, {"collection": forged}, follow=True)
        assert response.status_code == 200
        assert "Cette collection n&#x27;existe plus." in response.text


def test_a_contributor_cannot_adopt_a_collection(beta, kit):
    client = logged_in(beta, make_user(beta, "habitant@beta.example", CONTRIBUTORS))
    before = titles_in(beta)

    response = client.post(SHEETS, {"collection": kit.slug})

    assert response.status_code in (302, 403)
    assert titles_in(beta) == before
    assert not Adoption.objects.filter(portal=beta).exists()


def test_an_animator_cannot_adopt_into_another_portal(alpha, beta, kit, animator_of):
    animator = animator_of(beta)
    before = titles_in(alpha)

    # Beta's account does not exist at alpha's host, and beta's session is beta's only.
    at_alpha = Client(HTTP_HOST=host(alpha))
    login = at_alpha.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
    pass_second_factor(at_alpha)
    at_beta = logged_in(beta, animator)
    at_beta.defaults["HTTP_HOST"] = host(alpha)
    forged = at_beta.post(SHEETS, {"collection": kit.slug})

    assert login.status_code == 200  # the login form again: no such account there
    assert forged.status_code == 302 and forged["Location"].startswith("/admin/login/")
    assert titles_in(alpha) == before
    assert not Adoption.objects.filter(portal=alpha).exists()


def test_a_visitor_posting_without_an_account_adopts_nothing(beta, kit):
    before = titles_in(beta)

    response = Client(HTTP_HOST=host(beta)).post(SHEETS, {"collection": kit.slug})

    assert response.status_code == 302
    assert titles_in(beta) == before
