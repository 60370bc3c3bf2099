"""Readings kept between requests (``core.reading_memo``) never show what the request
would not: another portal's items, a section made private, an old list of items. Every
cache off and within one second (the clock stopped), where the home page's blocks and
footer use the same kept readings from one request to the next."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django_tenants.utils import schema_context
from wagtail.models import Locale, PageViewRestriction

from core.latest import Reading
from core.reading_memo import built_once
from core.tenant_state import TenantStateMiddleware
from portal.factories import ArticlePageFactory
from portal.models import ArticlePage
from tests.conftest import host
from tests.core.conftest import ONE_SECOND

pytestmark = pytest.mark.django_db


def test_two_portals_in_one_second_show_each_its_own_news(alpha, beta, client_for, every_cache_off):
    for portal, title in ((alpha, "Vide-grenier d'Alpha"), (beta, "Vide-grenier de Beta")):
        with schema_context(portal.schema_name):
            ArticlePageFactory(title=title, date=datetime.date(2026, 12, 1))

    with time_machine.travel(ONE_SECOND, tick=False):
        pages = [(portal, client_for(portal).get("/").text) for portal in (alpha, beta) * 2]

    for portal, page in pages:
        own, other = ("Alpha", "Beta") if portal == alpha else ("Beta", "Alpha")
        assert f"Vide-grenier d&#x27;{own}" in page or f"Vide-grenier de {own}" in page
        assert f"Vide-grenier d&#x27;{other}" not in page
        assert f"Vide-grenier de {other}" not in page


def test_a_section_made_private_leaves_the_home_page_in_the_same_second(
    alpha, client_for, every_cache_off
):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(
            title="Compte rendu du bureau", date=datetime.date(2026, 12, 1)
        )
        section = article.get_parent()
    visitor = client_for(alpha)

    with time_machine.travel(ONE_SECOND, tick=False):
        before = visitor.get("/").text
        with schema_context(alpha.schema_name):
            PageViewRestriction.objects.create(
                page=section, restriction_type=PageViewRestriction.LOGIN
            )
        after = visitor.get("/").text

    assert "Compte rendu du bureau" in before
    assert "Compte rendu du bureau" not in after


def test_an_article_published_in_the_same_second_is_listed_at_once(
    alpha, client_for, every_cache_off
):
    visitor = client_for(alpha)

    with time_machine.travel(ONE_SECOND, tick=False):
        before = visitor.get("/").text
        with schema_context(alpha.schema_name):
            ArticlePageFactory(title="La fresque est finie", date=datetime.date(2026, 12, 3))
        after = visitor.get("/").text

    assert "La fresque est finie" not in before
    assert "La fresque est finie" in after


def built_during_requests(portal, name: str, build, requests: int = 2) -> list[Reading]:
    """What ``built_once`` gives in each of ``requests`` requests of ``portal`` served in
    one second, with the portal's state at hand as in any page's request."""
    found = []

    def view(request):
        found.append(built_once(name, 3, build))

    with time_machine.travel(ONE_SECOND, tick=False), schema_context(portal.schema_name):
        for _ in range(requests):
            request = RequestFactory(HTTP_HOST=host(portal)).get("/")
            request.tenant = portal
            TenantStateMiddleware(view)(request)
    return found


def test_a_reading_is_built_once_for_requests_of_one_state_and_second(alpha):
    builds = []

    def build() -> Reading:
        builds.append(1)
        return Reading([ArticlePage.objects.live()[:3]], lambda rows: rows[0])

    first, second = built_during_requests(alpha, "test:once", build)

    assert len(builds) == 1
    assert first is second


def test_a_reading_whose_building_asks_the_database_is_built_at_each_request(alpha):
    builds = []

    def build() -> Reading:
        # Decides its query from a row: that row may change without the state changing.
        builds.append(ArticlePage.objects.count())
        return Reading([ArticlePage.objects.live()[:3]], lambda rows: rows[0])

    first, second = built_during_requests(alpha, "test:asks", build)

    assert len(builds) == 2
    assert first is not second


def test_outside_a_portals_request_a_reading_is_built_at_each_call(alpha):
    builds = []

    def build() -> Reading:
        builds.append(1)
        return Reading([ArticlePage.objects.live()[:3]], lambda rows: rows[0])

    with schema_context(alpha.schema_name):
        assert connection.schema_name == alpha.schema_name
        built_once("test:outside", 3, build)
        built_once("test:outside", 3, build)

    assert len(builds) == 2


def test_a_translation_published_in_the_same_second_is_offered_at_once(
    alpha, client_for, every_cache_off
):
    with schema_context(alpha.schema_name):
        Locale.objects.get_or_create(language_code="es")
        arabic, _ = Locale.objects.get_or_create(language_code="ar")
        article = ArticlePageFactory(title="Fête des voisins", slug="fete-des-voisins")
    visitor = client_for(alpha)

    with time_machine.travel(ONE_SECOND, tick=False):
        before = visitor.get("/actualites/fete-des-voisins/").text
        with schema_context(alpha.schema_name):
            translation = article.copy_for_translation(arabic, copy_parents=True)
            translation.save_revision().publish()
        after = visitor.get("/actualites/fete-des-voisins/").text

    assert 'hreflang="ar"' not in before
    assert 'href="/ar/actualites/fete-des-voisins/"' in after
