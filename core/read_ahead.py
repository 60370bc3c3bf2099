"""What a page shows beside its own fields, read before it renders in one round trip.

Every cache off, an article used to ask the database one question after another while its
template rendered: its cover, its categories, tags and actors, whether its reactions are
closed, its reactions, the credit of its proposal, the young people credited, the
footer's partners and their logos (15 queries in all). Here the page says what it will
show (``PortalPage.readings``: its relations and cover) and each feature what it adds to it
(``PAGE_READINGS`` hooks), as querysets; they are read together in one query
(``core.latest.read_together``, ``core.combined_queries``) in the page's ``get_context``,
and each feature finds its items on the request (``read_ahead``). What was not read ahead
(a sub-view, a page of another base class) is asked of the database as before, so a page
shows the same thing either way.

Relations are put where Django's managers look first (the prefetch cache, as
``prefetch_related`` does), a foreign key's object where its descriptor does, and an
image's renditions where Wagtail's do (``prefetched_renditions``): templates and features
keep their code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from wagtail import hooks
from wagtail.images import get_image_model

from core.extension_points import PAGE_READINGS
from core.images import RENDITIONS_ATTRIBUTE
from core.latest import Reading, read_together
from core.reading_memo import built_once

# Where a request keeps what its page read ahead, by key, and which page that was.
ATTRIBUTE = "_quartiers_read_ahead"
PAGE_ATTRIBUTE = "_quartiers_read_ahead_page"


def feature_readings(page: Model, request: HttpRequest | None) -> dict[str, Reading]:
    """What every feature adds to ``page`` (``PAGE_READINGS``), by key."""
    readings: dict[str, Reading] = {}
    for hook in hooks.get_hooks(PAGE_READINGS):
        readings.update(hook(page, request) or {})
    return readings


def read_page_ahead(
    page: Model,
    request: HttpRequest | None,
    own: Mapping[Any, Reading] | None = None,
    images: Sequence[tuple[Any, Sequence[str]]] = (),
) -> dict[Any, Sequence]:
    """Read ``own`` readings (the page's, or the home page's blocks'), the features' for
    ``page`` and ``images``' renditions together: one round trip for every queryset and the
    renditions of the listings and ``images``. The features' items are kept on
    ``request`` for ``read_ahead``; the items of ``own`` are returned, by key."""
    if request is not None:
        setattr(request, PAGE_ATTRIBUTE, page.pk)
    return _read_and_keep(request, own, feature_readings(page, request), images)


def read_shown_pages_ahead(
    pages: Sequence[Model],
    request: HttpRequest | None,
    own: Mapping[Any, Reading] | None = None,
) -> dict[Any, Sequence]:
    """Read what the features add to each of ``pages``, shown whole inside the request's
    page (a journal issue's pieces, with their credits), with ``own`` readings for them
    (their photos): one round trip for all of them, instead of a few queries a piece while
    the template renders. Kept on ``request`` as ``read_page_ahead`` keeps the page's;
    what the request's page read already is not read again. The items of ``own`` are
    returned, by key."""
    kept = getattr(request, ATTRIBUTE, None) or {}
    features: dict[str, Reading] = {}
    for page in pages:
        features.update(feature_readings(page, request))
    fresh = {key: reading for key, reading in features.items() if key not in kept}
    return _read_and_keep(request, own, fresh)


def _read_and_keep(
    request: HttpRequest | None,
    own: Mapping[Any, Reading] | None,
    features: Mapping[str, Reading],
    images: Sequence[tuple[Any, Sequence[str]]] = (),
) -> dict[Any, Sequence]:
    readings: dict[Any, Reading] = {("own", key): reading for key, reading in (own or {}).items()}
    readings.update({("feature", key): reading for key, reading in features.items()})
    if not readings and not images:
        return {}
    found = read_together(readings, images)
    if request is not None:
        kept = getattr(request, ATTRIBUTE, None)
        if kept is None:
            kept = {}
            setattr(request, ATTRIBUTE, kept)
        kept.update({key: items for (side, key), items in found.items() if side == "feature"})
    return {key: items for (side, key), items in found.items() if side == "own"}


def was_read_ahead(request: HttpRequest | None, page: Model) -> bool:
    """Whether ``page``'s readings were read for ``request`` already (the home page reads
    them with its blocks')."""
    return request is not None and getattr(request, PAGE_ATTRIBUTE, None) == page.pk


def read_ahead(request: HttpRequest | None, key: str) -> Sequence | None:
    """The items a feature's reading ``key`` gave for the request's page, or None when
    it was not read ahead (then ask the database)."""
    kept = getattr(request, ATTRIBUTE, None) if request is not None else None
    return None if kept is None else kept.get(key)


def relations_reading(instance: Model, names: Sequence[str]) -> Reading:
    """The many-to-many relations (taggit's tags too) ``names`` of ``instance``, read
    ahead and put where their managers look first: ``instance.categories.all()`` then
    asks nothing."""
    managers = []
    for name in names:
        manager = getattr(instance, name)
        # modelcluster's managers defer to Django's (or taggit's) own, which read the cache.
        original = (
            manager.get_original_manager() if hasattr(manager, "get_original_manager") else manager
        )
        managers.append(original)
    querysets = [manager.get_queryset() for manager in managers]

    def items(rows: list[list]) -> Sequence:
        cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
        for manager, queryset, found in zip(managers, querysets, rows, strict=True):
            # As ``prefetch_related`` leaves it: a queryset whose rows are already read.
            queryset._result_cache = found
            queryset._prefetch_done = True
            cache[manager.prefetch_cache_name] = queryset
        return rows

    return Reading(querysets, items)


def _image_querysets(image_id: int) -> Reading:
    image_model = get_image_model()
    querysets = [
        image_model.objects.filter(pk=image_id),
        image_model.get_rendition_model().objects.filter(image_id=image_id),
    ]
    return Reading(querysets, lambda rows: rows)


def image_reading(instance: Model, field: str) -> Reading | None:
    """The image ``instance.<field>`` points to and every rendition of it, read ahead:
    the picture and its sharing image then ask nothing. All of them, so that Wagtail,
    which trusts prefetched renditions to be complete, never makes one that exists."""
    image_id = getattr(instance, f"{field}_id", None)
    if image_id is None:
        return None
    querysets = built_once("image_reading", image_id, lambda: _image_querysets(image_id)).querysets

    def items(rows: list[list]) -> Sequence:
        images, renditions = rows
        if not images:
            return rows  # gone meanwhile: the descriptor will say so, as before
        image = images[0]
        for rendition in renditions:
            rendition.image = image
        setattr(image, RENDITIONS_ATTRIBUTE, renditions)
        instance._meta.get_field(field).set_cached_value(instance, image)
        return rows

    return Reading(querysets, items)
