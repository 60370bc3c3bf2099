"""A page the page cache does not answer asks the fragment cache for everything it shows in
one round trip (core.caching.reads_ahead), after the generations' own: the entries the last
request for the same address read, asked for at once and kept for the request.

What is kept is kept for one request only, under the schema and the generations: tried as
an attacker would, with two portals whose keys are made the same (the same generations
forced in both, so that only the schema tells them apart), read in both orders; and with a
publication or a menu change between two requests, seen by the next one.

The stores are real: local memory and files (the setup without Redis), and Redis when
``REDIS_URL`` is set. Round trips are counted where they happen: for Redis, the commands a
real connection sends; for the others, the calls a request makes on the cache backends (a
``get_many`` counts once).
"""

from __future__ import annotations

import os
import re

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.test.utils import override_settings
from django_tenants.utils import schema_context
from wagtail.models import Page, Site

from core import tenant_state
from core.caching import (
    GENERATION_KEY,
    NETWORK_GENERATION_KEY,
    fragment,
    generations_read_once,
    reads_ahead,
)
from portal.factories import ArticlePageFactory
from tenants import host_cache
from tests.counting_caches import file_caches, redis_caches, sent

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Rubrique secrète d'Alpha"
STORES = [pytest.param("files", id="files")]
if os.environ.get("REDIS_URL"):
    STORES.append(pytest.param("redis", id="redis"))


@pytest.fixture(params=STORES)
def store(request, settings, tmp_path):
    """The caches on a counting store (files, or Redis with REDIS_URL), the page cache off
    and the fragment cache on (``home, page cache off, fragments on`` of bench/pages.py)."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    # On for every store here (the settings turn it on with Redis only), so that what it
    # keeps apart is tried on both.
    settings.FRAGMENT_READ_AHEAD = True
    # Only this test's bound matters here: the host's lookup is not what is counted.
    settings.TENANT_REGISTRY_RECHECK_SECONDS = 3600
    config = (
        file_caches(tmp_path, count_default=True)
        if request.param == "files"
        else redis_caches(os.environ["REDIS_URL"])
    )
    with override_settings(CACHES=config):
        for alias in config:
            caches[alias].clear()
        host_cache.forget_in_this_process()
        yield request.param
        for alias in config:
            caches[alias].clear()
    host_cache.forget_in_this_process()


def round_trips() -> int:
    return sum(sent.values())


def _without_stamps(content: bytes) -> str:
    """The page without its forms' time stamps (``core.abuse``), fresh at each showing."""
    return re.sub(r'name="formulaire_ouvert" value="[^"]*"', "", content.decode())


def _menu(text: str) -> str:
    return text.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


def _footer_form(text: str) -> str:
    return text.split('class="footer-newsletter"', 1)[1].split("</section>", 1)[0]


def _rename_news_section(portal, title: str) -> None:
    with schema_context(portal.schema_name):
        section = Page.objects.get(slug="actualites").specific
        section.title = title
        section.save_revision().publish()


def _same_generations(*portals) -> None:
    """Every portal's generation set to one number: their keys are then the same, and only
    the schema the cache's key function adds tells their entries apart."""
    for portal in portals:
        with schema_context(portal.schema_name):
            caches["pages"].set(GENERATION_KEY, 7, None)
    caches["pages"].set(NETWORK_GENERATION_KEY, 7, None)


@pytest.mark.parametrize("path", ["/", "/actualites/jardins-partages/"])
def test_a_page_with_its_fragments_kept_costs_at_most_two_round_trips_to_the_store(
    alpha, client_for, store, path
):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Jardins partagés", slug="jardins-partages")
    visitor = client_for(alpha)
    first = visitor.get(path)  # builds and keeps the fragments, and learns what it read
    assert first.status_code == 200

    for _ in range(2):
        sent.clear()
        again = visitor.get(path)

        assert _without_stamps(again.content) == _without_stamps(first.content)
        # The generations (with Redis, from the worker's memory while Redis says they
        # have not changed: core.watched_reads), then every entry the page shows (its
        # state, frame sources, menu, footer, blocks...) in one more: nothing else,
        # nothing written.
        assert round_trips() == (1 if store == "redis" else 2), dict(sent)


@pytest.mark.parametrize("first", ["alpha", "beta"])
def test_what_one_portal_read_ahead_never_shows_on_another_with_the_same_keys(
    alpha, beta, client_for, store, first
):
    _rename_news_section(alpha, SECRET_TITLE)
    _same_generations(alpha, beta)
    portals = [alpha, beta] if first == "alpha" else [beta, alpha]

    # Each portal's home page read three times in turn: built, then read ahead twice.
    pages: dict[str, list[str]] = {portal.name: [] for portal in portals}
    for _ in range(3):
        for portal in portals:
            pages[portal.name].append(client_for(portal).get("/").text)

    for portal in portals:
        (other,) = {alpha, beta} - {portal}
        for text in pages[portal.name]:
            menu = _menu(text)
            if portal == alpha:
                assert SECRET_TITLE in menu.replace("&#x27;", "'")
            else:
                assert "Rubrique secrète" not in menu
                assert "Actualités" in menu
            form = _footer_form(text)
            assert portal.name in form
            assert other.name not in form


def test_a_fragment_read_ahead_in_one_schema_is_not_another_schemas_within_a_request(
    alpha, beta, store
):
    _same_generations(alpha, beta)
    with schema_context(alpha.schema_name):
        with generations_read_once(), reads_ahead(("alpha", "/", "fr")) as remember_reads:
            assert fragment("probe", ("same",), 60, lambda: "alpha's") == "alpha's"
            remember_reads()
        with generations_read_once(), reads_ahead(("alpha", "/", "fr")):
            # Read ahead for alpha's request; the request then enters beta's schema (as
            # adoption reads a source portal) and asks for the same kind and parts.
            with schema_context(beta.schema_name):
                assert fragment("probe", ("same",), 60, lambda: "beta's") == "beta's"
            assert fragment("probe", ("same",), 60, lambda: "built again") == "alpha's"


@pytest.mark.parametrize("change", ["publication", "menu"])
def test_a_change_between_two_requests_is_seen_by_the_next(alpha, client_for, store, change):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Première nouvelle", slug="premiere-nouvelle")
    visitor = client_for(alpha)
    for _ in range(2):  # kept, then read ahead
        before = visitor.get("/").text

    if change == "publication":
        assert "Seconde nouvelle" not in before
        with schema_context(alpha.schema_name):
            ArticlePageFactory(title="Seconde nouvelle", slug="seconde-nouvelle")
    else:
        assert "Actualités" in _menu(before)
        with schema_context(alpha.schema_name):
            section = Page.objects.get(slug="actualites").specific
            section.show_in_menus = False
            section.save_revision().publish()
    after = visitor.get("/").text
    again = visitor.get("/").text

    for text in (after, again):
        if change == "publication":
            assert "Seconde nouvelle" in text
        else:
            assert "Actualités" not in _menu(text)


def test_wagtail_is_given_the_sites_root_paths_of_the_portal_as_they_are_now(alpha, store):
    request_factory = RequestFactory(HTTP_HOST=alpha.get_primary_domain().domain)

    def root_paths() -> list:
        request = request_factory.get("/")
        request.tenant = alpha
        with generations_read_once(), reads_ahead(("alpha", "/", "fr")):
            tenant_state.remember(request)
        return request._wagtail_cached_site_root_paths

    with schema_context(alpha.schema_name):
        first = root_paths()
        assert first == Site.get_site_root_paths()
        assert root_paths() == first  # from the kept state
        site = Site.objects.get(is_default_site=True)
        site.port = 8123
        site.save()

        changed = root_paths()

        assert changed != first
        assert changed == Site.get_site_root_paths()
        assert ":8123" in changed[0].root_url
