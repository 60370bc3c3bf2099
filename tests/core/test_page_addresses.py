"""Pages' addresses worked out once per process (``core.page_addresses``) are Wagtail's
own in every case a visitor meets: another language, another portal, a page renamed in
the same second. Every cache off, the clock stopped, where addresses are kept from one
request to the next."""

import datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import translation
from django_tenants.utils import schema_context
from wagtail.models import Locale, Page

from portal.factories import ArticlePageFactory
from tests.conftest import host
from tests.core.conftest import ONE_SECOND

pytestmark = pytest.mark.django_db


def test_addresses_are_wagtails_own_in_each_language_with_or_without_a_request(alpha):
    with schema_context(alpha.schema_name):
        arabic, _ = Locale.objects.get_or_create(language_code="ar")
        article = ArticlePageFactory(title="Fête des voisins", slug="fete-des-voisins")
        translated = article.copy_for_translation(arabic, copy_parents=True)
        translated.save_revision().publish()
        request = RequestFactory(HTTP_HOST=host(alpha)).get("/")
        for page in (article, translated):
            for language in ("fr", "ar", "en"):
                for asked in (request, None):
                    with translation.override(language):
                        # Twice: the second answer is the one kept.
                        page.get_url_parts(asked)
                        ours = page.get_url_parts(asked)
                        wagtails = Page.get_url_parts(page, asked)
                    assert ours == wagtails

        with translation.override("fr"):
            assert translated.get_url(request) == "/ar/actualites/fete-des-voisins/"
            assert article.get_url(request) == "/actualites/fete-des-voisins/"


def test_pages_of_one_path_in_two_portals_each_name_their_own_host(alpha, beta):
    found = {}
    for portal in (alpha, beta):
        with schema_context(portal.schema_name):
            article = ArticlePageFactory(title="Marché de Noël", slug="marche-de-noel")
            article.full_url  # noqa: B018 - asked once, then kept
            found[portal.slug] = article.full_url

    for portal in (alpha, beta):
        assert found[portal.slug].startswith(f"http://{host(portal)}")
        assert found[portal.slug].endswith("/actualites/marche-de-noel/")


def test_a_page_renamed_in_the_same_second_is_linked_at_its_new_address(
    alpha, client_for, every_cache_off
):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(
            title="Repair café", slug="repair-cafe", date=datetime.date(2026, 12, 2)
        )
    visitor = client_for(alpha)

    with time_machine.travel(ONE_SECOND, tick=False):
        before = visitor.get("/actualites/").text
        with schema_context(alpha.schema_name):
            article.slug = "repair-cafe-de-decembre"
            article.save_revision().publish()
        after = visitor.get("/actualites/").text

    assert 'href="/actualites/repair-cafe/"' in before
    assert 'href="/actualites/repair-cafe-de-decembre/"' in after
    assert 'href="/actualites/repair-cafe/"' not in after
