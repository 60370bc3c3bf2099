"""The network's own pages (unknown host, suspended, archived) speak the network's language,
or the visitor's, never the language of the request the process served before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tenants.lifecycle import archive, suspend
from tenants.models import Neighbourhood

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _leave_no_language_behind() -> Iterator[None]:
    yield
    translation.deactivate()


@pytest.fixture
def after_an_english_visit(alpha, client_for) -> None:
    """This process has just served an English page: its thread's language is English."""
    response = client_for(alpha).get("/en/recherche/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.text
    assert translation.get_language() == "en"


def fresh(portal: Neighbourhood) -> Neighbourhood:
    return Neighbourhood.objects.get(pk=portal.pk)


def test_an_unknown_host_after_an_english_page_is_answered_in_french(
    after_an_english_visit, client_for
):
    response = client_for(None).get("/", HTTP_HOST="inconnu.localhost")

    assert response.status_code == 404
    assert "Portail introuvable" in response.text
    assert '<html lang="fr"' in response.text
    assert response["Content-Language"] == "fr"


def test_twenty_four_answers_in_a_row_are_all_french(alpha, client_for):
    browser = client_for(alpha)
    languages = []
    for number in range(24):
        if number % 3 == 0:
            browser.get("/en/recherche/")
        page = client_for(None).get("/", HTTP_HOST=f"inconnu{number}.localhost")
        languages.append(page["Content-Language"])

    assert languages == ["fr"] * 24


def test_a_visitor_asking_for_english_gets_english(after_an_english_visit, client_for):
    response = client_for(None).get(
        "/", HTTP_HOST="inconnu.localhost", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,fr;q=0.5"
    )

    assert "Portal not found" in response.text
    assert '<html lang="en"' in response.text
    assert "Accept-Language" in response["Vary"]


def test_a_language_the_network_has_no_text_in_falls_back_to_french(client_for):
    # Spanish is a language of the portals' content, but the network's pages are not
    # written in it: the page says so in French rather than in French marked as Spanish.
    response = client_for(None).get(
        "/", HTTP_HOST="inconnu.localhost", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9"
    )

    assert "Portail introuvable" in response.text
    assert '<html lang="fr"' in response.text


def test_a_malformed_accept_language_gets_french_never_a_500(client_for):
    response = client_for(None).get(
        "/", HTTP_HOST="inconnu.localhost", HTTP_ACCEPT_LANGUAGE="x" * 1000 + ";q=zz,,;"
    )

    assert response.status_code == 404
    assert '<html lang="fr"' in response.text


def test_suspended_and_archived_pages_are_french_after_an_english_visit(
    alpha, beta, after_an_english_visit, client_for
):
    suspend(fresh(alpha), "Travaux")
    archive(fresh(beta), "Fin du projet")

    suspended = client_for(alpha).get("/")
    archived = client_for(beta).get("/")

    assert suspended.status_code == 503
    assert "est momentanément suspendu" in suspended.text
    assert archived.status_code == 410
    assert '<html lang="fr"' in suspended.text and '<html lang="fr"' in archived.text
