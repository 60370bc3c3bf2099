"""Our ``<picture>`` and ``<img>`` tags are Wagtail's own, to the character
(``core.picture_html`` only writes them faster): every layout of formats and widths, with
attributes to escape, set to True, False or None."""

import pytest
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model
from wagtail.images.models import Picture

from core.picture_html import attributes, img_html, picture_html


def _renditions(*specs: str, title: str = 'Le "marché" <de> l\'été & co') -> dict:
    image = get_image_model()(title=title, width=1600, height=900, collection_id=1)
    found = {}
    for number, spec in enumerate(specs):
        rendition = image.get_rendition_model()(
            image=image, filter_spec=spec, width=400 * (number + 1), height=225 * (number + 1)
        )
        rendition.file.name = f"images/photo.{spec.replace('|', '.')}.img"
        found[spec] = rendition
    return found


ATTRS = [
    {},
    {"alt": "", "sizes": "100vw", "decoding": "async", "loading": "lazy"},
    {"alt": 'Des "guillemets" & <chevrons>', "sizes": "(min-width: 40rem) 22rem, 100vw"},
    {"class": "placeholder wide", "hidden": True, "inert": False, "title": None},
]

SPECS = [
    ("fill-400x225|format-webp", "fill-400x225|format-jpeg"),
    (
        "fill-400x225|format-avif",
        "fill-800x450|format-avif",
        "fill-400x225|format-webp",
        "fill-400x225|format-jpeg",
        "fill-800x450|format-webp",
        "fill-800x450|format-jpeg",
    ),
    ("fill-400x225|format-webp", "fill-800x450|format-webp"),
    ("width-480", "width-960", "width-1440"),
    ("height-64",),
]


@pytest.mark.parametrize("specs", SPECS)
@pytest.mark.parametrize("attrs", ATTRS)
def test_a_picture_is_written_as_wagtail_writes_it(specs, attrs):
    renditions = _renditions(*specs)

    assert picture_html(renditions, dict(attrs)) == Picture(renditions, dict(attrs)).__html__()


@pytest.mark.parametrize("attrs", [None, *ATTRS])
def test_an_img_is_written_as_wagtail_writes_it(attrs):
    [rendition] = _renditions("height-64").values()

    expected = rendition.img_tag(dict(attrs) if attrs is not None else None)
    assert img_html(rendition, dict(attrs) if attrs is not None else None) == expected


def test_attributes_are_flatatt_text():
    attrs = {
        "b": 2,
        "a": "x<y & 'z' \"w\"",
        "c": True,
        "d": False,
        "e": None,
        "f": 0,
        "g": "",
        "h": mark_safe("<déjà> &amp;"),
        "i": gettext_lazy("Rechercher"),
        "j": 2.5,
    }
    assert attributes(attrs) == flatatt(attrs)
