"""Renditions remembered for the test session (``tests/rendition_memo.py``) are the ones
Wagtail draws, and only for the same original, spec and crop."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django_tenants.utils import schema_context
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from core.demo_images import draw_cover
from tests import rendition_memo

pytestmark = pytest.mark.django_db


def picture(accent: str, title: str, **fields: object):
    """An image of the portal the connection is on, holding a drawn cover."""
    drawn = draw_cover(accent, "memo")
    return get_image_model().objects.create(
        title=title, file=ImageFile(BytesIO(drawn), name=f"{title}.jpg"), **fields
    )


def drawn_by_wagtail(image, spec: str) -> bytes:
    """The rendition's bytes as Wagtail's own ``Filter.run`` draws them, no memo."""
    output = BytesIO()
    rendition_memo.wagtail_run(Filter(spec=spec), image, output).f.seek(0)
    output.seek(0)
    return output.read()


def bytes_of(rendition) -> bytes:
    with rendition.file.open("rb") as opened:
        return opened.read()


def test_a_second_identical_picture_gets_the_remembered_rendition_byte_for_byte(alpha):
    spec = "fill-400x225|format-webp"
    with schema_context(alpha.schema_name):
        first = picture("#1d4f91", "premiere").get_rendition(spec)
        hits = rendition_memo.hits
        second_image = picture("#1d4f91", "seconde")
        second = second_image.get_rendition(spec)

        assert rendition_memo.hits == hits + 1, "the second rendition was drawn again"
        assert bytes_of(second) == bytes_of(first) == drawn_by_wagtail(second_image, spec)
        assert (second.width, second.height) == (400, 225)
        assert second.file.name != first.file.name  # each image keeps its own file


def test_another_crop_or_original_is_never_served_from_the_memo(alpha):
    spec = "fill-200x200"  # a square from a wide picture: the focal point decides the crop
    with schema_context(alpha.schema_name):
        centred = picture("#1d4f91", "centre")
        on_the_left = picture(
            "#1d4f91",
            "gauche",
            focal_point_x=100,
            focal_point_y=300,
            focal_point_width=50,
            focal_point_height=50,
        )
        other_colour = picture("#9c2f2f", "autre")
        renditions = [image.get_rendition(spec) for image in (centred, on_the_left, other_colour)]

        drawn = [bytes_of(rendition) for rendition in renditions]
        assert len(set(drawn)) == 3
        assert drawn[1] == drawn_by_wagtail(on_the_left, spec)
        assert drawn[2] == drawn_by_wagtail(other_colour, spec)
