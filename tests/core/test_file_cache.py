"""The file cache of the single-server setup (core/file_cache.py): values kept uncompressed,
and what Django's own backend wrote before a deploy still read."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileBasedCache

from core.file_cache import FileBasedCache


def test_a_value_written_by_djangos_compressed_backend_is_still_read(tmp_path: Path) -> None:
    DjangoFileBasedCache(str(tmp_path), {}).set("page", {"html": "Bonjour " * 500}, 60)
    assert FileBasedCache(str(tmp_path), {}).get("page") == {"html": "Bonjour " * 500}


def test_values_are_kept_uncompressed_and_read_back(tmp_path: Path) -> None:
    cache = FileBasedCache(str(tmp_path), {})
    html = "<p>Bonjour le quartier</p>" * 200
    cache.set("page", html, 60)
    (stored,) = tmp_path.glob("*.djcache")
    assert html.encode() in stored.read_bytes()
    assert cache.get("page") == html


def test_a_generation_kept_forever_by_touch_reads_back_whole(tmp_path: Path) -> None:
    # The page cache's generations: incremented (written back with an expiry), then made
    # permanent by ``touch`` (core/caching.py), which rewrites the file in place.
    cache = FileBasedCache(str(tmp_path), {})
    cache.set("generation", 1_796_203_148_465_279_298, 60)
    assert cache.incr("generation") == 1_796_203_148_465_279_299
    assert cache.touch("generation", None)
    assert cache.get("generation") == 1_796_203_148_465_279_299
    assert cache.touch("generation", 30)
    assert cache.get("generation") == 1_796_203_148_465_279_299


def _stored_expiry(folder: Path) -> float | None:
    (stored,) = folder.glob("*.djcache")
    with stored.open("rb") as f:
        return pickle.load(f)  # noqa: S301 - the test's own cache file


def test_an_incremented_generation_keeps_its_expiry_so_needs_no_touch(tmp_path: Path) -> None:
    # core/caching.py bumps a portal's generation with ``incr`` alone on this backend
    # (``incr_keeps_expiry``): Django's own wrote it back to expire in 300 s, and a
    # portal's cached pages would all have been forgotten five minutes later.
    forever = FileBasedCache(str(tmp_path / "forever"), {})
    forever.set("generation", 41, None)
    assert forever.incr("generation") == 42
    assert forever.incr("generation", 8) == 50
    assert _stored_expiry(tmp_path / "forever") is None
    assert forever.get("generation") == 50
    for_a_minute = FileBasedCache(str(tmp_path / "minute"), {})
    for_a_minute.set("counter", 1, 60)
    expiry = _stored_expiry(tmp_path / "minute")
    assert for_a_minute.incr("counter") == 2
    assert _stored_expiry(tmp_path / "minute") == expiry
    assert for_a_minute.get("counter") == 2


def test_incrementing_a_missing_or_expired_value_fails_and_forgets_it(tmp_path: Path) -> None:
    cache = FileBasedCache(str(tmp_path), {})
    with pytest.raises(ValueError):
        cache.incr("generation")
    cache.set("generation", 7, 0)  # expired at once
    with pytest.raises(ValueError):
        cache.incr("generation")
    assert list(tmp_path.glob("*.djcache")) == []
