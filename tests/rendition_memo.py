"""Renditions drawn once per test process (issue 23 §6: fast feedback).

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
original is never served from the memo. The run's summary says how many were drawn
(``rendition``) and how many were taken from the memo (``rendition-memo``): see
``tests/portal_costs.py``.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

import pytest
from django.conf import settings
from django.core.files.base import File

from tests import portal_costs

# Bounded, so that a long run's memory does not grow with it (renditions weigh 5-100 KB).
MAX_BYTES = 200 * 1024 * 1024


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


def _key(flt: Any, image: Any, original: bytes) -> tuple:
    return (
        flt.spec,
        flt.get_cache_key(image),
        image.get_focal_point() and image.get_focal_point().as_tuple(),
        hashlib.sha256(original).hexdigest(),
        _images_settings(),
    )


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
        with portal_costs.timed("rendition"):
            generated = run(self, image, output, source=source)
        generated.f.seek(0)
        _remember(key, generated.f.read(), generated.format_name)
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
