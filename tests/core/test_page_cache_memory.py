"""Pages kept in each worker's memory (``core.page_cache.ProcessPages``): a hit reads the
generations and the entry's token from the store, the page from memory.

What may never happen: a page of one portal served at another (``test_cache_round_trips``
checks both orders with the store's round trips), a page served after a change made by
another worker, or after another worker rendered it again, or to someone logged in.
Another worker is this process with a memory of its own (``tests/other_worker.py``), on
the same real store (files, or Redis with ``REDIS_URL``).
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches, close_caches
from django.core.signals import request_finished
from django.test import RequestFactory
from django_tenants.utils import schema_context

from core import page_cache
from core.page_cache import HEADER, TOKEN_SUFFIX, Entry, ProcessPages
from portal.factories import ArticlePageFactory
from portal.news.models import ArticlePage
from tests.conftest import PASSWORD, host, pass_second_factor
from tests.other_worker import another_worker

pytestmark = pytest.mark.django_db


def test_a_publication_by_another_worker_is_never_served_from_memory(alpha, client_for):
    visitor = client_for(alpha)
    assert visitor.get("/actualites/")[HEADER] == "MISS"
    assert visitor.get("/actualites/")[HEADER] == "HIT"  # from this worker's memory

    with another_worker(), schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Grainothèque ouverte", slug="grainotheque", live=False)
        article.save_revision().publish()
    after = visitor.get("/actualites/")

    assert after[HEADER] == "MISS"
    assert "Grainothèque ouverte" in after.text


def test_a_page_rendered_again_by_another_worker_replaces_the_one_in_memory(alpha, client_for):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Troc de plantes", slug="troc")
    visitor = client_for(alpha)
    assert "Troc de plantes" in visitor.get("/actualites/troc/").text  # kept in memory

    # The entry leaves the store before its time (evicted), the title changes without a
    # publication (what only time changes, such as the radio's "on air", does the same),
    # and another worker renders the page again under the same generations.
    request = RequestFactory().get("/actualites/troc/", HTTP_HOST=host(alpha))
    key = page_cache.page_key(request)
    with schema_context(alpha.schema_name):
        caches["pages"].delete_many([key, key + TOKEN_SUFFIX])
        ArticlePage.objects.filter(pk=article.pk).update(title="Troc de graines")
    with another_worker():
        elsewhere = client_for(alpha).get("/actualites/troc/")
    assert elsewhere[HEADER] == "MISS"
    here = visitor.get("/actualites/troc/")

    assert here[HEADER] == "HIT"
    assert "Troc de graines" in here.text
    assert here.content == elsewhere.content


def test_a_worker_serves_what_another_rendered_then_keeps_it(alpha, client_for):
    with another_worker():
        rendered = client_for(alpha).get("/")
    with another_worker() as memory:
        served = client_for(alpha).get("/")

        assert (rendered[HEADER], served[HEADER]) == ("MISS", "HIT")
        assert served.content == rendered.content
        assert len(memory) == 1


def test_pages_expire_from_memory_with_the_store(alpha, client_for, settings):
    settings.PAGE_CACHE_SECONDS = 1
    visitor = client_for(alpha)
    assert [visitor.get("/")[HEADER] for _ in range(2)] == ["MISS", "HIT"]

    time.sleep(1.5)

    assert visitor.get("/")[HEADER] == "MISS"


def test_someone_logged_in_never_gets_the_page_kept_in_memory(alpha, animator_of, client_for):
    visitor = client_for(alpha)
    kept = visitor.get("/")
    assert visitor.get("/")[HEADER] == "HIT"
    editor = client_for(alpha)
    editor.post("/admin/login/", {"username": animator_of(alpha).username, "password": PASSWORD})
    pass_second_factor(editor)

    own = editor.get("/")
    again = visitor.get("/")

    assert own[HEADER] == "BYPASS"
    assert "private" in own["Cache-Control"]
    assert again[HEADER] == "HIT"
    assert again.content == kept.content  # the editor's page was not kept either


def test_a_page_over_a_tenth_of_the_memory_is_served_from_the_store(alpha, client_for, settings):
    settings.PAGE_CACHE_MEMORY_BYTES = 10_000  # a home page is larger than 1,000 bytes
    visitor = client_for(alpha)

    first = visitor.get("/")
    second = visitor.get("/")

    assert (first[HEADER], second[HEADER]) == ("MISS", "HIT")
    assert second.content == first.content
    assert len(page_cache.process_pages) == 0


def entry(token: str, size: int = 100) -> Entry:
    return Entry(stamp=(1, 2, ""), token=token, expires_at=time.time() + 60, pickled=b"x" * size)


def test_memory_keeps_to_its_bound_dropping_the_least_recently_served_first(settings):
    settings.PAGE_CACHE_MEMORY_BYTES = 1_000
    pages = ProcessPages()
    for number in range(10):  # 1,000 bytes: the bound
        pages.keep(f"page-{number}", entry(f"t{number}"))
    assert pages.get("page-0", "t0", (1, 2, "")) is not None  # served: now the most recent

    pages.keep("page-10", entry("t10"))

    assert len(pages) == 10
    assert pages.get("page-1", "t1", (1, 2, "")) is None
    assert pages.get("page-0", "t0", (1, 2, "")) is not None
    assert pages.get("page-10", "t10", (1, 2, "")) is not None


def test_memory_serves_an_entry_only_with_its_token_its_generations_and_in_time():
    pages = ProcessPages()
    pages.keep("page", entry("t1"))
    assert pages.get("page", "t2", (1, 2, "")) is None  # another rendering in the store
    pages.keep("page", entry("t1"))
    assert pages.get("page", "t1", (1, 3, "")) is None  # the network's generation moved
    pages.keep("page", entry("t1")._replace(expires_at=time.time() - 1))
    assert pages.get("page", "t1", (1, 2, "")) is None
    pages.keep("page", entry("t1"))
    assert pages.get("other", "t1", (1, 2, "")) is None
    assert pages.get("page", "t1", (1, 2, "")) is not None


class _OtherRelease:
    """What code of another release may have left at a page's key (a rollback with
    ``CACHE_RELEASE`` pinned): a value of a shape this code does not know."""


@pytest.mark.parametrize("left", [_OtherRelease(), ("stamp", "token"), "page"])
def test_a_value_of_another_shape_at_a_page_key_is_a_miss_not_an_error(alpha, client_for, left):
    visitor = client_for(alpha)
    request = RequestFactory().get("/", HTTP_HOST=host(alpha))
    key = page_cache.page_key(request)
    with schema_context(alpha.schema_name):
        caches["pages"].set_many({key: left, key + TOKEN_SUFFIX: "jeton"}, 60)

    first = visitor.get("/")
    second = visitor.get("/")

    assert (first.status_code, first[HEADER]) == (200, "MISS")
    assert second[HEADER] == "HIT"
    assert second.content == first.content


def test_a_page_is_stored_as_plain_values_that_any_release_can_unpickle(alpha, client_for):
    client_for(alpha).get("/")
    request = RequestFactory().get("/", HTTP_HOST=host(alpha))
    with schema_context(alpha.schema_name):
        stored = caches["pages"].get(page_cache.page_key(request))

    assert type(stored) is tuple
    assert len(stored) == len(Entry._fields)


def test_requests_close_no_cache_when_no_backend_closes_anything():
    # Django closes every cache after each request; none of ours holds anything to close,
    # and asking each of them was a fifteenth of a hit (core/apps.py).
    was_connected = request_finished.disconnect(close_caches)
    if was_connected:
        request_finished.connect(close_caches)

    assert not was_connected
