"""Running the network from the federation portal's admin, for the "Fédération" group only."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from portal.factories import ArticlePageFactory
from tenants.activity import portal_activity
from tenants.default_portal import ANIMATORS, FEDERATION_STAFF
from tenants.lifecycle import archive
from tenants.models import Domain, Neighbourhood, NetworkAction
from tests.conftest import PASSWORD, host, pass_second_factor

pytestmark = pytest.mark.django_db

NETWORK = "/admin/reseau/"
MENU = '"url": "/admin/reseau/"'  # the "Réseau" item in the admin sidebar's props

GAMMA = {
    "name": "Portail Gamma",
    "slug": "gamma",
    "city": "Lyon",
    "domain": "",
    "animator_email": "anim@gamma.example",
    "carrying_structure": "Centre social des Pentes",
}


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def make_user(portal: Neighbourhood, username: str, group: str | None = None, **extra):
    with schema_context(portal.schema_name):
        user = get_user_model().objects.create_user(
            username=username, email=username, password=PASSWORD, **extra
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(portal: Neighbourhood, user) -> Client:
    """A browser at the portal's host, logged in through the admin's own login form."""
    client = Client(HTTP_HOST=host(portal))
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    pass_second_factor(client)
    assert response.status_code == 302, "the login form refused the account"
    return client


@pytest.fixture
def staff(federation) -> Client:
    """A member of the federation's "Fédération" group, logged in at the federation."""
    return logged_in(
        federation, make_user(federation, "equipe@federation.example", FEDERATION_STAFF)
    )


def assert_refused(response) -> None:
    """Wagtail turns a refusal in its admin into a redirect to the dashboard, with a message."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def portal_url(portal: Neighbourhood) -> str:
    return f"{NETWORK}portails/{portal.schema_name}/"


def actions(portal: str) -> list[str]:
    """What the log says was done to ``portal`` since the module's fixtures opened it."""
    logged = NetworkAction.objects.filter(portal=portal).exclude(who__startswith="shell:")
    return list(logged.values_list("action", flat=True))


# --- Who may run the network -------------------------------------------------------------


def test_federation_staff_see_every_neighbourhood_with_its_status_and_domains(staff, alpha, beta):
    dashboard = staff.get("/admin/").text
    text = staff.get(NETWORK).text

    assert MENU in dashboard  # the "Réseau" menu
    for portal in (alpha, beta):
        assert portal.name in text
        assert host(portal) in text
    assert "Actif" in text
    # The list runs neighbourhoods only (the federation's opening is in the log below it).
    assert f'href="{portal_url(alpha)}"' in text
    assert f'href="{NETWORK}portails/federation/"' not in text


def test_federation_group_is_created_with_the_federation_only(federation, alpha):
    with schema_context(federation.schema_name):
        assert Group.objects.filter(name=FEDERATION_STAFF).exists()
    with schema_context(alpha.schema_name):
        assert not Group.objects.filter(name=FEDERATION_STAFF).exists()


def test_animator_of_a_neighbourhood_cannot_reach_the_network_screens(
    alpha, federation, animator_of
):
    animator = animator_of(alpha)
    at_alpha = logged_in(alpha, animator)

    assert_refused(at_alpha.get(NETWORK))
    assert_refused(at_alpha.get(portal_url(alpha)))
    assert MENU not in at_alpha.get("/admin/").text

    at_federation = Client(HTTP_HOST=host(federation))
    login = at_federation.post(
        "/admin/login/", {"username": animator.username, "password": PASSWORD}
    )
    assert login.status_code == 200  # no such account in the federation's schema
    response = at_federation.get(NETWORK)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_superuser_of_a_neighbourhood_is_refused_at_its_host(alpha):
    superuser = make_user(alpha, "root@alpha.example", is_superuser=True, is_staff=True)

    client = logged_in(alpha, superuser)

    assert_refused(client.get(NETWORK))
    assert_refused(client.post(f"{NETWORK}ouvrir/", {**GAMMA, "slug": "delta"}))
    assert not Neighbourhood.objects.filter(schema_name="delta").exists()


def test_federation_user_outside_the_federation_group_is_refused(federation, alpha):
    client = logged_in(federation, make_user(federation, "anim@federation.example", ANIMATORS))

    assert_refused(client.get(NETWORK))
    assert_refused(
        client.post(portal_url(alpha), {"action": "status", "status": "suspended", "reason": "x"})
    )
    assert Neighbourhood.objects.get(pk=alpha.pk).status == "active"
    assert MENU not in client.get("/admin/").text


# --- Opening a neighbourhood ---------------------------------------------------------------


def test_creating_a_portal_provisions_it_invites_its_animator_and_logs_it(
    staff, federation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"{NETWORK}ouvrir/", GAMMA)

    assert response.status_code == 302
    assert response["Location"] == f"{NETWORK}portails/gamma/"
    gamma = Neighbourhood.objects.get(schema_name="gamma")
    assert schema_exists("gamma")
    assert gamma.get_primary_domain().domain == "gamma.localhost"
    assert gamma.carrying_structure == "Centre social des Pentes"
    [invitation] = mailoutbox
    assert invitation.to == ["anim@gamma.example"]
    assert "http://gamma.localhost:8000/admin/" in invitation.body
    [logged] = NetworkAction.objects.filter(portal="gamma")
    assert (logged.action, logged.who) == ("create", "equipe@federation.example")
    listing = staff.get(NETWORK).text
    assert "Portail Gamma" in listing
    assert "Création" in listing  # the latest actions, under the list
    assert staff.get(portal_url(gamma)).status_code == 200


def test_a_reserved_slug_shows_the_french_error_and_creates_nothing(staff, mailoutbox):
    assert staff.get(f"{NETWORK}ouvrir/").status_code == 200

    response = staff.post(f"{NETWORK}ouvrir/", {**GAMMA, "slug": "admin"})

    assert response.status_code == 200
    assert "est réservé par le réseau" in response.text
    assert 'value="Portail Gamma"' in response.text  # nothing typed is lost
    assert not Neighbourhood.objects.filter(schema_name="admin").exists()
    assert not NetworkAction.objects.filter(portal="admin").exists()
    assert mailoutbox == []


# --- A portal's life -----------------------------------------------------------------------


def test_suspending_then_reactivating_is_logged_and_the_portal_answers_503_meanwhile(
    staff, alpha, client_for
):
    suspended = staff.post(
        portal_url(alpha), {"action": "status", "status": "suspended", "reason": "Pause d'été"}
    )

    assert suspended.status_code == 302
    assert client_for(alpha).get("/").status_code == 503

    staff.post(portal_url(alpha), {"action": "status", "status": "active", "reason": "Reprise"})

    assert client_for(alpha).get("/").status_code == 200
    assert actions("alpha") == ["reactivate", "suspend"]
    reason = NetworkAction.objects.get(portal="alpha", action="suspend").details["reason"]
    assert reason == "Pause d'été"


def test_an_archived_portal_reopens_from_the_admin_only_with_the_box_ticked(
    staff, beta, client_for
):
    archive(Neighbourhood.objects.get(pk=beta.pk), "Fin du projet")
    form = staff.get(portal_url(beta)).text
    assert "Rouvrir ce portail archivé" in form

    refused = staff.post(
        portal_url(beta), {"action": "status", "status": "active", "reason": "Relance"}
    )

    assert refused.status_code == 200
    assert "est archivé, donc fermé pour de bon" in refused.text
    assert client_for(beta).get("/").status_code == 410
    assert actions("beta") == []

    reopened = staff.post(
        portal_url(beta),
        {"action": "status", "status": "active", "reason": "Relance", "unarchive": "on"},
    )

    assert reopened.status_code == 302
    assert client_for(beta).get("/").status_code == 200
    assert actions("beta") == ["reactivate"]
    assert NetworkAction.objects.filter(portal="beta").first().who == ("equipe@federation.example")


def test_a_portal_that_is_not_archived_cannot_be_deleted(staff, beta):
    response = staff.post(portal_url(beta), {"action": "delete", "name": beta.name})

    assert response.status_code == 200
    assert "Seul un portail archivé peut être supprimé" in response.text
    assert schema_exists(beta.schema_name)


def test_an_archived_portal_is_deleted_only_with_its_exact_name(staff, beta):
    archive(Neighbourhood.objects.get(pk=beta.pk), "Fin du projet")

    wrong = staff.post(portal_url(beta), {"action": "delete", "name": "portail beta"})
    assert wrong.status_code == 200
    assert "Le nom saisi ne correspond pas" in wrong.text
    assert schema_exists(beta.schema_name)

    right = staff.post(portal_url(beta), {"action": "delete", "name": beta.name})

    assert right.status_code == 302
    assert not schema_exists(beta.schema_name)
    assert not Neighbourhood.objects.filter(pk=beta.pk).exists()
    assert actions("beta") == ["delete"]  # the log outlives the portal


def test_an_added_domain_serves_the_portal_and_a_removed_one_answers_404(staff, alpha):
    added = staff.post(portal_url(alpha), {"action": "add_domain", "domain": "Alpha-Bis.localhost"})

    assert added.status_code == 302
    assert Client(HTTP_HOST="alpha-bis.localhost").get("/").status_code == 200

    domain = Domain.objects.get(domain="alpha-bis.localhost")
    staff.post(portal_url(alpha), {"action": "remove_domain", "domain": domain.pk})

    assert Client(HTTP_HOST="alpha-bis.localhost").get("/").status_code == 404
    assert actions("alpha") == ["remove_domain", "add_domain"]


def test_staff_make_another_domain_primary_and_the_former_one_still_serves(staff, alpha):
    former = host(alpha)
    staff.post(portal_url(alpha), {"action": "add_domain", "domain": "alpha-ter.localhost"})
    added = Domain.objects.get(domain="alpha-ter.localhost")

    staff.post(portal_url(alpha), {"action": "make_primary", "domain": added.pk})

    assert alpha.get_primary_domain().domain == "alpha-ter.localhost"
    home = Client(HTTP_HOST=former).get("/")
    assert home.status_code == 200 and "http://alpha-ter.localhost" in home.text
    assert actions("alpha") == ["make_primary", "add_domain"]


def test_a_domain_of_another_portal_is_refused(staff, alpha, beta):
    response = staff.post(portal_url(alpha), {"action": "add_domain", "domain": host(beta)})

    assert response.status_code == 200
    assert "sert déjà un autre portail" in response.text


def test_the_only_domain_of_a_portal_cannot_be_removed(staff, alpha):
    primary = alpha.get_primary_domain()

    response = staff.post(
        portal_url(alpha), {"action": "remove_domain", "domain": primary.pk}, follow=True
    )

    assert "ajoutez-en un autre avant de le retirer" in response.text
    assert Domain.objects.filter(pk=primary.pk).exists()
    assert actions("alpha") == []


# --- Activity --------------------------------------------------------------------------------


def test_activity_counts_what_the_portal_published_and_its_editors(alpha, animator_of):
    animator_of(alpha)
    before = portal_activity(alpha)
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="La fête de la rue")

    after = portal_activity(alpha)

    assert after.pages == before.pages + 1
    assert after.last_published_at is not None
    assert after.editors >= 1


def test_a_portal_opened_with_its_territory_and_map_point_is_on_the_network_map(
    staff, federation, client_for
):
    response = staff.post(
        f"{NETWORK}ouvrir/",
        {
            **GAMMA,
            "territory": "Les Pentes, Lyon 1er",
            "latitude": "45.77020",
            "longitude": "4.83010",
        },
    )

    assert response.status_code == 302
    gamma = Neighbourhood.objects.get(schema_name="gamma")
    assert (gamma.territory, str(gamma.latitude), str(gamma.longitude)) == (
        "Les Pentes, Lyon 1er",
        "45.77020",
        "4.83010",
    )
    front_page = client_for(federation).get("/").text
    assert "Les Pentes, Lyon 1er" in front_page
    assert "[4.8301, 45.7702]" in front_page


def test_half_a_map_point_is_refused_in_french_and_opens_nothing(staff):
    response = staff.post(f"{NETWORK}ouvrir/", {**GAMMA, "latitude": "45.77020"})

    assert response.status_code == 200
    assert "Donnez la latitude et la longitude ensemble" in html.unescape(response.text)
    assert not Neighbourhood.objects.filter(schema_name="gamma").exists()
