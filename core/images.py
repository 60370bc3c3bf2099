"""Images of listings, fetched with their renditions in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model

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
    and their renditions in one more, to the attribute Wagtail's ``{% image %}`` looks in
    first (``prefetched_renditions``): a listing with images costs two queries whatever the
    number of items. ``specs`` must be the filter specs the template uses, e.g.
    ``"fill-400x225"``.
    """
    return queryset.select_related(field).prefetch_related(RenditionsPrefetch(field, specs))


def renditions_apart(queryset: QuerySet) -> tuple[QuerySet, list[RenditionsPrefetch]]:
    """``queryset`` without its ``with_renditions`` prefetches, and those prefetches: the
    caller reads the rows, then every listing's renditions at once (``attach_renditions``
    with ``images_of``)."""
    lookups = queryset._prefetch_related_lookups
    apart = [lookup for lookup in lookups if isinstance(lookup, RenditionsPrefetch)]
    if not apart:
        return queryset, []
    kept = [lookup for lookup in lookups if not isinstance(lookup, RenditionsPrefetch)]
    return queryset.prefetch_related(None).prefetch_related(*kept), apart


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


def attach_renditions(images: Iterable[tuple[Any, Iterable[str]]]) -> None:
    """Give each image its existing renditions at its specs (where ``{% image %}`` looks
    first), for every image in one query; a rendition still missing is made by Wagtail
    when the template asks for it, as usual."""
    by_id: dict[int, list] = defaultdict(list)
    specs: set[str] = set()
    for image, image_specs in images:
        by_id[image.pk].append(image)
        specs.update(image_specs)
    if not by_id:
        return
    renditions: dict[int, list] = defaultdict(list)
    found = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(image_id__in=list(by_id), filter_spec__in=sorted(specs))
    )
    for rendition in found:
        renditions[rendition.image_id].append(rendition)
    for image_id, same_images in by_id.items():
        for image in same_images:
            for rendition in renditions[image_id]:
                # As the ORM's prefetch does: each rendition knows its image.
                rendition.image = image
            setattr(image, RENDITIONS_ATTRIBUTE, list(renditions[image_id]))
