"""Which portal answers a host, and what visitors see when none may."""

import pytest
from django.core.exceptions import ValidationError

from tenants.lifecycle import archive, reactivate, suspend
from tenants.models import Neighbourhood

pytestmark = pytest.mark.django_db


def fresh(portal: Neighbourhood) -> Neighbourhood:
    """The portal as the database has it (the module's object outlives each test's rollback)."""
    return Neighbourhood.objects.get(pk=portal.pk)


def test_unknown_host_gets_the_network_404_with_a_link_to_the_directory(alpha, client_for):
    response = client_for(None).get("/", HTTP_HOST="inconnu.localhost")

    assert response.status_code == 404
    assert "Portail introuvable" in response.text
    assert "inconnu.localhost" in response.text
    assert 'href="http://localhost:8000/"' in response.text


@pytest.mark.parametrize("host", ["evil.example.com", "localhost:abc", "a" * 300 + ".localhost"])
def test_malformed_or_foreign_host_gets_a_404_never_a_500(host, client_for):
    response = client_for(None).get("/", HTTP_HOST=host)

    assert response.status_code == 404


def test_suspended_portal_answers_503_naming_it_and_the_network_contact(alpha, client_for):
    suspend(fresh(alpha), "Assemblée générale de la SCIC")

    response = client_for(alpha).get("/actualites/")

    assert response.status_code == 503
    assert "Portail Alpha est momentanément suspendu" in response.text
    assert "contact@quartiers.example" in response.text
    assert response["Retry-After"]


def test_archived_portal_answers_410_even_for_its_admin(alpha, client_for):
    archive(fresh(alpha), "Fin de l'expérimentation")

    assert client_for(alpha).get("/").status_code == 410
    assert client_for(alpha).get("/admin/login/").status_code == 410


def test_a_status_change_is_seen_at_once_though_the_host_was_cached(alpha, client_for):
    assert client_for(alpha).get("/").status_code == 200  # remembers alpha's host

    portal = suspend(fresh(alpha))
    suspended = client_for(alpha).get("/").status_code
    reactivate(portal)
    reopened = client_for(alpha).get("/").status_code

    assert (suspended, reopened) == (503, 200)


def test_directory_lists_only_active_portals_with_city_and_link(alpha, beta, client_for):
    archive(fresh(beta))

    response = client_for(None).get("/")

    assert response.status_code == 200
    assert "Portail Alpha" in response.text
    assert 'href="http://alpha.localhost:8000/"' in response.text
    assert "Montreuil" in response.text
    assert "Portail Beta" not in response.text


def test_healthz_reports_database_and_portal_count(alpha, beta, client_for):
    response = client_for(None).get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tenants": 2,
        "cache": "ok",
        "tasks": "ok",
        "tasks_delay_seconds": 0,
    }


def test_public_host_serves_no_wagtail_admin(client_for):
    assert client_for(None).get("/admin/").status_code == 404


def test_refused_transition_says_why_in_french(alpha):
    portal = archive(fresh(alpha))

    with pytest.raises(ValidationError, match="impossible de le passer"):
        suspend(portal)
