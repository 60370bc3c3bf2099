"""The file cache of the single-server setup (core/file_cache.py): values kept uncompressed,
and what Django's own backend wrote before a deploy still read."""

from __future__ import annotations

from pathlib import Path

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
