"""Pictures drawn in a portal's colours, drawn once a test process (issue 23 §6).

A page without an image of its own is shared with one drawn in the portal's colours
(``core.drawn_images``): its title and the portal's name on the accent colour, a 1,200 by
630 px PNG, and cards without a cover show a skyline in the portal's colours. Each is
drawn the first time a portal shows it and kept in the portal's media; a module's portal
loses its media at the module's end (``tests/portal_pool.py``), so every module drew
again what the modules before it had drawn: the same "Portail Alpha" on the same colour,
about a tenth of a second of CPU a picture on this machine, several a module.

Here the two drawing functions ``core.drawn_images`` calls (``draw_in_colours``, and
``draw_cover`` for the cards) are wrapped for the test session: what each returns is
remembered under every input it reads (the identity's name and accent colour, the title
and the size; the colour, seed and size), and returned again for the same inputs.
Everything else is the project's own: the file's name, its storage in the portal's media,
the lookup that finds it there. ``tests/test_drawing_memo.py`` proves that a remembered
drawing is byte for byte the one the function draws, and that other inputs are drawn.

The run's summary says how many were drawn (``drawing``) and how many were taken from
the memo (``drawing-memo``): see ``tests/portal_costs.py``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator

import pytest

from tests import portal_costs

# Bounded, so that a long run's memory does not grow with it (a drawing weighs 10-60 KB).
MAX_BYTES = 64 * 1024 * 1024

_memo: OrderedDict[tuple, bytes] = OrderedDict()
_held = 0


def _remember(key: tuple, drawing: bytes) -> None:
    global _held
    _memo[key] = drawing
    _held += len(drawing)
    while _held > MAX_BYTES and _memo:
        _key, dropped = _memo.popitem(last=False)
        _held -= len(dropped)


def _once(key: tuple, draw: Callable[[], bytes]) -> bytes:
    """The drawing remembered under ``key``, or ``draw()``'s, remembered."""
    known = _memo.get(key)
    if known is not None:
        portal_costs.add("drawing-memo", 0.0)
        return known
    with portal_costs.timed("drawing"):
        drawing = draw()
    _remember(key, drawing)
    return drawing


def remembering_draw_in_colours(draw_in_colours: Callable) -> Callable:
    """``draw_in_colours`` (``core.drawn_images``'s), drawing each distinct picture once;
    the project's function stays at hand as ``__wrapped__``."""

    def draw_once(identity, title: str, size: tuple[int, int]) -> bytes:
        # Every input the drawing reads: the identity's name and accent colour (or the
        # default colour when it has none), the title and the size.
        key = ("colours", identity.name, identity.accent_colour, title, tuple(size))
        return _once(key, lambda: draw_in_colours(identity, title, size))

    draw_once.__wrapped__ = draw_in_colours
    return draw_once


def remembering_draw_cover(draw_cover: Callable) -> Callable:
    """``draw_cover`` as ``core.drawn_images`` calls it, drawing each distinct cover once
    (its drawing is decided by its colour, its seed and its size: ``random.Random(seed)``)."""

    def draw_once(accent: str, seed: str, size: tuple[int, int]) -> bytes:
        key = ("cover", accent, seed, tuple(size))
        return _once(key, lambda: draw_cover(accent, seed=seed, size=size))

    draw_once.__wrapped__ = draw_cover
    return draw_once


def forget() -> None:
    """Forget every remembered drawing (``tests/test_drawing_memo.py``)."""
    global _held
    _memo.clear()
    _held = 0


@pytest.fixture(scope="session", autouse=True)
def _drawings_drawn_once() -> Iterator[None]:
    # Imported here: Django is set up by then (a plugin module is imported before).
    from core import drawn_images

    drawn = drawn_images.draw_in_colours, drawn_images.draw_cover
    drawn_images.draw_in_colours = remembering_draw_in_colours(drawn[0])
    drawn_images.draw_cover = remembering_draw_cover(drawn[1])
    try:
        yield
    finally:
        drawn_images.draw_in_colours, drawn_images.draw_cover = drawn
