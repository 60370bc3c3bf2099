"""The "Agenda > Agendas suivis" screens: animators only, web addresses only, each portal
its own."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context

from portal.agenda.subscriptions import AgendaSubscription
from portal.factories import AgendaSubscriptionFactory
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

LISTING = "/admin/agenda/agendas-suivis/"
ADD = LISTING + "add/"


def form(**changes) -> dict:
    return {
        "name": "Mairie du 20e",
        "url": "https://mairie20.example/agenda.ics",
        "trusted": "",
        "active": "on",
        **changes,
    }


def test_an_animator_subscribes_the_agenda_to_a_feed(alpha, animator_of, client_for):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    response = browser.post(ADD, form())

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        subscription = AgendaSubscription.objects.get()
    assert (subscription.name, subscription.trusted, subscription.active) == (
        "Mairie du 20e",
        False,
        True,
    )
    listing = browser.get(LISTING).content.decode()
    assert "Mairie du 20e" in listing
    assert "Jamais importé" in listing


@pytest.mark.parametrize(
    "url",
    [
        "ftp://mairie20.example/agenda.ics",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "webcal",
    ],
)
def test_the_form_refuses_anything_but_a_web_address_in_french(alpha, animator_of, client_for, url):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    response = browser.post(ADD, form(url=url))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Saisissez l&#x27;adresse web (http:// ou https://) d&#x27;un agenda" in text
    with schema_context(alpha.schema_name):
        assert not AgendaSubscription.objects.exists()


def test_a_webcal_link_is_kept_as_its_https_address(alpha, animator_of, client_for):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    browser.post(ADD, form(url="webcal://mobilizon.example/@jardins/feed/ics"))

    with schema_context(alpha.schema_name):
        assert AgendaSubscription.objects.get().url == "https://mobilizon.example/@jardins/feed/ics"


def test_a_contributor_cannot_see_nor_manage_subscriptions(alpha, client_for):
    with schema_context(alpha.schema_name):
        subscription = AgendaSubscriptionFactory()
        user = get_user_model().objects.create_user(
            username="redactrice", email="r@example.org", password=PASSWORD
        )
        user.groups.add(Group.objects.get(name="Contributeurs"))
    browser = logged_in(client_for(alpha), user)

    assert browser.get(LISTING).status_code in (302, 403)
    assert browser.post(ADD, form()).status_code in (302, 403)
    edit = browser.post(f"{LISTING}edit/{subscription.pk}/", form(trusted="on"))
    assert edit.status_code in (302, 403)
    delete = browser.post(f"{LISTING}delete/{subscription.pk}/")
    assert delete.status_code in (302, 403)
    with schema_context(alpha.schema_name):
        subscription.refresh_from_db()
        assert not subscription.trusted
        assert AgendaSubscription.objects.count() == 1
    assert "agendas-suivis" not in browser.get("/admin/").content.decode()


def test_an_animator_sees_only_their_portals_subscriptions(alpha, beta, animator_of, client_for):
    with schema_context(beta.schema_name):
        at_beta = AgendaSubscriptionFactory(name="Agenda secret de Bêta")
    browser = logged_in(client_for(alpha), animator_of(alpha))

    assert "Agenda secret de Bêta" not in browser.get(LISTING).content.decode()
    assert browser.get(f"{LISTING}edit/{at_beta.pk}/").status_code == 404


def test_the_listing_shows_the_last_result_and_error(alpha, animator_of, client_for):
    with schema_context(alpha.schema_name):
        AgendaSubscriptionFactory(
            name="Mobilizon",
            last_run_at="2026-11-30T10:00:00+01:00",
            last_added=3,
            last_changed=1,
        )
        AgendaSubscriptionFactory(
            name="Mairie",
            last_run_at="2026-11-30T10:00:00+01:00",
            last_error="Le flux est introuvable (erreur 404) : vérifiez son adresse.",
        )
    browser = logged_in(client_for(alpha), animator_of(alpha))

    text = browser.get(LISTING).content.decode()

    assert "3 ajouté(s), 1 modifié(s), 0 retiré(s)" in text
    assert "Le flux est introuvable (erreur 404)" in text
