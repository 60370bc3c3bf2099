"""Counting a view while the visitor waits: one increment in the store every worker shares.

A page served from the page cache costs one round trip to the store (``core.page_cache``);
counting it must not cost a query. So a view is an increment in the same store, and the
counts are written to the portal's ``PageViews`` table later, by ``drain`` (called by the
rollup, ``audience.wagtail_hooks``):

- with Redis (``REDIS_URL``): the view waits in the worker's memory, and the worker's
  views go to the store together, at most ``FLUSH_SECONDS`` or ``FLUSH_VIEWS`` later (and
  when the worker stops): a cached page keeps its one round trip (issue 25 §1), the
  store sees one command every few seconds a worker. The command is one small script:
  ``HINCRBY`` on one hash per portal and day (field ``<referrer kind> <page id>``) and the
  bookkeeping (the day noted in the portal's set of days to drain, both keys expiring
  after ``KEEP_SECONDS``). A worker killed outright loses its last seconds of views.
  ``drain`` renames a day's hash before reading it, so a view
  counted meanwhile goes to a new hash, never lost nor counted twice; the renamed hash is
  deleted once the database transaction that wrote its counts commits (kept, and read
  again, otherwise).
- without Redis (one machine, ``var/cache/``): one line appended to a file per portal and
  day next to the page cache's folder (an append of a few bytes is atomic between
  processes); ``drain`` renames the file before reading it, the same way.

The keys and files hold a kind and a page id, nothing of the visitor.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import logging
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.utils import timezone
from redis.exceptions import RedisError, ResponseError

from audience.models import Referrer
from core.caching import CACHE_ALIAS

logger = logging.getLogger(__name__)

# Counts not drained after this long are dropped by the store (the rollup runs hourly).
KEEP_SECONDS = 40 * 24 * 3600
DAYS_KEY = "audience:days"
# (day, referrer kind, page id) -> views
Counts = Counter[tuple[datetime.date, str, int]]


def _day_key(day: datetime.date | str) -> str:
    return f"audience:views:{day}"


def _redis() -> RedisCache | None:
    cache = caches[CACHE_ALIAS]
    return cache if isinstance(cache, RedisCache) else None


def _client(cache: RedisCache, key: str):
    # Django's backend keeps its redis-py client behind ``_cache``: the one private name
    # this module leans on (tests/audience/test_tally.py runs it on a real Redis).
    return cache._cache.get_client(key, write=True)


def spool_folder() -> Path:
    """Where the current portal's counts wait without Redis: beside the page cache's files."""
    pages = Path(settings.CACHES[CACHE_ALIAS]["LOCATION"])
    return pages.parent / "audience" / connection.schema_name


def count_view(day: datetime.date, kind: str, page_id: int) -> None:
    """Count one view of page ``page_id`` of the current portal on ``day``. A store that
    fails loses the view, never the page: the visitor is served all the same."""
    field = f"{kind} {page_id}"
    try:
        cache = _redis()
        if cache is None:
            _append(spool_folder() / f"{day.isoformat()}.tally", field + "\n")
            return
        _waiting.add(cache.make_key(_day_key(day)), cache.make_key(DAYS_KEY), day, field)
    except (OSError, RedisError):
        logger.warning("Vue non comptée : magasin indisponible", exc_info=True)


# How long, and how many views, a worker keeps before sending them to Redis.
FLUSH_SECONDS = 5.0
FLUSH_VIEWS = 200


class _Waiting:
    """The views this process counted and has not yet sent to Redis."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # (hash key, days key, day) -> field -> views
        self.views: dict[tuple[str, str, str], Counter[str]] = {}
        self.total = 0
        self.since = time.monotonic()

    def add(self, key: str, days: str, day: datetime.date, field: str) -> None:
        with self.lock:
            self.views.setdefault((key, days, day.isoformat()), Counter())[field] += 1
            self.total += 1
            due = self.total >= FLUSH_VIEWS or time.monotonic() - self.since >= FLUSH_SECONDS
        if due:
            self.flush()

    def flush(self) -> None:
        """Send every view waiting to Redis: one command per portal and day."""
        with self.lock:
            views, self.views, self.total = self.views, {}, 0
            self.since = time.monotonic()
        cache = _redis()
        if cache is None or not views:
            return
        try:
            for (key, days, day), fields in views.items():
                args: list[object] = [day, KEEP_SECONDS]
                for field, count in fields.items():
                    args += [field, count]
                _increment_script(_client(cache, key))(keys=[key, days], args=args)
        except RedisError:
            logger.warning("Vues non comptées : Redis indisponible", exc_info=True)


_waiting = _Waiting()


def send_waiting_views() -> None:
    """Send the views this process keeps to Redis now (a worker that stops: gunicorn's
    max_requests, a restart)."""
    _waiting.flush()


atexit.register(send_waiting_views)


# The increments and their bookkeeping in one command (EVALSHA): one command costs about a
# GET (bench/audience.py), where a pipeline of four commands cost 1.6 times a GET
# (redis-py builds a pipeline object each time).
INCREMENT = """
for i = 3, #ARGV, 2 do
    redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
"""
_scripts: dict[int, object] = {}


def _increment_script(client):
    """The increment script registered on ``client`` (once per client object)."""
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(INCREMENT)
    return script


def _append(spool: Path, line: str) -> None:
    # One write of a few bytes with O_APPEND: whole, between processes. The folder is
    # made only the first time (a mkdir at each view cost as much as the write).
    try:
        descriptor = os.open(spool, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except FileNotFoundError:
        spool.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(spool, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode("ascii"))
    finally:
        os.close(descriptor)


def _parse(day: datetime.date, fields: list[str]) -> Counts:
    counts: Counts = Counter()
    for field in fields:
        kind, _, page = field.partition(" ")
        if kind in Referrer.values and page.isdigit():
            counts[(day, kind, int(page))] += 1
    return counts


def drain(record: Callable[[Counts], None]) -> int:
    """Hand every view counted for the current portal to ``record`` (which writes them to
    the database), and forget them once the current transaction commits. Returns how
    many views were handed. One drain at a time per portal (the rollup's)."""
    cache = _redis()
    if cache is None:
        return _drain_files(record)
    send_waiting_views()  # this process's own views first
    return _drain_redis(cache, record)


def _drain_files(record: Callable[[Counts], None]) -> int:
    folder = spool_folder()
    if not folder.is_dir():
        return 0
    for spool in folder.glob("*.tally"):
        spool.rename(spool.with_name(f"{spool.stem}.{uuid.uuid4().hex}.folding"))
    total = 0
    for folding in sorted(folder.glob("*.folding")):
        day = datetime.date.fromisoformat(folding.name.split(".")[0])
        counts = _parse(day, folding.read_text(encoding="ascii").splitlines())
        record(counts)
        total += counts.total()
        transaction.on_commit(lambda folding=folding: folding.unlink(missing_ok=True))
    return total


def _drain_redis(cache: RedisCache, record: Callable[[Counts], None]) -> int:
    days_key = cache.make_key(DAYS_KEY)
    client = _client(cache, days_key)
    today = timezone.localdate()
    total = 0
    for raw in sorted(client.smembers(days_key)):
        text = raw.decode() if isinstance(raw, bytes) else raw
        day = datetime.date.fromisoformat(text)
        key = cache.make_key(_day_key(day))
        folding = f"{key}:folding"
        # A hash left by a drain whose transaction failed is read again first.
        if not client.exists(folding):
            with contextlib.suppress(ResponseError):  # nothing counted since the last drain
                client.rename(key, folding)
        fields = client.hgetall(folding)
        counts: Counts = Counter()
        for field, value in fields.items():
            name = field.decode() if isinstance(field, bytes) else field
            for parsed, one in _parse(day, [name]).items():
                counts[parsed] += one * int(value)
        if counts:
            record(counts)
            total += counts.total()

        def forget(key: str = key, folding: str = folding, text: str = text) -> None:
            client.delete(folding)
            # A past day's set entry goes once nothing of it is left; today's stays.
            if text < today.isoformat() and not client.exists(key):
                client.srem(days_key, text)

        transaction.on_commit(forget)
    return total
