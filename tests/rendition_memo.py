"""Renditions drawn once per checkout, not once per process (issue 23 §6: fast feedback).

Each test module opens its own portals, and those with pictures (the demo's drawn covers
and logos, the same in every portal that seeds them) had Wagtail resize and encode them
again in every module: about a tenth of a second a rendition (WebP above all) on this
machine, a hundred and more for a page of cards.

Here Wagtail's ``Filter.run`` (what turns an original into a rendition's bytes) is
wrapped for the test session: its output is remembered under what decides it (the
filter's spec, the image's focal point and the cache key Wagtail derives from it, a hash
of the original's bytes, and the images settings), and written again for the next
identical request. Everything else is Wagtail's own: the rendition row, its file in the
portal's storage, its name. ``tests/test_rendition_memo.py`` proves that a remembered
rendition is byte for byte the one Wagtail would draw, and that another crop, spec or
original is never served from the memo.

The memo is kept twice: in the process (``_memo``), and on disk under
``var/test-renditions/`` (``_on_disk``), one file per rendition named by a digest of its
key. The disk copy is what the two xdist workers share (the second no longer draws what
the first drew: the browser journeys' portals hold the same covers), and what the next
run finds (``tests/tenants/test_seed_demo.py`` draws each demo portal's covers in its
own colour: about a third of the module, then nothing on a second run). Its key adds the
versions of the libraries that draw (Wagtail, Willow, Pillow and its codecs), so that an
upgrade never gets a rendition drawn by the older ones. Files are written whole then
renamed (another process never reads half a file), and the oldest read are removed past
``MAX_DISK_BYTES`` at the end of each process. ``make clean`` removes them with ``var/``.

The run's summary says how many were drawn (``rendition``), taken from this process's
memo (``rendition-memo``) or from the disk (``rendition-disk``): see
``tests/portal_costs.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from io import BytesIO
from pathlib import Path
from typing import IO, Any

import pytest
from django.conf import settings
from django.core.files.base import File

from tests import portal_costs

# Bounded, so that a long run's memory does not grow with it (renditions weigh 5-100 KB).
MAX_BYTES = 200 * 1024 * 1024
# The folder on disk likewise (the 621 renditions of the demo test and three journeys
# weighed 7.6 MB: this keeps many runs' worth).
MAX_DISK_BYTES = 400 * 1024 * 1024
# A format's name and the rendition's bytes, in one file: ``webp\n<bytes>``.
_FORMAT_END = b"\n"


@dataclass
class Remembered:
    """What ``Filter.run`` returns, as far as Wagtail uses it: the file it wrote and its
    format (``AbstractImage.generate_rendition_file``)."""

    f: IO[bytes]
    format_name: str


_memo: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
_held = 0
hits = 0


def _images_settings() -> tuple:
    """The settings Wagtail and Willow read while drawing (qualities, conversions...)."""
    return tuple(
        (name, repr(getattr(settings, name)))
        for name in sorted(dir(settings))
        if name.startswith(("WAGTAILIMAGES_", "WILLOW_"))
    )


@cache
def _drawing_libraries() -> tuple:
    """What draws a rendition's bytes: a file drawn by another version is never used."""
    from PIL import features

    versions = tuple((name, metadata.version(name)) for name in ("wagtail", "willow", "pillow"))
    codecs = tuple((codec, features.version(codec)) for codec in ("jpg", "webp", "avif", "zlib"))
    return versions + codecs


def _key(flt: Any, image: Any, original: bytes) -> tuple:
    return (
        flt.spec,
        flt.get_cache_key(image),
        image.get_focal_point() and image.get_focal_point().as_tuple(),
        hashlib.sha256(original).hexdigest(),
        _images_settings(),
        _drawing_libraries(),
    )


def disk_folder() -> Path:
    """Where renditions are kept between processes and runs (this checkout's ``var/``)."""
    return Path(settings.BASE_DIR) / "var/test-renditions"


def _disk_path(key: tuple, folder: Path | None = None) -> Path:
    # Every part of the key is a string, a number, None or a tuple of them: its repr is
    # the same in every process.
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    return (folder or disk_folder()) / f"{digest}.rendition"


def _on_disk(key: tuple, folder: Path | None = None) -> tuple[bytes, str] | None:
    """The rendition another process (or an earlier run) kept under ``key``, or None."""
    path = _disk_path(key, folder)
    try:
        stored = path.read_bytes()
    except FileNotFoundError:
        return None
    format_name, found, data = stored.partition(_FORMAT_END)
    if not found or not data:
        return None
    # Read just now: the last to go when the folder is trimmed (``trim_disk``). Not
    # ``touch``: a file another process has just trimmed would come back empty.
    with contextlib.suppress(FileNotFoundError):
        os.utime(path)
    return data, format_name.decode()


def _keep_on_disk(key: tuple, data: bytes, format_name: str, folder: Path | None = None) -> None:
    """Write the rendition whole under a temporary name, then rename it: a process reading
    meanwhile finds no file or the whole file, never part of one."""
    folder = folder or disk_folder()
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as written:
            written.write(format_name.encode() + _FORMAT_END + data)
        os.replace(temporary, _disk_path(key, folder))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def trim_disk(limit: int = MAX_DISK_BYTES, folder: Path | None = None) -> None:
    """Remove the renditions read longest ago until the folder holds at most ``limit``
    bytes (another process may be removing the same files: a missing one is skipped),
    and what a process stopped while writing left behind."""
    folder = folder or disk_folder()
    stale = time.time() - 3600
    for path in folder.glob("*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < stale:
                path.unlink()
    entries = []
    for path in folder.glob("*.rendition"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    held = sum(size for _when, size, _path in entries)
    for _when, size, path in sorted(entries):
        if held <= limit:
            break
        path.unlink(missing_ok=True)
        held -= size


def _remember(key: tuple, data: bytes, format_name: str) -> None:
    global _held
    _memo[key] = (data, format_name)
    _held += len(data)
    while _held > MAX_BYTES and _memo:
        _old, (dropped, _format) = _memo.popitem(last=False)
        _held -= len(dropped)


def _original_bytes(image: Any, source: File | None) -> bytes:
    if source is not None:
        source.seek(0)
        data = source.read()
        source.seek(0)
        return data
    with image.open_file() as opened:
        return opened.read()


def remembering_run(run):
    """``Filter.run`` that draws each distinct rendition once (``run``: Wagtail's)."""

    def run_once(self: Any, image: Any, output: BytesIO, source: File | None = None):
        global hits
        original = _original_bytes(image, source)
        key = _key(self, image, original)
        found = _memo.get(key)
        if found is not None:
            hits += 1
            with portal_costs.timed("rendition-memo"):
                data, format_name = found
                output.write(data)
                output.seek(0)
            return Remembered(output, format_name)
        looked = time.perf_counter()
        kept = _on_disk(key)
        if kept is not None:
            hits += 1
            data, format_name = kept
            _remember(key, data, format_name)
            output.write(data)
            output.seek(0)
            portal_costs.add("rendition-disk", time.perf_counter() - looked)
            return Remembered(output, format_name)
        with portal_costs.timed("rendition"):
            generated = run(self, image, output, source=source)
        generated.f.seek(0)
        data = generated.f.read()
        _remember(key, data, generated.format_name)
        _keep_on_disk(key, data, generated.format_name)
        generated.f.seek(0)
        return generated

    return run_once


def wagtail_run(flt: Any, image: Any, output: BytesIO, source: File | None = None) -> Any:
    """Wagtail's own ``Filter.run``, whatever the session put in its place."""
    return _wagtail_run(flt, image, output, source=source)


_wagtail_run = None


@pytest.fixture(scope="session", autouse=True)
def _renditions_drawn_once() -> Iterator[None]:
    # Imported here: Django is set up by then (a plugin module is imported before).
    from wagtail.images.models import Filter

    global _wagtail_run
    _wagtail_run = Filter.run
    Filter.run = remembering_run(_wagtail_run)
    try:
        yield
    finally:
        Filter.run = _wagtail_run
        trim_disk()
