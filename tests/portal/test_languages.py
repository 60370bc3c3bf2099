"""French first; translated pages are served in their language, Arabic right to left."""

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Locale

from portal.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(alpha):
    """An article in French, translated into Arabic; another left in French only."""
    with schema_context(alpha.schema_name):
        arabic, _ = Locale.objects.get_or_create(language_code="ar")
        article = ArticlePageFactory(title="Fête des voisins", slug="fete-des-voisins")
        ArticlePageFactory(title="Seulement en français", slug="seulement-fr")
        translation = article.copy_for_translation(arabic, copy_parents=True)
        translation.title = "عيد الجيران"
        translation.save_revision().publish()
    return translation


def test_french_page_says_french_and_left_to_right(translated, alpha, client_for):
    response = client_for(alpha).get("/actualites/fete-des-voisins/")

    assert '<html lang="fr" dir="ltr">' in response.text


def test_arabic_translation_is_served_in_arabic_right_to_left(translated, alpha, client_for):
    response = client_for(alpha).get("/ar/actualites/fete-des-voisins/")

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "عيد الجيران" in response.text
    # The portal's own words come from the shipped catalogue, not French.
    assert "الانتقال إلى المحتوى" in response.text
    assert "Aller au contenu" not in response.text


def test_language_switcher_offers_only_existing_translations(translated, alpha, client_for):
    translated_page = client_for(alpha).get("/actualites/fete-des-voisins/").text
    french_only = client_for(alpha).get("/actualites/seulement-fr/").text

    assert 'hreflang="ar"' in translated_page
    assert 'href="/ar/actualites/fete-des-voisins/"' in translated_page
    assert "language-switcher" not in french_only
