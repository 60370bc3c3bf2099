"""Pictures of pages and listings: responsive renditions, fetched in a fixed number of queries.

Every picture is served as Wagtail's ``<picture>``: AVIF (when this Pillow can write it),
WebP, then JPEG for older browsers, each at a few widths with a ``sizes`` attribute, so a
360 px phone downloads a 400 px WebP or AVIF instead of the original. A ``Shape`` names
the widths and the ``sizes`` of one place in the layout (a card, the lead story, a figure
in an article, a square artwork); templates use it through ``{% picture_of %}``
(``core/templatetags/pictures.py``), listings prefetch its renditions with
``with_renditions(queryset, field, *shape_specs("card"))``.

AVIF is the lightest (a cover of 800 by 450 px: 3.7 kB, against 6.2 kB in WebP and 28 kB
in JPEG) but the slowest to write (about 0.9 s, against 0.03 s for WebP): each rendition
is written once, on the first page that shows it, then read from the rendition table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from PIL import features
from wagtail.images import get_image_model
from wagtail.images.models import Filter

FORMATS: tuple[str, ...] = ("avif", "webp", "jpeg") if features.check("avif") else ("webp", "jpeg")


@dataclass(frozen=True)
class Shape:
    """One place of a picture in the layout: its resize filters, widest last, and the
    ``sizes`` attribute saying how wide it shows (so the browser picks the width)."""

    resizes: tuple[str, ...]
    sizes: str

    def specs(self) -> list[str]:
        """The filter specs of every rendition, e.g. ``fill-400x225|format-webp``."""
        return Filter.expand_spec(f"{{{','.join(self.resizes)}}}|format-{{{','.join(FORMATS)}}}")


SHAPES: dict[str, Shape] = {
    # A card in a grid: the full width of a phone, a column from 40rem up.
    "card": Shape(("fill-400x225", "fill-800x450"), "(min-width: 40rem) 22rem, 100vw"),
    # The lead story: the full width of a phone, half the page on a wide screen.
    "lead": Shape(
        ("fill-400x225", "fill-800x450", "fill-1200x675"), "(min-width: 48rem) 36rem, 100vw"
    ),
    # A picture in the flow of an article (the text column is at most 46rem wide).
    "figure": Shape(("width-480", "width-960", "width-1440"), "(min-width: 48rem) 46rem, 100vw"),
    # Square artwork of a show or an episode.
    "square": Shape(("fill-160x160", "fill-320x320"), "10rem"),
    # A portrait or logo beside a text.
    "thumb": Shape(("fill-120x120", "fill-240x240"), "7.5rem"),
    # A home page's hero block, across the page.
    "hero": Shape(("fill-600x250", "fill-1200x500"), "100vw"),
    # The portal's banner, across the page.
    "banner": Shape(("fill-800x200", "fill-1600x400"), "100vw"),
}


def shape_specs(*names: str) -> list[str]:
    """The rendition specs of the shapes ``names``, for ``with_renditions``."""
    return [spec for name in names for spec in SHAPES[name].specs()]


def with_renditions(queryset: QuerySet, field: str, *specs: str) -> QuerySet:
    """``queryset`` with the image foreign key ``field`` and its renditions for ``specs``.

    ``select_related`` alone fetches the images but each ``{% image %}`` then looks up its
    rendition: one query per item. Here the images come in the listing's own query (a join)
    and their renditions in one more, to the attribute Wagtail's ``{% image %}`` and
    ``{% picture_of %}`` look in first (``prefetched_renditions``): a listing with images
    costs two queries whatever the number of items. ``specs`` must be the filter specs the
    template uses, e.g. ``*shape_specs("card")``.
    """
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return queryset.select_related(field).prefetch_related(
        Prefetch(f"{field}__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )
