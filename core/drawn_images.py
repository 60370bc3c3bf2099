"""Pictures drawn in a portal's colours, stored once in the portal's own media.

A page without an image still needs one: a card without a picture breaks the rhythm of a
listing, and a link shared on a social network without ``og:image`` shows as bare text.
Three kinds are drawn here with Pillow, for the features to use:

- ``placeholder_url()``: the portal's stand-in for cards without a cover, a skyline in
  shades of its accent colour (``core.demo_images.draw_cover``), one file per portal;
- ``share_image_url(page)``: a 1,200 by 630 px image (the size Open Graph readers show
  large) with the page's title and the portal's name on the accent colour, one per page;
- ``draw_in_colours``: the same drawing at any size (radio's podcast artwork uses it).

Every drawing is stored under a name made of its owner and a digest of what was drawn
(``stored_drawing``): the same inputs find the stored file, new inputs (another title,
another colour) draw once more and remove the owner's older files. A visitor cannot make
the portal draw more than one file per live page and title: nothing they send enters the
inputs.
"""

from __future__ import annotations

import hashlib
import io
import logging
import textwrap
from collections.abc import Callable
from importlib import resources
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from core.demo_images import draw_cover
from core.identity import DEFAULT_ACCENT_COLOUR, PortalIdentity, portal_identity

logger = logging.getLogger(__name__)

FOLDER = "generated"
SHARE_SIZE = (1200, 630)
PLACEHOLDER_SIZE = (800, 450)
# Bumped when a drawing changes, so that every stored file is drawn again.
DRAWING_VERSION = "1"


def stored_drawing(
    folder: str, owner: str, inputs: str, draw: Callable[[], bytes], ext: str
) -> str:
    """The address of the stored drawing of ``owner`` for these ``inputs``, drawn and saved
    first if need be (then the owner's drawings from older inputs are removed)."""
    digest = hashlib.sha256(f"{DRAWING_VERSION}\n{inputs}".encode()).hexdigest()[:16]
    prefix = f"{owner}-"
    name = f"{folder}/{prefix}{digest}.{ext}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(draw()))
        _forget_others(folder, prefix, keep=name)
    return default_storage.url(name)


def _forget_others(folder: str, prefix: str, keep: str) -> None:
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file_name in files:
        path = f"{folder}/{file_name}"
        if file_name.startswith(prefix) and path != keep:
            default_storage.delete(path)


def encoded(image: Image.Image, kind: str = "PNG") -> bytes:
    """``image`` as a file of ``kind`` (PNG, WEBP, JPEG), optimised."""
    buffer = io.BytesIO()
    options = {"optimize": True} if kind == "PNG" else {"quality": 80}
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Roboto Medium at ``size`` px, from the font-roboto package (Apache 2.0): French
    needs its accents, which Pillow's own default font lacks; no system font is assumed."""
    try:
        with resources.as_file(resources.files("font_roboto") / "files/Roboto-Medium.ttf") as path:
            return ImageFont.truetype(str(path), size)
    except (ModuleNotFoundError, OSError):
        return ImageFont.load_default(size=size)


def fitted(
    pen: ImageDraw.ImageDraw, text: str, width: int, scale: float = 1.0, most_lines: int = 5
) -> tuple[Any, list[str]]:
    """The largest font (and its lines) at which ``text`` fits ``width``."""
    for size, chars in ((120, 16), (100, 20), (84, 24), (64, 32)):
        text_font = font(round(size * scale))
        lines = textwrap.wrap(text, width=chars)[:most_lines] or [" "]
        if max(pen.textlength(line, font=text_font) for line in lines) <= width:
            return text_font, lines
    return text_font, [textwrap.shorten(line, chars) for line in lines]


def draw_in_colours(identity: PortalIdentity, title: str, size: tuple[int, int]) -> bytes:
    """A PNG in the portal's accent colour: ``title`` large, the portal's name under it, in
    white (the accent colour is checked for white text, WCAG AA)."""
    width, height = size
    scale = min(width, height) / 1400
    canvas = Image.new("RGB", size, identity.accent_colour or DEFAULT_ACCENT_COLOUR)
    pen = ImageDraw.Draw(canvas)
    margin = round(120 * scale) if width == height else round(height * 0.1)
    lines_room = 5 if width == height else 3
    text_scale = scale if width == height else height / 900
    title_font, lines = fitted(pen, title, width - 2 * margin, text_scale, lines_room)
    y = margin * 2 if width == height else margin
    for line in lines:
        pen.text((margin, y), line, font=title_font, fill="white")
        y += int(title_font.size * 1.25)
    name_size = round(72 * text_scale)
    name_lines = textwrap.wrap(identity.name, width=28)[:2]
    top = height - margin - round(name_size * 1.17) * len(name_lines)
    bar = (margin, top - round(50 * text_scale), margin + round(200 * text_scale))
    pen.rectangle((*bar, top - round(38 * text_scale)), fill="white")
    for index, line in enumerate(name_lines):
        pen.text(
            (margin, top + index * round(name_size * 1.17)),
            line,
            font=font(name_size),
            fill="white",
        )
    return encoded(canvas)


def placeholder_url(accent: str | None = None) -> str:
    """The portal's picture for cards without a cover (a WebP skyline in its colours);
    ``accent``: the portal's colour when the caller has it at hand."""
    accent = accent or portal_identity().accent_colour or DEFAULT_ACCENT_COLOUR

    def draw() -> bytes:
        drawing = draw_cover(accent, seed=f"portail-{accent}", size=PLACEHOLDER_SIZE)
        with Image.open(io.BytesIO(drawing)) as picture:
            return encoded(picture, "WEBP")

    return stored_drawing(FOLDER, "cartes", accent, draw, "webp")


def share_image_url(page: Any, identity: PortalIdentity | None = None) -> str:
    """The 1,200 by 630 px sharing image of ``page``, a page without an image of its own
    (``identity``: the portal's, when the caller has it at hand)."""
    identity = identity or portal_identity()
    title = page.seo_title or page.title
    inputs = f"{identity.name}\n{identity.accent_colour}\n{title}"
    return stored_drawing(
        FOLDER,
        f"partage-{page.pk}",
        inputs,
        lambda: draw_in_colours(identity, title, SHARE_SIZE),
        "png",
    )
