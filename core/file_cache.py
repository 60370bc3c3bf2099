"""Django's file cache, with its values kept as they are pickled rather than compressed.

The page cache without Redis (``var/cache/pages``) is read at every hit: the portal's and
the network's generations and the page, three files. Django's ``FileBasedCache`` keeps
each value compressed with zlib, and inflating a page (some 28 kB of HTML from 6 kB) was
the largest single cost of a hit (issue 25 §1, ``bench/hit_profile.py``): more than
opening and unpickling the three files together. A page takes about four times the disk
space instead (the cache is bounded by ``MAX_ENTRIES``, and entries expire after
``PAGE_CACHE_SECONDS``): a trade the single-server setup can afford, and the one Redis
makes already (it keeps pickles as they are).

A file written compressed (by Django's backend, before a deploy) is still read: a pickle
starts with its protocol byte (0x80), never with zlib's header (0x78). Keys are not
checked for memcached's limits either (nor by ``core.redis_cache.RedisCache``): those
warnings are about a backend the project does not use, and looking at each character of
three keys cost a few percent of a hit.
"""

from __future__ import annotations

import pickle
import time
import zlib
from typing import IO, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileBasedCache
from django.core.files import locks

_ZLIB_HEADER = 0x78


def _loads(data: bytes) -> Any:
    if data[:1] == bytes([_ZLIB_HEADER]):
        data = zlib.decompress(data)
    return pickle.loads(data)  # noqa: S301 - our own cache files, as Django's backend


class FileBasedCache(DjangoFileBasedCache):
    """``django.core.cache.backends.filebased.FileBasedCache``, values not compressed."""

    # ``incr`` writes the new value under the expiry the entry had (``core.caching``'s
    # generations, kept forever, need no ``touch`` after it).
    incr_keeps_expiry = True

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        """The value at ``key``, or ``default`` when none or expired."""
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return _loads(f.read())
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file: IO[bytes], timeout: float | None, value: Any) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))
        # ``touch`` rewrites a file in place: what a longer value left after the new one
        # goes (a pickle ignores trailing bytes, but the file need not keep them).
        file.truncate()

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        """Give the value at ``key`` a new expiry; False when there is none."""
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                try:
                    locks.lock(f, locks.LOCK_EX)
                    if self._is_expired(f):
                        return False
                    previous_value = _loads(f.read())
                    f.seek(0)
                    self._write_content(f, timeout, previous_value)
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return False

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """The value at ``key`` plus ``delta``, written back in place with the expiry it
        had; ValueError when there is none or it expired.

        Django's (``BaseCache.incr``) reads the value, then writes it into a new file with
        the default timeout: a cache's generation then needed a ``touch`` to be kept
        forever, three passes over the file (and a listing of the folder for the cull)
        for each bump, some thousands a test run."""
        fname = self._key_to_file(key, version)
        expired = False
        try:
            with open(fname, "r+b") as f:
                try:
                    locks.lock(f, locks.LOCK_EX)
                    try:
                        expiry = pickle.load(f)  # noqa: S301 - our own cache files
                    except EOFError:
                        expiry = 0  # an empty file counts as expired, as Django's
                    expired = expiry is not None and expiry < time.time()
                    if not expired:
                        value = _loads(f.read()) + delta
                        f.seek(0)
                        f.write(pickle.dumps(expiry, self.pickle_protocol))
                        f.write(pickle.dumps(value, self.pickle_protocol))
                        f.truncate()
                        return value
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            pass
        if expired:
            self._delete(fname)
        raise ValueError(f"Key '{key}' not found")

    def validate_key(self, key: str) -> None:
        """No memcached warnings: see the module."""
