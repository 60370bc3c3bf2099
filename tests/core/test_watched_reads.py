"""With Redis, a page-cache hit costs no round trip while Redis says nothing it depends
on changed (``core.watched_reads``), and no page is served from memory after a change
made anywhere: by another server, by an operator emptying the store, while Redis had
dropped this process's listener.

The Redis is real and the tests' own: a ``redis-server`` started for this module on a
free port (Debian's package), so that an operator's ``FLUSHDB`` or an account without
rights touches nothing else. "Another server" is another connection to it, sending the
commands another server's cache backend sends.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django_tenants.utils import schema_context

from core import page_cache
from core.caching import GENERATION_KEY
from core.page_cache import HEADER
from portal.factories import ArticlePageFactory
from portal.news.models import ArticlePage
from tenants import host_cache
from tests.counting_caches import redis_caches, sent

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A Redis of this module's own, empty, keeping nothing on disk."""
    if REDIS_SERVER is None:
        pytest.skip(
            "redis-server absent (apt-get install redis-server) : lectures suivies non testées"
        )
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(  # noqa: S603 (the system's redis-server)
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 30
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture
def elsewhere(redis_url, settings) -> Iterator[redis.Redis]:
    """The caches on the module's Redis (every command this process sends counted), and
    a connection of someone else to it: another server, an operator."""
    config = redis_caches(redis_url)
    settings.TENANT_REGISTRY_RECHECK_SECONDS = 3600  # no registry read between requests
    with override_settings(CACHES=config):
        redis.Redis.from_url(redis_url).flushdb()
        host_cache.forget_in_this_process()
        page_cache.process_pages.forget()
        yield redis.Redis.from_url(redis_url)
    host_cache.forget_in_this_process()
    page_cache.process_pages.forget()


@pytest.fixture
def article(alpha) -> Iterator[ArticlePage]:
    with schema_context(alpha.schema_name):
        page = ArticlePageFactory(title="Jardins partagés", slug="jardins-partages")
    yield page


def served_from_memory_twice(visitor, path: str) -> bytes:
    """The page at ``path`` rendered, then served twice from the cache; its content."""
    assert visitor.get(path)[HEADER] == "MISS"
    assert visitor.get(path)[HEADER] == "HIT"
    again = visitor.get(path)
    assert again[HEADER] == "HIT"
    return again.content


def retitle_quietly(page: ArticlePage, title: str, portal) -> None:
    """A change of the page no signal of this process tells the cache of (what another
    server's write looks like from here)."""
    with schema_context(portal.schema_name):
        ArticlePage.objects.filter(pk=page.pk).update(title=title)


def full_key(portal, key: str) -> str:
    with schema_context(portal.schema_name):
        return caches["pages"].make_key(key)


@pytest.mark.parametrize("path", ["/", "/actualites/jardins-partages/"])
def test_once_a_hit_has_read_its_generations_the_next_hits_cost_no_round_trip(
    alpha, article, client_for, elsewhere, path
):
    visitor = client_for(alpha)
    content = served_from_memory_twice(visitor, path)

    sent.clear()
    with CaptureQueriesContext(connection) as queries:
        hit = visitor.get(path)

    assert hit[HEADER] == "HIT"
    assert hit.content == content
    assert dict(sent) == {}
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_a_publication_by_another_server_is_seen_at_the_next_request(
    alpha, article, client_for, elsewhere
):
    visitor = client_for(alpha)
    served_from_memory_twice(visitor, "/actualites/jardins-partages/")

    retitle_quietly(article, "Jardins ouverts", alpha)
    elsewhere.incr(full_key(alpha, GENERATION_KEY))  # what its cache backend sends
    after = visitor.get("/actualites/jardins-partages/")

    assert after[HEADER] == "MISS"
    assert "Jardins ouverts" in after.text


def test_a_publication_here_is_seen_at_once(alpha, article, client_for, elsewhere):
    visitor = client_for(alpha)
    served_from_memory_twice(visitor, "/actualites/")

    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Grainothèque ouverte", slug="grainotheque")
    after = visitor.get("/actualites/")

    assert after[HEADER] == "MISS"
    assert "Grainothèque ouverte" in after.text


def test_a_store_emptied_by_an_operator_serves_no_page_from_memory(
    alpha, article, client_for, elsewhere
):
    visitor = client_for(alpha)
    served_from_memory_twice(visitor, "/actualites/jardins-partages/")

    retitle_quietly(article, "Jardins vidés", alpha)
    elsewhere.flushdb()
    after = visitor.get("/actualites/jardins-partages/")

    assert after[HEADER] == "MISS"
    assert "Jardins vidés" in after.text


def test_a_change_made_while_redis_had_dropped_the_listener_is_seen(
    alpha, article, client_for, elsewhere
):
    visitor = client_for(alpha)
    served_from_memory_twice(visitor, "/actualites/jardins-partages/")

    # Redis drops subscribers whose messages pile up: no message can reach this process.
    assert elsewhere.client_kill_filter(_type="pubsub") >= 1
    retitle_quietly(article, "Jardins déconnectés", alpha)
    elsewhere.incr(full_key(alpha, GENERATION_KEY))
    after = visitor.get("/actualites/jardins-partages/")
    sent.clear()
    again = visitor.get("/actualites/jardins-partages/")

    assert after[HEADER] == "MISS"
    assert "Jardins déconnectés" in after.text
    # Read from the store for a few seconds, then watched again.
    assert again[HEADER] == "HIT"
    assert "MGET" in sent


def test_a_reader_closed_by_redis_leaves_no_stale_page(alpha, article, client_for, elsewhere):
    visitor = client_for(alpha)
    served_from_memory_twice(visitor, "/actualites/jardins-partages/")

    # A server closing idle clients (``timeout``) forgets what they read: no message
    # would come for a change, so the closed reader must be noticed.
    readers = [c["id"] for c in elsewhere.client_list() if "t" in c["flags"]]
    assert readers
    for reader in readers:
        elsewhere.client_kill_filter(_id=reader)
    retitle_quietly(article, "Jardins relus", alpha)
    elsewhere.incr(full_key(alpha, GENERATION_KEY))
    after = visitor.get("/actualites/jardins-partages/")

    assert after[HEADER] == "MISS"
    assert "Jardins relus" in after.text


def test_another_portals_change_keeps_this_portals_pages_in_memory(
    alpha, beta, article, client_for, elsewhere
):
    visitor = client_for(alpha)
    content = served_from_memory_twice(visitor, "/")
    client_for(beta).get("/")

    elsewhere.incr(full_key(beta, GENERATION_KEY))
    sent.clear()
    hit = visitor.get("/")

    assert (hit[HEADER], hit.content) == ("HIT", content)
    assert dict(sent) == {}


def test_with_an_account_refused_tracking_each_hit_reads_the_store(
    alpha, article, client_for, elsewhere, redis_url
):
    # A managed Redis may not let its accounts use CLIENT: pages are served as before.
    elsewhere.acl_setuser(
        "quartiers",
        enabled=True,
        passwords=["+sans-suivi"],
        keys="*",
        channels="*",
        commands=["+@all", "-client"],
        reset=True,
    )
    limited = redis_url.replace("redis://", "redis://quartiers:sans-suivi@")
    try:
        with override_settings(CACHES=redis_caches(limited)):
            visitor = client_for(alpha)
            served_from_memory_twice(visitor, "/actualites/jardins-partages/")
            sent.clear()
            hit = visitor.get("/actualites/jardins-partages/")
            hit_cost = dict(sent)
            retitle_quietly(article, "Jardins suivis autrement", alpha)
            elsewhere.incr(full_key(alpha, GENERATION_KEY))
            after = visitor.get("/actualites/jardins-partages/")
    finally:
        elsewhere.acl_deluser("quartiers")

    assert hit[HEADER] == "HIT"
    assert hit_cost == {"MGET": 1}
    assert after[HEADER] == "MISS"
    assert "Jardins suivis autrement" in after.text
