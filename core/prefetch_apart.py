"""A listing's ``prefetch_related`` of its rows' children, read in the listing's round trip.

Django reads a ``prefetch_related("photos")`` once the listing's rows are known: one more
query, after the page's combined read (``core.combined_queries``), through Django's
prefetch machinery (a twentieth of a cold home page with its ads, issue 25 §2). Here such
a lookup (a plain one-to-many relation of the listing's model, one level) is taken out of
the listing and asked as a queryset of its own, whose subquery chooses the listing's rows
(``photo.classified_id IN (SELECT id FROM <the listing>)``; only when that subquery surely
chooses the same rows: ``core.images.chooses_the_same_rows_again``), read in the same
round trip;
each row then gets its children where Django's manager looks first (the prefetch cache),
each child its parent, as Django's prefetch leaves them. Other lookups (nested, many to
many, ``Prefetch`` objects) stay with the listing and are read by Django as before.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.fields.reverse_related import ManyToOneRel

from core.images import chooses_the_same_rows_again


@dataclass(frozen=True)
class ChildrenApart:
    """A listing's one-to-many prefetch taken apart: the relation's name on the listing's
    model, and the queryset of the children of the listing's rows."""

    name: str
    relation: ManyToOneRel
    children: QuerySet

    def attach(self, rows: Iterable[Model], children: Sequence[Model]) -> None:
        """Give each of ``rows`` its ``children`` (read from ``self.children``) where
        ``row.<name>.all()`` finds them without a query."""
        field = self.relation.field
        by_parent: defaultdict[object, list[Model]] = defaultdict(list)
        for child in children:
            by_parent[getattr(child, field.attname)].append(child)
        for row in rows:
            found = by_parent.get(row.pk, [])
            for child in found:
                field.set_cached_value(child, row)
            manager = getattr(row, self.name)
            queryset = manager.get_queryset()
            queryset._result_cache = found
            queryset._prefetch_done = True
            row.__dict__.setdefault("_prefetched_objects_cache", {})[self.relation.cache_name] = (
                queryset
            )


def children_apart(queryset: QuerySet) -> tuple[QuerySet, list[ChildrenApart]]:
    """``queryset`` without its plain one-to-many prefetches, and those prefetches as
    querysets to read with it. The same answer for the same ``queryset`` object (a reading
    kept by ``core.reading_memo``: its compilations are then found at once)."""
    found = _apart.get(queryset)
    if found is not None:
        return found
    lookups = queryset._prefetch_related_lookups
    taken = [lookup for lookup in lookups if _one_to_many(queryset.model, lookup)]
    if not taken or not chooses_the_same_rows_again(queryset):
        return queryset, []
    kept = [lookup for lookup in lookups if lookup not in taken]
    listing = queryset.prefetch_related(None).prefetch_related(*kept)
    apart = []
    for name in taken:
        relation = queryset.model._meta.get_field(name)
        children = relation.related_model._default_manager.filter(
            **{f"{relation.field.name}__in": listing.values("pk")}
        )
        apart.append(ChildrenApart(name, relation, children))
    found = (listing, apart)
    _apart[queryset] = found
    return found


_apart: weakref.WeakKeyDictionary[QuerySet, tuple[QuerySet, list[ChildrenApart]]] = (
    weakref.WeakKeyDictionary()
)


def _one_to_many(model: type[Model], lookup: object) -> bool:
    if not isinstance(lookup, str) or "__" in lookup:
        return False
    try:
        relation = model._meta.get_field(lookup)
    except FieldDoesNotExist:  # a lookup Django resolves otherwise: left to Django
        return False
    return (
        type(relation) is ManyToOneRel
        and relation.field.remote_field.field_name == model._meta.pk.name
    )
