"""A page served from the page cache costs one round trip to the cache store and no query
(with Redis, none once Redis watches what it read: ``test_watched_reads``).

The stores are real: the file cache the tests use, and Redis when ``REDIS_URL`` is set
(the multi-server setup). Round trips are counted where they happen: for Redis, the
commands a real connection sends to the server (one ``MGET`` is one); for the files, the
calls a request makes on the cache backend (``get_many`` of several files is one).
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django_tenants.utils import schema_context

from core.page_cache import HEADER
from portal.factories import ArticlePageFactory
from tenants import host_cache
from tests.counting_caches import STORE_METHODS, file_caches, redis_caches, sent
from tests.other_worker import another_worker

pytestmark = pytest.mark.django_db

STORES = [pytest.param("files", id="files")]
if os.environ.get("REDIS_URL"):
    STORES.append(pytest.param("redis", id="redis"))


@pytest.fixture(params=STORES)
def counted_store(request, settings, tmp_path):
    """The caches on a counting store (files, or Redis with REDIS_URL)."""
    if request.param == "files":
        caches_config = file_caches(tmp_path, count_default=False)
    else:
        caches_config = redis_caches(os.environ["REDIS_URL"])
    # Only this test's bound matters here: a loaded machine may take longer than the
    # default second to render the first visit.
    settings.TENANT_REGISTRY_RECHECK_SECONDS = 3600
    with override_settings(CACHES=caches_config):
        for alias in caches_config:
            caches[alias].clear()
        host_cache.forget_in_this_process()
        yield request.param
        for alias in caches_config:
            caches[alias].clear()
    host_cache.forget_in_this_process()


def round_trips(store: str) -> int:
    if store == "redis":
        return sum(sent.values())
    return sum(sent[name] for name in STORE_METHODS)


@pytest.mark.parametrize("path", ["/", "/actualites/jardins-partages/"])
def test_a_cached_page_costs_one_round_trip_to_the_store_and_no_query(
    alpha, client_for, counted_store, path
):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Jardins partagés", slug="jardins-partages")
    visitor = client_for(alpha)
    first = visitor.get(path)
    assert first.status_code == 200
    assert first[HEADER] == "MISS"

    sent.clear()
    with CaptureQueriesContext(connection) as queries:
        second = visitor.get(path)

    assert second[HEADER] == "HIT"
    assert second.content == first.content
    assert round_trips(counted_store) == 1, dict(sent)
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_a_hit_answers_with_the_same_security_policy_as_the_page_it_keeps(
    alpha, client_for, counted_store
):
    visitor = client_for(alpha)
    first = visitor.get("/")

    second = visitor.get("/")

    assert second[HEADER] == "HIT"
    # The frame sources and the hash of the accent colour's inline style came with it.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "'sha256-" in second["Content-Security-Policy"]


def test_a_hit_carries_the_report_only_policy_as_well(alpha, client_for, counted_store, settings):
    # An operator trying a stricter policy in report-only mode first.
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/rapport-csp/"}
    }
    visitor = client_for(alpha)
    first = visitor.get("/")

    second = visitor.get("/")

    assert (first[HEADER], second[HEADER]) == ("MISS", "HIT")
    trial = "Content-Security-Policy-Report-Only"
    assert second[trial] == first[trial]
    assert "report-uri /rapport-csp/" in second[trial]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.parametrize("order", ["alpha first", "beta first"])
def test_each_portal_gets_its_own_page_from_the_process_memory_whichever_is_read_first(
    alpha, beta, client_for, counted_store, order
):
    # The same address at two portals, both kept in this process's memory: each hit must
    # find its own portal's page there, with the store asked for its token only.
    portals = [alpha, beta] if order == "alpha first" else [beta, alpha]
    first = {portal.schema_name: client_for(portal).get("/") for portal in portals}
    assert [response[HEADER] for response in first.values()] == ["MISS", "MISS"]

    for portal in portals:
        sent.clear()
        again = client_for(portal).get("/")

        assert again[HEADER] == "HIT"
        assert again.content == first[portal.schema_name].content
        assert portal.name in again.text
        assert round_trips(counted_store) == 1, dict(sent)


def test_a_worker_reads_a_page_another_rendered_once_then_from_its_memory(
    alpha, client_for, counted_store
):
    with another_worker():
        rendered = client_for(alpha).get("/")

    sent.clear()
    first_here = client_for(alpha).get("/")
    from_the_store = round_trips(counted_store)
    sent.clear()
    second_here = client_for(alpha).get("/")

    assert (rendered[HEADER], first_here[HEADER], second_here[HEADER]) == ("MISS", "HIT", "HIT")
    assert first_here.content == second_here.content == rendered.content
    # With Redis, the second costs none: Redis watches what the first read
    # (test_watched_reads).
    again = 0 if counted_store == "redis" else 1
    assert (from_the_store, round_trips(counted_store)) == (2, again), dict(sent)
