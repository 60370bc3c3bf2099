"""Pictures of pages and listings: responsive renditions, fetched in a fixed number of queries.

Every picture is served as Wagtail's ``<picture>``: WebP, then JPEG for older browsers,
each at a few widths with a ``sizes`` attribute, so a 360 px phone downloads a 400 px WebP
instead of the original. A ``Shape`` names the widths and the ``sizes`` of one place in the
layout (a card, the lead story, a figure in an article, a square artwork); templates use it
through ``{% picture_of %}`` (``core/templatetags/pictures.py``), listings prefetch its
renditions with ``with_renditions(queryset, field, *shape_specs("card"))``.

AVIF comes third, made off the request: it is lighter (a cover of 800 by 450 px: 3.7 kB,
against 6.2 kB in WebP and 28 kB in JPEG) but about thirty times slower to write (0.9 s a
rendition, against 0.03 s for WebP). WebP and JPEG renditions are written on the first
view that asks for them, as Wagtail does; a cold home page with a few dozen pictures would
take tens of seconds if AVIF were made the same way. So a view that finds a picture
without its AVIF copies asks a background task for them (``core.avif``) and serves WebP
meanwhile; the views after the task list an AVIF source first.
"""

from __future__ import annotations

import functools
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, SourceImageIOError

# Made on the view that needs them: WebP, and JPEG for the browsers without WebP.
FORMATS: tuple[str, ...] = ("webp", "jpeg")
# Made by a background task once a view has needed the picture (see above).
LATER_FORMAT = "avif"


@dataclass(frozen=True)
class Shape:
    """One place of a picture in the layout: its resize filters, widest last, and the
    ``sizes`` attribute saying how wide it shows (so the browser picks the width)."""

    resizes: tuple[str, ...]
    sizes: str

    def specs(self) -> list[str]:
        """The filter specs of the renditions made on the view that needs them, e.g.
        ``fill-400x225|format-webp``."""
        return Filter.expand_spec(f"{{{','.join(self.resizes)}}}|format-{{{','.join(FORMATS)}}}")

    def later_specs(self) -> list[str]:
        """The filter specs of the AVIF renditions a background task makes."""
        return Filter.expand_spec(f"{{{','.join(self.resizes)}}}|format-{LATER_FORMAT}")


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
    """The rendition specs of the shapes ``names``, AVIF included, for ``with_renditions``."""
    return [spec for name in names for spec in [*SHAPES[name].specs(), *SHAPES[name].later_specs()]]


@functools.lru_cache(maxsize=256)
def filter_for(spec: str) -> Filter:
    """Wagtail's ``Filter`` for ``spec``, made once a process. A filter holds only its spec
    and its parsed operations; parsing them (``inspect.getcallargs`` for each operation)
    was profiled at a few milliseconds a cold home page, for nine pictures of the same
    few specs each time."""
    return Filter(spec)


def renditions_of(
    image: AbstractImage, shape: Shape, look_for_later: bool = True
) -> tuple[dict[str, AbstractRendition], bool]:
    """``image``'s renditions at ``shape`` for a ``<picture>``, and whether its AVIF copies
    are still to be made.

    Like Wagtail's ``get_renditions`` (prefetched renditions, then the cache, then one
    query; the missing WebP and JPEG ones written now) with the AVIF ones looked up in the
    same pass but never written here: they are listed only when every width exists, so a
    browser never gets a half-filled AVIF source. Without ``look_for_later`` (AVIF off, or
    already asked of the worker) they are not looked for: a picture whose WebP and JPEG
    are in the cache then costs no query.
    """
    made_now = [filter_for(spec) for spec in shape.specs()]
    later = [filter_for(spec) for spec in shape.later_specs()] if look_for_later else []
    try:
        found = image.find_existing_renditions(*made_now, *later)
        missing = [spec for spec in made_now if spec not in found]
        created = image.create_renditions(*missing)
    except SourceImageIOError:
        rendition = image.renditions.model(image=image, width=0, height=0)
        rendition.file.name = "not-found"
        return {spec.spec: rendition for spec in made_now}, False
    found.update(created)
    rendition_model = image.get_rendition_model()
    rendition_model.cache_backend.set_many(
        {
            rendition_model.construct_cache_key(image, spec.get_cache_key(image), spec.spec): (
                rendition
            )
            for spec, rendition in found.items()
            if not getattr(rendition, "_from_cache", False)
        }
    )
    renditions = {spec.spec: found[spec] for spec in made_now}
    later_found = [spec for spec in later if spec in found]
    if not look_for_later or len(later_found) < len(later):
        return renditions, look_for_later
    # AVIF first: Wagtail's ``Picture`` orders the sources itself, avif before webp.
    return {**{spec.spec: found[spec] for spec in later}, **renditions}, False


# Where Wagtail's ``{% image %}`` looks first for an image's renditions.
RENDITIONS_ATTRIBUTE = "prefetched_renditions"


class RenditionsPrefetch(Prefetch):
    """The renditions of the images a listing's rows point to (``field``), at ``specs``:
    a ``Prefetch`` that says what it fetches, so that a page reading several listings
    together fetches all their renditions in one query (``renditions_apart``)."""

    def __init__(self, field: str, specs: Iterable[str]) -> None:
        self.field = field
        self.specs = tuple(specs)
        renditions = (
            get_image_model().get_rendition_model().objects.filter(filter_spec__in=self.specs)
        )
        super().__init__(f"{field}__renditions", queryset=renditions, to_attr=RENDITIONS_ATTRIBUTE)


def with_renditions(queryset: QuerySet, field: str, *specs: str) -> QuerySet:
    """``queryset`` with the image foreign key ``field`` and its renditions for ``specs``.

    ``select_related`` alone fetches the images but each ``{% image %}`` then looks up its
    rendition: one query per item. Here the images come in the listing's own query (a join)
    and their renditions in one more, to the attribute Wagtail's ``{% image %}`` and
    ``{% picture_of %}`` look in first (``prefetched_renditions``): a listing with images
    costs two queries whatever the number of items. ``specs`` must be the filter specs the
    template uses, e.g. ``*shape_specs("card")``.
    """
    return queryset.select_related(field).prefetch_related(RenditionsPrefetch(field, specs))


def renditions_apart(queryset: QuerySet) -> tuple[QuerySet, list[RenditionsPrefetch]]:
    """``queryset`` without its ``with_renditions`` prefetches, and those prefetches: the
    caller reads the rows, then every listing's renditions at once (``attach_renditions``
    with ``images_of``). The same answer (the same queryset object) for the same
    ``queryset`` object: a reading kept between requests (``core.reading_memo``) then
    keeps its compilation too (``core.combined_queries``)."""
    found = _apart.get(queryset)
    if found is not None:
        return found
    lookups = queryset._prefetch_related_lookups
    apart = [lookup for lookup in lookups if isinstance(lookup, RenditionsPrefetch)]
    if not apart:
        return queryset, []
    kept = [lookup for lookup in lookups if not isinstance(lookup, RenditionsPrefetch)]
    found = (queryset.prefetch_related(None).prefetch_related(*kept), apart)
    _apart[queryset] = found
    return found


# ``renditions_apart``'s answers, for as long as their queryset lives.
_apart: weakref.WeakKeyDictionary[QuerySet, tuple[QuerySet, list[RenditionsPrefetch]]] = (
    weakref.WeakKeyDictionary()
)


def images_of(rows: Iterable[Any], apart: Iterable[RenditionsPrefetch]) -> list[tuple]:
    """(image, specs) of each row's image named by each of ``apart`` (none when unset)."""
    found = []
    for prefetch in apart:
        for row in rows:
            image = row
            for name in prefetch.field.split("__"):
                image = getattr(image, name, None) if image is not None else None
            if image is not None:
                found.append((image, prefetch.specs))
    return found


def chooses_the_same_rows_again(queryset: QuerySet) -> bool:
    """Whether ``queryset`` asked again as a subquery surely chooses the same rows: it is
    not cut (no ``LIMIT``), or its order ends with its primary key. Cut after an order with
    ties, PostgreSQL may break them otherwise in a subquery planned apart (the featured
    actors, all of one name: the subquery's three were not the listing's three)."""
    query = queryset.query
    if not query.is_sliced:
        return True
    ordering = list(query.order_by) or (
        list(query.get_meta().ordering) if query.default_ordering else []
    )
    if not ordering or not isinstance(ordering[-1], str):
        return False
    last = ordering[-1].lstrip("-")
    meta = query.get_meta()
    return last in ("pk", meta.pk.name, meta.pk.attname)


def renditions_of_rows(
    queryset: QuerySet, apart: Iterable[RenditionsPrefetch]
) -> list[QuerySet] | None:
    """The renditions ``apart`` (``renditions_apart``'s answer for ``queryset``: the
    querysets are kept by ``queryset`` alone) would give ``queryset``'s rows, as querysets
    of their own whose subquery chooses the rows' images: read in the same round trip as
    ``queryset`` (``core.combined_queries``), not in one more once its rows are known. None
    when the subquery might choose other rows (``chooses_the_same_rows_again``): then read
    them once the rows are known (``attach_renditions``). The same querysets for the same
    ``queryset`` object (a kept reading's)."""
    if not chooses_the_same_rows_again(queryset):
        return None
    found = _of_rows.get(queryset)
    if found is None:
        rendition_model = get_image_model().get_rendition_model()
        found = [
            rendition_model.objects.filter(
                image_id__in=queryset.values(prefetch.field),
                filter_spec__in=sorted(prefetch.specs),
            )
            for prefetch in apart
        ]
        _of_rows[queryset] = found
    return found


_of_rows: weakref.WeakKeyDictionary[QuerySet, list[QuerySet]] = weakref.WeakKeyDictionary()


def renditions_of_images(images: Iterable[tuple[Any, Iterable[str]]]) -> QuerySet | None:
    """The renditions of ``images`` ((image, specs) already at hand) at their specs, as a
    queryset to read with others; None without an image."""
    images = list(images)
    if not images:
        return None
    specs = sorted({spec for _image, image_specs in images for spec in image_specs})
    ids = sorted({image.pk for image, _specs in images})
    return (
        get_image_model()
        .get_rendition_model()
        .objects.filter(image_id__in=ids, filter_spec__in=specs)
    )


def attach_renditions(
    images: Iterable[tuple[Any, Iterable[str]]], found: Iterable[AbstractRendition] | None = None
) -> None:
    """Give each image its existing renditions at its specs (where ``{% image %}`` looks
    first): those ``found`` already (read with other rows: ``renditions_of_rows``,
    ``renditions_of_images``), else read for every image in one query; a rendition still
    missing is made by Wagtail when the template asks for it, as usual."""
    images = list(images)
    by_id: dict[int, list] = defaultdict(list)
    for image, _specs in images:
        by_id[image.pk].append(image)
    if not by_id:
        return
    renditions: dict[int, list] = defaultdict(list)
    if found is None:
        found = renditions_of_images(images)
    else:
        # An image listed twice had its renditions read twice: each one once.
        found = {rendition.pk: rendition for rendition in found}.values()
    for rendition in found:
        renditions[rendition.image_id].append(rendition)
    for image_id, same_images in by_id.items():
        for image in same_images:
            for rendition in renditions[image_id]:
                # As the ORM's prefetch does: each rendition knows its image.
                rendition.image = image
            setattr(image, RENDITIONS_ATTRIBUTE, list(renditions[image_id]))
