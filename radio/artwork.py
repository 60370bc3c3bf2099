"""The square artwork of a podcast feed: podcast directories refuse a show without one.

Apple Podcasts, Spotify and the Podcast Index ask for a square JPEG or PNG of 1,400 to
3,000 px a side. A feed's artwork is, first that can serve:

1. the show's own image (for a station's feed, its logo; for a show without one, its
   station's logo), when it is at least 1,400 px a side: its Wagtail rendition
   ``fill-1400x1400`` in JPEG (a smaller one would be blown up, and directories refuse
   blurry artwork as much as missing artwork);
2. the portal's logo (its identity settings), whatever its size, centred on a white
   1,400 px square;
3. a square drawn in the portal's accent colour with the portal's name and the feed's
   title.

The drawn squares (2 and 3) are stored in the portal's own media (``radio/artwork/``,
under the portal's folder like every upload) under a name made of the page and a digest
of what was drawn: the same inputs find the stored file, other inputs (a new logo, a
renamed show, another colour) draw a new one and remove the old ones of that page.
"""

from __future__ import annotations

import logging
from typing import Any

from PIL import Image

from core.drawn_images import draw_in_colours as drawn_in_colours
from core.drawn_images import encoded, stored_drawing
from core.identity import PortalIdentity, portal_identity
from radio.models import ShowPage, StationPage

logger = logging.getLogger(__name__)

SIZE = 1400
COVER_SPEC = f"fill-{SIZE}x{SIZE}|format-jpeg"
FOLDER = "radio/artwork"
# Bumped when the drawing changes, so that every stored square is drawn again.
RADIO_VERSION = "2"


def own_image(page: ShowPage | StationPage, station: StationPage | None = None) -> Any | None:
    """The image the animators gave the feed's page (or its station, ``station`` when the
    caller has it at hand: no query for the show's parent), if any."""
    if isinstance(page, ShowPage):
        return page.cover or (station or page.get_parent().specific).logo
    return page.logo


def large_enough(image: Any) -> bool:
    """A square of 1,400 px can be cut from it without enlarging it."""
    return bool(image) and image.width >= SIZE and image.height >= SIZE


def square_of(image: Any) -> str:
    """The 1,400 px square JPEG cut from ``image`` (relative address), or "" when it is too
    small or its original is missing."""
    if not large_enough(image):
        return ""
    try:
        return image.get_rendition(COVER_SPEC).url
    except Exception:  # a missing original must not take the feed down
        logger.warning("No cover rendition for image %s", image.pk, exc_info=True)
        return ""


def artwork_url(page: ShowPage | StationPage, station: StationPage | None = None) -> str:
    """The address (relative to the portal's host) of the feed's square artwork (``station``:
    the show's, when the caller has it at hand)."""
    own = square_of(own_image(page, station=station))
    if own:
        return own
    return portal_artwork_url(page.title, owner=f"page-{page.pk}")


def portal_artwork_url(title: str, owner: str) -> str:
    """The square drawn from the portal's identity (its logo, else its colour, its name and
    ``title``), for a feed without an image of its own; ``owner`` names the stored files
    (``page-12``, ``network``)."""
    identity = portal_identity()
    if identity.logo is not None:
        try:
            return _stored(owner, "logo", _logo_inputs(identity), lambda: draw_on_logo(identity))
        except Exception:  # an unreadable logo: the drawn square still serves
            logger.warning("Cannot draw artwork from logo %s", identity.logo.pk, exc_info=True)
    inputs = f"{identity.name}\n{identity.accent_colour}\n{title}"
    return _stored(owner, "drawn", inputs, lambda: draw_in_colours(identity, title))


def _logo_inputs(identity: PortalIdentity) -> str:
    logo = identity.logo
    return f"{logo.pk}\n{logo.file.name}\n{logo.file_hash}"


def _stored(owner: str, kind: str, inputs: str, draw) -> str:
    """The stored square for these inputs, drawn and saved first if need be."""
    return stored_drawing(FOLDER, owner, f"{RADIO_VERSION}\n{kind}\n{inputs}", draw, "png")


def draw_on_logo(identity: PortalIdentity) -> bytes:
    """The portal's logo, scaled to fit with a margin, centred on a white square (PNG)."""
    with identity.logo.open_file() as source, Image.open(source) as logo:
        logo = logo.convert("RGBA")
        inner = int(SIZE * 0.8)
        scale = min(inner / logo.width, inner / logo.height)
        logo = logo.resize(
            (max(1, round(logo.width * scale)), max(1, round(logo.height * scale))),
            Image.Resampling.LANCZOS,
        )
        canvas = Image.new("RGB", (SIZE, SIZE), "white")
        canvas.paste(logo, ((SIZE - logo.width) // 2, (SIZE - logo.height) // 2), logo)
    return encoded(canvas)


def draw_in_colours(identity: PortalIdentity, title: str) -> bytes:
    """A square in the portal's accent colour: the feed's title large, the portal's name
    under it, in white (``core.drawn_images.draw_in_colours``)."""
    return drawn_in_colours(identity, title, (SIZE, SIZE))
