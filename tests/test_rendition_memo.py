"""Renditions remembered for the test session (``tests/rendition_memo.py``) are the ones
Wagtail draws, and only for the same original, spec and crop."""

from __future__ import annotations

import os
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


def test_a_rendition_drawn_by_another_process_or_run_is_read_from_the_disk(alpha):
    spec = "fill-300x300|format-webp"
    with schema_context(alpha.schema_name):
        image = picture("#2e6b3f", "disque")
        drawn = image.get_rendition(spec)
        # What another process finds: nothing in its own memo, the folder on disk.
        rendition_memo._memo.clear()
        hits = rendition_memo.hits
        again = picture("#2e6b3f", "disque-ailleurs").get_rendition(spec)

        assert rendition_memo.hits == hits + 1, "the rendition kept on disk was drawn again"
        assert bytes_of(again) == bytes_of(drawn) == drawn_by_wagtail(image, spec)
        assert (again.width, again.height) == (300, 300)


def test_the_disk_keeps_the_renditions_read_last_within_its_bound(tmp_path):
    for number in range(4):
        rendition_memo._keep_on_disk(("cle", number), bytes(1000), "webp", tmp_path)
    for number in range(4):  # the first written read longest ago
        os.utime(rendition_memo._disk_path(("cle", number), tmp_path), (number, number))
    assert len(list(tmp_path.glob("*.rendition"))) == 4
    # Read: now the newest.
    assert rendition_memo._on_disk(("cle", 0), tmp_path) == (bytes(1000), "webp")

    rendition_memo.trim_disk(limit=2100, folder=tmp_path)

    assert rendition_memo._on_disk(("cle", 0), tmp_path) is not None
    assert rendition_memo._on_disk(("cle", 3), tmp_path) is not None
    assert rendition_memo._on_disk(("cle", 1), tmp_path) is None
    assert rendition_memo._on_disk(("cle", 2), tmp_path) is None
