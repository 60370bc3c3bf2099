"""The portal's search finds its own pages, in French, and never another portal's."""

import pytest
from django_tenants.utils import schema_context

from portal.factories import ArticlePageFactory, EventPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(alpha, beta):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Les jardins partagés du quartier", slug="jardins")
        EventPageFactory(title="Atelier jardinage", slug="atelier-jardinage")
    with schema_context(beta.schema_name):
        ArticlePageFactory(title="Jardins secrets de beta", slug="jardins-beta")


def test_search_finds_this_portal_pages_with_french_stemming(indexed, alpha, client_for):
    response = client_for(alpha).get("/recherche/", {"q": "jardin"})

    assert response.status_code == 200
    assert "Les jardins partagés du quartier" in response.text
    assert "Jardins secrets de beta" not in response.text


def test_search_never_returns_another_portal_pages(indexed, beta, client_for):
    # Words found in both portals' pages: beta's search finds its own page, never alpha's.
    response = client_for(beta).get("/recherche/", {"q": "jardins"})

    assert "Jardins secrets de beta" in response.text
    assert "Les jardins partagés du quartier" not in response.text
    assert "Atelier jardinage" not in response.text


def test_search_without_result_says_so(indexed, alpha, client_for):
    response = client_for(alpha).get("/recherche/", {"q": "zeppelin"})

    assert "Aucun résultat pour « zeppelin »" in response.text
