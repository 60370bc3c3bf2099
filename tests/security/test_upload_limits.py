"""Images are measured before they are decoded: weight first, then the pixel count the
file's header announces. A small file can announce a huge image (a "decompression bomb":
a few kilobytes of PNG that decode to gigabytes of memory); such files are refused with a
French message and never decoded.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from classifieds.models import Classified
from core.photos import MAX_PIXELS
from tests.classifieds.conftest import SECTION, ad_form, outbox
from tests.conftest import logged_in

__all__ = ["outbox"]  # the fixture

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(width: int, height: int, complete: bool = True) -> bytes:
    """A grey PNG of ``width`` x ``height``: a few kilobytes for millions of pixels.

    ``complete=False`` keeps only the first rows: its header still announces the full
    size, and decoding it would fail with an error of its own.
    """
    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte, then one grey byte a pixel
    data = b"".join(packer.compress(row) for _ in range(height if complete else 8))
    data += packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def small_png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(output, format="PNG")
    return output.getvalue()


def test_a_classified_photo_announcing_too_many_pixels_is_refused_before_decoding(
    alpha, client_for, outbox
):
    # Truncated: were it decoded, the error would be "unreadable", not "too many pixels".
    bomb = SimpleUploadedFile("plage.png", png_bomb(9000, 9000, complete=False), "image/png")

    response = client_for(alpha).post(f"{SECTION}deposer/", ad_form(alpha, photos=[bomb]))

    assert response.status_code == 400
    assert "trop de pixels" in response.text
    assert "9000 sur 9000 pixels" in response.text
    with schema_context(alpha.schema_name):
        assert not Classified.objects.exists()


def test_a_classified_photo_too_heavy_is_refused_before_being_opened(alpha, client_for):
    heavy = SimpleUploadedFile("lourde.jpg", b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024))

    response = client_for(alpha).post(f"{SECTION}deposer/", ad_form(alpha, photos=[heavy]))

    assert response.status_code == 400
    assert "dépasse 5 Mo" in response.text


def test_a_small_classified_photo_is_accepted(alpha, client_for, outbox):
    photo = SimpleUploadedFile("velo.png", small_png(), "image/png")

    response = client_for(alpha).post(f"{SECTION}deposer/", ad_form(alpha, photos=[photo]))

    assert response.status_code == 302


@pytest.fixture
def animator_browser(alpha, animator_of, client_for):
    return logged_in(client_for(alpha), animator_of(alpha))


def upload_image(browser, portal, name: str, content: bytes):
    with schema_context(portal.schema_name):
        root = Collection.get_first_root_node()
    return browser.post(
        "/admin/images/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": root.pk},
    )


def images_titled(portal, title: str) -> list:
    with schema_context(portal.schema_name):
        return list(get_image_model().objects.filter(title=title))


def test_an_animator_cannot_upload_an_image_of_more_pixels_than_the_photos_allow(
    alpha, animator_browser
):
    side = 8000  # 64 million pixels: under Wagtail's default limit, over the portal's
    assert side * side > MAX_PIXELS

    response = upload_image(animator_browser, alpha, "bombe.png", png_bomb(side, side))

    assert response.status_code == 200  # the form again, with its error
    assert "trop grand nombre de pixels" in response.text
    assert images_titled(alpha, "bombe.png") == []


def test_an_animator_can_upload_an_ordinary_image(alpha, animator_browser):
    response = upload_image(animator_browser, alpha, "affiche.png", small_png())

    assert response.status_code == 302
    assert len(images_titled(alpha, "affiche.png")) == 1
