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

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    def validate_key(self, key: str) -> None:
        """No memcached warnings: see the module."""
