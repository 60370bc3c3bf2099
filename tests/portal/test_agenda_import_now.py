""" "Importer maintenant" in "Agenda > Agendas suivis": an animator imports one followed
agenda at once and reads what it did; nobody else can, not by a forged POST, not for
another portal's subscription."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context

from portal.agenda.subscriptions import AgendaSubscription
from portal.factories import AgendaSubscriptionFactory
from portal.models import EventPage
from tests.conftest import PASSWORD, host, logged_in
from tests.portal.ical_server import _feed_server, feeds, ics
from tests.portal.test_agenda_import import jardin, repair_cafe

__all__ = ["_feed_server", "feeds"]

pytestmark = pytest.mark.django_db

LISTING = "/admin/agenda/agendas-suivis/"


def import_now(subscription: AgendaSubscription) -> str:
    return f"{LISTING}importer/{subscription.pk}/"


def _subscribe(portal, url: str, **fields) -> AgendaSubscription:
    with schema_context(portal.schema_name):
        return AgendaSubscriptionFactory(name="Mobilizon du quartier", url=url, **fields)


def _imported(portal) -> list[str]:
    with schema_context(portal.schema_name):
        return list(EventPage.objects.exclude(source_name="").values_list("title", flat=True))


def test_an_animator_imports_a_feed_now_and_reads_what_it_did(
    alpha, feeds, animator_of, client_for
):
    subscription = _subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe(), jardin())))
    browser = logged_in(client_for(alpha), animator_of(alpha))

    listing = browser.get(LISTING).content.decode()
    confirm = browser.get(import_now(subscription))
    assert _imported(alpha) == []  # a GET (the confirmation) imports nothing
    done = browser.post(import_now(subscription), follow=True)

    assert import_now(subscription) in listing and "Importer maintenant" in listing
    assert confirm.status_code == 200 and "Mobilizon du quartier" in confirm.content.decode()
    assert done.redirect_chain[-1][0] == LISTING
    text = done.content.decode()
    assert "Mobilizon du quartier : 2 ajouté(s), 0 modifié(s), 0 retiré(s)" in text
    assert sorted(_imported(alpha)) == ["Jardin partagé", "Repair café"]


def test_a_feed_in_error_is_told_in_french(alpha, feeds, animator_of, client_for):
    subscription = _subscribe(alpha, feeds.serve("/disparu.ics", b"", status=404))
    browser = logged_in(client_for(alpha), animator_of(alpha))

    text = browser.post(import_now(subscription), follow=True).content.decode()

    assert "Le flux est introuvable (erreur 404)" in text


def test_a_forged_post_without_csrf_imports_nothing(alpha, feeds, animator_of, client_for):
    subscription = _subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe())))
    browser = logged_in(client_for(alpha), animator_of(alpha))
    forged = Client(HTTP_HOST=host(alpha), enforce_csrf_checks=True)
    for name, cookie in browser.cookies.items():
        forged.cookies[name] = cookie.value

    response = forged.post(import_now(subscription))

    assert response.status_code == 403
    assert _imported(alpha) == []


def test_a_contributor_cannot_import(alpha, feeds, client_for):
    subscription = _subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe())))
    with schema_context(alpha.schema_name):
        user = get_user_model().objects.create_user(
            username="contributrice", email="c@example.org", password=PASSWORD
        )
        user.groups.add(Group.objects.get(name="Contributeurs"))
    browser = logged_in(client_for(alpha), user)

    assert browser.get(import_now(subscription)).status_code in (302, 403)
    assert browser.post(import_now(subscription)).status_code in (302, 403)
    assert _imported(alpha) == []


def test_an_animator_of_a_cannot_import_bs_feed(alpha, beta, feeds, animator_of, client_for):
    at_beta = _subscribe(beta, feeds.serve("/beta.ics", ics(repair_cafe())))
    browser = logged_in(client_for(alpha), animator_of(alpha))

    assert browser.post(import_now(at_beta)).status_code == 404
    assert _imported(alpha) == [] and _imported(beta) == []
