"""Images of listings, fetched with their renditions in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch
from wagtail.images import get_image_model


def with_renditions(field: str, *specs: str) -> Prefetch:
    """Prefetch the image foreign key ``field`` with its renditions for ``specs``.

    ``select_related`` alone fetches the images but each ``{% image %}`` then looks up its
    rendition: one query per item. With this, a listing's images cost two queries (the
    images, their renditions) whatever the number of items. ``specs`` must be the filter
    specs the template uses, e.g. ``"fill-400x225"``.
    """
    images = get_image_model().objects.prefetch_renditions(*specs)
    return Prefetch(field, queryset=images)
