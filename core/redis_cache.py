"""Django's Redis cache backend, with one client object per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` around its pool at
every cache call; redis-py's constructor fills a table of some 170 response callbacks each
time, which cost as much as the ``MGET`` of a cached page itself (issue 25). The client
holds no state of its own beyond its pool (which keeps the connections), so one per pool
is kept and reused. Keys are not checked for memcached's limits (Django's base backend
looks at each character of each key for those warnings, a few percent of a page-cache
hit): they are about a backend the project does not use. Everything else is Django's.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

from core.watched_reads import WatchedReads


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client, reusing its ``redis.Redis`` object for each connection pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: str | None = None, *, write: bool = False) -> Any:
        """The ``redis.Redis`` for the pool Django would choose, built once."""
        pool = self._get_connection_pool(write)
        # Pools are kept in ``_pools`` for the backend's lifetime: their ids stay theirs.
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` on ``ReusedRedisCacheClient``."""

    # Redis's INCRBY leaves the key's time to live as it was (``core.caching``'s
    # generations: none): no ``touch`` after it, one round trip a bump instead of two.
    incr_keeps_expiry = True

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    def validate_key(self, key: str) -> None:
        """No memcached warnings: see the module."""


class WatchedRedisCacheClient(ReusedRedisCacheClient):
    """``ReusedRedisCacheClient`` whose ``get_many`` answers from the values Redis watches
    for this process (``core.watched_reads``): the page cache's generations and tokens,
    read at each hit, cost no round trip while nothing changes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watched: WatchedReads | None = None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The values at ``keys`` (the absent left out), read through the watched reads
        (always from the server writes go to: Redis watches that one's keys); from the
        pool as before when Redis cannot watch."""
        watched = self._watched_reads()
        if watched.refused:
            return super().get_many(keys)
        try:
            found = watched.read(keys)
        except RedisError:
            return super().get_many(keys)
        loads = self._serializer.loads
        return {
            key: loads(value) for key, value in zip(keys, found, strict=True) if value is not None
        }

    def _watched_reads(self) -> WatchedReads:
        if self._watched is None:
            pool = self._get_connection_pool(write=True)
            self._watched = WatchedReads(
                {**pool.connection_kwargs, "connection_class": pool.connection_class}
            )
        return self._watched

    # This process's own writes: forgotten here at once rather than at Redis's message.

    def set(self, key: str, *args: Any, **kwargs: Any) -> Any:
        self._watched_reads().forget([key])
        return super().set(key, *args, **kwargs)

    def add(self, key: str, *args: Any, **kwargs: Any) -> Any:
        self._watched_reads().forget([key])
        return super().add(key, *args, **kwargs)

    def incr(self, key: str, *args: Any, **kwargs: Any) -> Any:
        self._watched_reads().forget([key])
        return super().incr(key, *args, **kwargs)

    def delete(self, key: str) -> Any:
        self._watched_reads().forget([key])
        return super().delete(key)

    def set_many(self, data: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        self._watched_reads().forget(list(data))
        return super().set_many(data, *args, **kwargs)

    def delete_many(self, keys: list[str]) -> Any:
        self._watched_reads().forget(list(keys))
        return super().delete_many(keys)

    def clear(self) -> Any:
        self._watched_reads().forget_everything()
        return super().clear()


class WatchedRedisCache(RedisCache):
    """``RedisCache`` on ``WatchedRedisCacheClient``: the page cache's store with Redis."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = WatchedRedisCacheClient
