"""Photos visitors send (with an ad, a proposal): checked, re-encoded without metadata,
never stored as sent.

Only JPEG, PNG and WebP are accepted, at most 5 MB and 40 million pixels each, both
checked before the image is decoded. Every photo is decoded and
encoded again as JPEG by Pillow: what is stored holds pixels only (no EXIF position,
no comment, no payload hidden after the image), turned upright and at most 1600 px wide.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
# Refuse images that would take too much memory to decode (decompression bombs).
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


def clean_photo(upload: UploadedFile) -> ContentFile:
    """The photo re-encoded as a clean JPEG, or a ValidationError in French.

    Measured before it is decoded: its weight, then the size its header announces (Pillow's
    ``open`` reads the header only), so that a small file announcing a huge image is
    refused without the memory its pixels would take.
    """
    name = upload.name or _("sans nom")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("La photo « %(name)s » dépasse 5 Mo. Réduisez-la avant de l'envoyer."),
            params={"name": name},
            code="too_big",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                image = Image.open(upload)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
                raise _too_many_pixels(name) from error
            if image.format not in ACCEPTED_FORMATS:
                raise UnidentifiedImageError(image.format)
            if image.width * image.height > MAX_PIXELS:
                raise _too_many_pixels(name, image.size)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise ValidationError(
            _(
                "Le fichier « %(name)s » n'est pas une photo lisible. "
                "Envoyez une image JPEG, PNG ou WebP."
            ),
            params={"name": name},
            code="not_an_image",
        ) from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode != "RGB":
        # JPEG has no transparency: lay transparent images on white.
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85, optimize=True)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _too_many_pixels(name: str, size: tuple[int, int] | None = None) -> ValidationError:
    if size is None:
        message = _(
            "La photo « %(name)s » a trop de pixels (40 millions au plus). "
            "Réduisez-la avant de l'envoyer."
        )
        return ValidationError(message, params={"name": name}, code="too_many_pixels")
    message = _(
        "La photo « %(name)s » a trop de pixels (%(width)d sur %(height)d pixels, "
        "40 millions au plus). Réduisez-la avant de l'envoyer."
    )
    params = {"name": name, "width": size[0], "height": size[1]}
    return ValidationError(message, params=params, code="too_many_pixels")


# What reading a stored photo again may raise when its file is lost or damaged (a missing
# file and a file Pillow cannot identify or finish are ``OSError``s).
UNREADABLE_PHOTO_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
)


def scaled_copy(photo: ContentFile, width: int) -> ContentFile:
    """A WebP copy of ``photo`` (a photo ``clean_photo`` gave) at most ``width`` px wide,
    under a name of its own: listings show it instead of the photo of up to 1600 px."""
    photo.seek(0)
    with Image.open(photo) as image:
        image.thumbnail((width, width * 4))
        output = io.BytesIO()
        image.save(output, format="WEBP", quality=80)
    photo.seek(0)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}-{width}.webp")
