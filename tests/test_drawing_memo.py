"""A drawing taken from the tests' memo (``tests/drawing_memo.py``) is the very one the
project draws, and other inputs are never served from it."""

from __future__ import annotations

from core import drawn_images
from core.identity import PortalIdentity
from tests import drawing_memo


def test_a_remembered_share_picture_is_the_one_drawn_and_other_inputs_are_drawn():
    drawing_memo.forget()
    identity = PortalIdentity(name="Portail Alpha", accent_colour="#1F5C99")

    first = drawn_images.draw_in_colours(identity, "La fête des voisins", (1200, 630))
    again = drawn_images.draw_in_colours(identity, "La fête des voisins", (1200, 630))

    real = drawn_images.draw_in_colours.__wrapped__
    assert again is first, "the second came from the memo"
    assert first == real(identity, "La fête des voisins", (1200, 630))
    beta = PortalIdentity(name="Portail Beta", accent_colour="#1F5C99")
    brown = PortalIdentity(name="Portail Alpha", accent_colour="#8A3B12")
    for args in (
        (identity, "Le vide-grenier", (1200, 630)),
        (beta, "La fête des voisins", (1200, 630)),
        (brown, "La fête des voisins", (1200, 630)),
        (identity, "La fête des voisins", (600, 600)),
    ):
        drawn = drawn_images.draw_in_colours(*args)
        assert drawn == real(*args)
        assert drawn != first


def test_a_remembered_card_picture_is_the_one_drawn_and_other_inputs_are_drawn():
    drawing_memo.forget()

    first = drawn_images.draw_cover("#1F5C99", seed="portail-#1F5C99", size=(800, 450))
    again = drawn_images.draw_cover("#1F5C99", seed="portail-#1F5C99", size=(800, 450))

    real = drawn_images.draw_cover.__wrapped__
    assert again is first, "the second came from the memo"
    assert first == real("#1F5C99", seed="portail-#1F5C99", size=(800, 450))
    for accent, seed, size in (
        ("#8A3B12", "portail-#1F5C99", (800, 450)),
        ("#1F5C99", "autre", (800, 450)),
        ("#1F5C99", "portail-#1F5C99", (400, 225)),
    ):
        drawn = drawn_images.draw_cover(accent, seed=seed, size=size)
        assert drawn == real(accent, seed=seed, size=size)
        assert drawn != first
