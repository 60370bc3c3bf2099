"""The space's documents: a collection of the federation's library, private to Wagtail
(a view restriction for federation staff, so that ``/documents/...`` serves them to
nobody else and no public page lists them), served to the space's visitors by the space
itself (``AnimatorsSpacePage.document``)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from tenants.group_names import FEDERATION_STAFF

SPACE_COLLECTION = "Espace des animateurs"


def space_collection() -> Collection:
    """The space's collection, made (and made private) if missing."""
    collection = Collection.objects.filter(name=SPACE_COLLECTION).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=SPACE_COLLECTION)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.set(Group.objects.filter(name=FEDERATION_STAFF))
    return collection


def space_documents() -> QuerySet:
    """The documents of the space's collection and of the collections below it."""
    collection = Collection.objects.filter(name=SPACE_COLLECTION).first()
    if collection is None:
        return get_document_model().objects.none()
    within = Collection.objects.descendant_of(collection, inclusive=True)
    return get_document_model().objects.filter(collection__in=within)
