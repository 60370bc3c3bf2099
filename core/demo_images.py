"""Pictures for the demo network, drawn on the machine in a portal's colours (Pillow).

The demo has no photographs: a home page of text-only cards does not show what a media
looks like. Each cover is a street of buildings under a sky, in shades of the portal's
accent colour, varied by a seed (the page's slug), so that two articles never share one.
No text is drawn: the cover's alternative text says what it is.
"""

from __future__ import annotations

import colorsys
import io
import random
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as Picture
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.identity import portal_identity

WIDTH, HEIGHT = 1200, 675


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _shade(colour: tuple[int, int, int], lightness: float, hue_shift: float = 0.0):
    """``colour`` with its lightness set to ``lightness`` (0 to 1), its hue turned a little."""
    h, _l, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))
    r, g, b = colorsys.hls_to_rgb((h + hue_shift) % 1, lightness, min(1.0, s))
    return (round(r * 255), round(g * 255), round(b * 255))


def _sky(
    top: tuple[int, int, int], bottom: tuple[int, int, int], width: int, height: int
) -> Picture.Image:
    """A picture of ``width`` by ``height`` px filled with the sky, ``top`` fading down to
    ``bottom``: one column of colours stretched sideways, the same pixels as a line drawn
    for each row, in a hundredth of the calls (a seeding draws some six hundred covers)."""
    column = Picture.new("RGB", (1, height))
    column.putdata(
        [
            tuple(round(a + (b - a) * (y / height)) for a, b in zip(top, bottom, strict=True))
            for y in range(height)
        ]
    )
    return column.resize((width, height), Picture.Resampling.NEAREST)


def draw_cover(accent: str, seed: str, size: tuple[int, int] = (WIDTH, HEIGHT)) -> bytes:
    """A JPEG (1200 by 675 px by default): a skyline in shades of ``accent``, varied by
    ``seed``."""
    width, height = size
    chance = random.Random(seed)  # noqa: S311 -- a drawing, not a secret
    base = _rgb(accent)
    shift = chance.uniform(-0.06, 0.06)
    top, bottom = _shade(base, 0.86, shift), _shade(base, 0.62, shift)
    picture = _sky(top, bottom, width, height)
    pen = ImageDraw.Draw(picture)
    sun_x = chance.randint(150, width - 150)
    sun_y = chance.randint(90, 220) * height // HEIGHT
    pen.ellipse([sun_x - 70, sun_y - 70, sun_x + 70, sun_y + 70], fill=_shade(base, 0.95, 0.08))
    for depth, lightness in ((0, 0.5), (1, 0.34), (2, 0.2)):  # three rows of buildings
        x = chance.randint(-80, 0)
        while x < width:
            wide = chance.randint(70, 170)
            tall = (chance.randint(160, 330) - depth * 40) * height // HEIGHT
            roof = height - tall - (2 - depth) * 60 * height // HEIGHT
            colour = _shade(base, lightness + chance.uniform(-0.04, 0.04), shift)
            pen.rectangle([x, roof, x + wide, height], fill=colour)
            if depth == 2:  # the front row has lit windows
                window = _shade(base, 0.85, 0.1)
                for wy in range(roof + 20, height - 30, 42):
                    for wx in range(x + 14, x + wide - 24, 32):
                        if chance.random() < 0.55:
                            pen.rectangle([wx, wy, wx + 14, wy + 20], fill=window)
            x += wide + chance.randint(0, 24)
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=82)
    return data.getvalue()


def demo_cover(
    accent: str,
    seed: str,
    title: str,
    size: tuple[int, int] = (WIDTH, HEIGHT),
    collection: Collection | None = None,
):
    """A Wagtail image (in the portal's own media) holding ``draw_cover(accent, seed, size)``,
    in ``collection`` (default: the root collection, Wagtail's default)."""
    picture = draw_cover(accent, seed, size)
    # The file and its known size given together: a file assigned afterwards is decoded
    # to read its size, and then again when it is stored (hundreds of covers a seeding).
    image = get_image_model()(
        title=title,
        file=ImageFile(ContentFile(picture), name=f"couverture-{seed}.jpg"),
        width=size[0],
        height=size[1],
        # Given, the image's default (a query for the root collection) is not asked.
        **({"collection": collection} if collection is not None else {}),
    )
    image.save()
    return image


def cover_pages(pages: Iterable[Any], alt: str, size: tuple[int, int] = (WIDTH, HEIGHT)) -> None:
    """A drawn cover in the portal's colours, described by ``alt``, for each of ``pages``
    (pages with ``cover`` and ``cover_alt``) that has none. A page with revisions gets the
    cover by a new published revision (an editor opening it keeps it); one published
    without revision (the radio's demo pages) gets it in place."""
    accent = portal_identity().accent_colour
    root = Collection.get_first_root_node()
    for page in pages:
        if page.cover_id:
            continue
        give_cover(page, alt, size, accent, root)
        if page.latest_revision_id:
            page.save_revision().publish()
        else:
            page.save(update_fields=["cover", "cover_alt"])


def give_cover(
    page: Any,
    alt: str,
    size: tuple[int, int] = (WIDTH, HEIGHT),
    accent: str | None = None,
    collection: Collection | None = None,
) -> None:
    """Put a drawn cover in the portal's colours (``accent``: else its identity's), described
    by ``alt``, on ``page`` (saved, so that its id varies the drawing); the caller saves or
    publishes the page. ``collection``: the image's (default: the root collection)."""
    page.cover = demo_cover(
        accent or portal_identity().accent_colour,
        f"{page.pk}-{page.slug}",
        f"Illustration : {page.title}",
        size,
        collection,
    )
    page.cover_alt = alt
