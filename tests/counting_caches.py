"""The project's cache stores, counting what a request asks of them: round trips counted
where they happen (issue 25). For Redis, the commands a real connection sends to the
server (one ``MGET`` is one); for the stores without Redis, the calls made on the backend
(a ``get_many`` counts once, not once for each key or file it reads).

``file_caches`` and ``redis_caches`` give a ``CACHES`` setting shaped as
``core/settings.py``'s, on these stores; ``sent`` holds the counts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import redis
from django.core.cache.backends.locmem import LocMemCache

from core.file_cache import FileBasedCache

# What each backend was asked, by method (outermost calls only), or each command sent.
sent: Counter[str] = Counter()

STORE_METHODS = ("get", "get_many", "set", "set_many", "add", "incr", "delete", "has_key")

TENANT_KEYS = {
    "KEY_FUNCTION": "core.cache_keys.make_key",
    "REVERSE_KEY_FUNCTION": "core.cache_keys.reverse_key",
}


def _counting(base: type) -> type:
    """``base`` counting the calls made on it in ``sent`` (a ``get_many`` counts once)."""
    depth = [0]

    def counted(name: str):
        method = getattr(base, name)

        def wrapper(self, *args, **kwargs):
            if depth[0] == 0:
                sent[name] += 1
            depth[0] += 1
            try:
                return method(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return wrapper

    return type(f"Counting{base.__name__}", (base,), {n: counted(n) for n in STORE_METHODS})


CountingLocMemCache = _counting(LocMemCache)
CountingFileBasedCache = _counting(FileBasedCache)


class CountingConnection(redis.Connection):
    """redis-py's connection, counting the commands it sends to the server."""

    def send_command(self, *args, **kwargs):
        sent[str(args[0]).upper()] += 1
        return super().send_command(*args, **kwargs)


def file_caches(folder: Path, *, count_default: bool) -> dict:
    """The caches without Redis (core/settings.py): local memory (counted or not), and
    files for what every worker shares, in ``folder``, counted."""
    default = CountingLocMemCache if count_default else LocMemCache
    return {
        "default": {
            "BACKEND": f"{default.__module__}.{default.__name__}",
            "LOCATION": "counting-caches",
            **TENANT_KEYS,
        },
        "pages": {
            "BACKEND": f"{__name__}.CountingFileBasedCache",
            "LOCATION": str(folder / "pages"),
            **TENANT_KEYS,
        },
        "network": {
            "BACKEND": f"{__name__}.CountingFileBasedCache",
            "LOCATION": str(folder / "network"),
        },
    }


def redis_caches(url: str) -> dict:
    """The caches with Redis at ``url`` (core/settings.py), every command counted."""
    return {
        alias: {
            "BACKEND": "core.redis_cache."
            + ("WatchedRedisCache" if alias == "pages" else "RedisCache"),
            "LOCATION": url,
            "KEY_PREFIX": f"quartiers-test-{alias}",
            "OPTIONS": {"connection_class": CountingConnection},
            **({} if alias == "network" else TENANT_KEYS),
        }
        for alias in ("default", "pages", "network")
    }
