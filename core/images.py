"""Images of listings, fetched with their renditions in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model


def with_renditions(queryset: QuerySet, field: str, *specs: str) -> QuerySet:
    """``queryset`` with the image foreign key ``field`` and its renditions for ``specs``.

    ``select_related`` alone fetches the images but each ``{% image %}`` then looks up its
    rendition: one query per item. Here the images come in the listing's own query (a join)
    and their renditions in one more, to the attribute Wagtail's ``{% image %}`` looks in
    first (``prefetched_renditions``): a listing with images costs two queries whatever the
    number of items. ``specs`` must be the filter specs the template uses, e.g.
    ``"fill-400x225"``.
    """
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return queryset.select_related(field).prefetch_related(
        Prefetch(f"{field}__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )
