"""The tally on Redis (``REDIS_URL``, several application servers): one hash a portal and
day, drained without losing nor doubling a view, each portal's apart. Runs on a real
redis-server of the machine, started for the module on a socket of its own."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.test.utils import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from audience import tally
from audience.tally import count_view, drain, send_waiting_views

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture(scope="module")
def redis_socket(tmp_path_factory) -> Iterator[Path]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server absent : tests du décompte sur Redis non joués.")
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    server = subprocess.Popen(  # noqa: S603 (the system's redis-server)
        [
            REDIS_SERVER,
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(unix_socket_path=str(socket))
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield socket
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def on_redis(redis_socket):
    config = {
        "BACKEND": "core.redis_cache.RedisCache",
        "LOCATION": f"unix://{redis_socket}",
        "KEY_PREFIX": "quartiers-test-pages",
        "KEY_FUNCTION": "core.cache_keys.make_key",
        "REVERSE_KEY_FUNCTION": "core.cache_keys.reverse_key",
    }
    # What another test left waiting goes to that test's store (none: it is forgotten).
    send_waiting_views()
    with override_settings(CACHES={"default": config, "pages": config, "network": config}):
        caches["pages"].clear()
        yield
        caches["pages"].clear()


def drained(capture, fail: bool = False) -> Counter:
    seen: Counter = Counter()

    def record(counts):
        if fail:
            raise RuntimeError("base indisponible")
        seen.update(counts)

    with capture(execute=not fail):
        drain(record)
    return seen


@pytest.mark.usefixtures("on_redis")
def test_views_counted_in_redis_are_drained_once_each_per_portal(
    alpha, beta, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with schema_context(alpha.schema_name):
        for kind in ("direct", "direct", "search"):
            count_view(today, kind, 5)
    with schema_context(beta.schema_name):
        count_view(today, "social", 5)

    with schema_context(alpha.schema_name):
        with pytest.raises(RuntimeError):
            drained(django_capture_on_commit_callbacks, fail=True)
        count_view(today, "direct", 5)  # while the failed fold was under way
        first = drained(django_capture_on_commit_callbacks)
        second = drained(django_capture_on_commit_callbacks)
        third = drained(django_capture_on_commit_callbacks)
    with schema_context(beta.schema_name):
        in_beta = drained(django_capture_on_commit_callbacks)

    assert first + second == Counter({(today, "direct", 5): 3, (today, "search", 5): 1})
    assert third == Counter()
    assert in_beta == Counter({(today, "social", 5): 1})


@pytest.fixture
def commands_sent(on_redis) -> Iterator[list]:
    """Every command sent to Redis while the test runs."""
    sent: list = []
    client = caches["pages"]._cache.get_client(write=True)
    pool = client.connection_pool
    original = pool.get_connection

    def counting(*args, **kwargs):
        connection = original(*args, **kwargs)
        if getattr(connection, "counted", False):  # the pool hands the same one again
            return connection
        connection.counted = True
        packed = connection.send_packed_command

        def send(command, *a, **k):
            sent.append(command)
            return packed(command, *a, **k)

        connection.send_packed_command = send
        return connection

    pool.get_connection = counting
    yield sent
    pool.get_connection = original
    pool.disconnect()  # no counting connection left for the next test


def test_views_wait_in_the_worker_then_go_in_one_command_a_portal(alpha, beta, commands_sent):
    today = timezone.localdate()
    with schema_context(alpha.schema_name):  # the script loaded on the server once for all
        count_view(today, "direct", 1)
        send_waiting_views()
    commands_sent.clear()
    with schema_context(alpha.schema_name):
        for kind in ("direct", "search", "direct"):
            count_view(today, kind, 5)
    with schema_context(beta.schema_name):
        count_view(today, "social", 8)
    while_serving = len(commands_sent)

    send_waiting_views()

    # A counted page keeps the cache hit's one round trip: nothing is sent while serving.
    assert while_serving == 0
    assert len(commands_sent) == 2


def test_a_busy_worker_sends_its_views_every_few_hundred(
    alpha, commands_sent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tally, "FLUSH_VIEWS", 3)
    today = timezone.localdate()
    with schema_context(alpha.schema_name):
        for _ in range(2):
            count_view(today, "direct", 5)
        before_the_third = len(commands_sent)
        count_view(today, "direct", 5)
        after_the_third = len(commands_sent)
        counted = drained(django_capture_on_commit_callbacks)

    assert (before_the_third, after_the_third) == (0, 1)
    assert counted == Counter({(today, "direct", 5): 3})
