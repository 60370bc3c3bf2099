"""The anonymous page cache: per portal, never for someone logged in, forgotten on change.

Everything goes through the real middleware stack, the real ``pages`` cache backend and
Wagtail's own publishing: what is checked is what a visitor's browser would receive.
"""

import pytest
from django.core.cache import caches
from django_tenants.utils import schema_context

from classifieds import lifecycle
from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified
from core import caching
from core.page_cache import HEADER
from home.site_settings import PortalSettings
from portal.factories import ArticlePageFactory
from tests.conftest import PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_the_cache(alpha, client_for):
    visitor = client_for(alpha)

    first = visitor.get("/")
    second = visitor.get("/")

    assert first[HEADER] == "MISS"
    assert second[HEADER] == "HIT"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert "s-maxage=" in second["Cache-Control"]


def test_cache_keys_carry_the_portal_schema(alpha, beta):
    pages = caches["pages"]
    with schema_context(alpha.schema_name):
        at_alpha = pages.make_key("pagecache:page:x")
    with schema_context(beta.schema_name):
        at_beta = pages.make_key("pagecache:page:x")

    assert alpha.schema_name in at_alpha
    assert at_alpha != at_beta


def test_only_the_network_generation_is_kept_under_a_key_every_portal_shares(alpha, beta):
    pages = caches["pages"]
    shared = caching.NETWORK_GENERATION_KEY
    with schema_context(alpha.schema_name):
        keys_at_alpha = pages.make_key(shared), pages.make_key(caching.GENERATION_KEY)
    with schema_context(beta.schema_name):
        keys_at_beta = pages.make_key(shared), pages.make_key(caching.GENERATION_KEY)

    assert keys_at_alpha[0] == keys_at_beta[0]  # the network's: one for all
    assert keys_at_alpha[1] != keys_at_beta[1]  # each portal's own
    assert alpha.schema_name not in keys_at_alpha[0]


def test_a_page_cached_for_one_portal_is_never_served_at_another(alpha, beta, client_for):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Vide-grenier de la rue Dénoyez", slug="vide-grenier")
    assert "Dénoyez" in client_for(alpha).get("/actualites/").text
    assert client_for(alpha).get("/actualites/")[HEADER] == "HIT"

    at_beta = client_for(beta).get("/actualites/")

    assert at_beta[HEADER] == "MISS"
    assert "Dénoyez" not in at_beta.text
    assert client_for(beta).get("/actualites/vide-grenier/").status_code == 404


def test_logged_in_user_neither_reads_nor_fills_the_cache(alpha, animator_of, client_for):
    animator = animator_of(alpha)
    editor = client_for(alpha)
    editor.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
    pass_second_factor(editor)

    own = editor.get("/")
    anonymous = client_for(alpha).get("/")
    own_again = editor.get("/")

    assert own[HEADER] == "BYPASS"
    assert "private" in own["Cache-Control"]
    assert anonymous[HEADER] == "MISS"  # the editor's page was not stored
    assert own_again[HEADER] == "BYPASS"  # nor is the visitors' page served to the editor


def test_pages_with_a_form_are_not_cached(alpha, client_for):
    visitor = client_for(alpha)

    first = visitor.get("/petites-annonces/deposer/")
    second = client_for(alpha).get("/petites-annonces/deposer/")

    assert first.status_code == 200
    assert "csrfmiddlewaretoken" in first.text
    assert first[HEADER] == second[HEADER] == "BYPASS"
    assert "private" in second["Cache-Control"]


def test_publishing_in_one_portal_refreshes_its_pages_only(alpha, beta, client_for):
    for portal in (alpha, beta):
        client_for(portal).get("/actualites/")

    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Chantier participatif", slug="chantier", live=False)
        article.save_revision().publish()
    at_alpha = client_for(alpha).get("/actualites/")
    at_beta = client_for(beta).get("/actualites/")

    assert at_alpha[HEADER] == "MISS"
    assert "Chantier participatif" in at_alpha.text
    assert at_beta[HEADER] == "HIT"


def test_unpublished_page_disappears_at_once(alpha, client_for):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Atelier vélo", slug="atelier-velo")
    assert "Atelier vélo" in client_for(alpha).get("/actualites/").text

    with schema_context(alpha.schema_name):
        article.unpublish()

    assert "Atelier vélo" not in client_for(alpha).get("/actualites/").text
    assert client_for(alpha).get("/actualites/atelier-velo/").status_code == 404


def test_approved_classified_shows_at_once(alpha, animator_of, client_for):
    animator = animator_of(alpha)
    with schema_context(alpha.schema_name):
        waiting = ClassifiedFactory(
            title="Prête perceuse",
            status=Classified.Status.AWAITING_MODERATION,
            published_at=None,
        )
    assert "Prête perceuse" not in client_for(alpha).get("/petites-annonces/").text

    with schema_context(alpha.schema_name):
        lifecycle.approve(waiting, animator)

    listing = client_for(alpha).get("/petites-annonces/")
    assert listing[HEADER] == "MISS"
    assert "Prête perceuse" in listing.text


def test_settings_change_refreshes_the_portal(alpha, client_for):
    client_for(alpha).get("/")

    with schema_context(alpha.schema_name):
        portal_settings = PortalSettings.load()
        portal_settings.tagline = "Le quartier a la parole"
        portal_settings.save()

    assert "Le quartier a la parole" in client_for(alpha).get("/").text


def test_the_cache_can_be_turned_off(alpha, client_for, settings):
    settings.PAGE_CACHE_ENABLED = False

    client_for(alpha).get("/")
    response = client_for(alpha).get("/")

    assert response.has_header(HEADER) is False


def test_remembered_portal_state_and_fragments_stay_with_their_portal(
    alpha, beta, client_for, settings
):
    settings.PAGE_CACHE_ENABLED = False  # the fragments and the portal state only
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Repas partagé place Fréhel", slug="repas")

    at_alpha = client_for(alpha).get("/")
    at_beta = client_for(beta).get("/")
    at_alpha_again = client_for(alpha).get("/")

    assert "Repas partagé" in at_alpha.text
    assert "Repas partagé" not in at_beta.text
    assert "Portail Beta" in at_beta.text and "Portail Alpha" not in at_beta.text
    assert "Portail Alpha" in at_alpha_again.text and "Portail Beta" not in at_alpha_again.text


def test_home_blocks_show_a_new_publication_at_once(alpha, client_for, settings):
    settings.PAGE_CACHE_ENABLED = False
    client_for(alpha).get("/")

    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Fresque du gymnase", slug="fresque", live=False)
        article.save_revision().publish()

    assert "Fresque du gymnase" in client_for(alpha).get("/").text


def test_a_registration_updates_the_places_left_at_once(alpha, client_for):
    from portal.factories import EventPageFactory
    from registrations.lifecycle import register

    with schema_context(alpha.schema_name):
        event = EventPageFactory(
            title="Petit-déjeuner réseau", registrations_open=True, places=2, slug="petit-dej"
        )
        url = event.url
    first = client_for(alpha).get(url)
    again = client_for(alpha).get(url)
    assert again[HEADER] == "HIT" and "Complet" not in again.text

    with schema_context(alpha.schema_name):
        register(event, "Awa", "awa@example.org", people=2, notify=False)

    after = client_for(alpha).get(url)
    assert first.status_code == 200
    assert after[HEADER] == "MISS"
    assert "Complet" in after.text


def test_a_page_made_private_is_no_longer_served_to_visitors(alpha, client_for, settings):
    from wagtail.models import PageViewRestriction

    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Compte rendu du bureau", slug="bureau")
    assert client_for(alpha).get("/actualites/bureau/").status_code == 200
    assert client_for(alpha).get("/actualites/bureau/")[HEADER] == "HIT"

    with schema_context(alpha.schema_name):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    refused = client_for(alpha).get("/actualites/bureau/")
    # Nor through the remembered portal state alone (page cache off).
    settings.PAGE_CACHE_ENABLED = False
    refused_uncached = client_for(alpha).get("/actualites/bureau/")

    assert refused.status_code == 302
    assert "/admin/login/" in refused["Location"] or "login" in refused["Location"]
    assert "Compte rendu du bureau" not in refused.content.decode()
    assert refused_uncached.status_code == 302


def test_a_private_page_at_one_portal_leaves_the_same_address_public_at_another(
    alpha, beta, client_for
):
    from wagtail.models import PageViewRestriction

    for portal in (alpha, beta):
        with schema_context(portal.schema_name):
            article = ArticlePageFactory(title="Réunion publique", slug="reunion")
            if portal == alpha:
                PageViewRestriction.objects.create(
                    page=article, restriction_type=PageViewRestriction.LOGIN
                )

    assert client_for(alpha).get("/actualites/reunion/").status_code == 302
    assert client_for(beta).get("/actualites/reunion/").status_code == 200
    assert client_for(alpha).get("/actualites/reunion/").status_code == 302
