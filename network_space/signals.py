"""The space stays private to Wagtail's listings whatever an editor does with its privacy,
and so does its collection of documents: without its restriction, Wagtail's
``/documents/...`` would serve them to anyone, and public pages could list them."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.signals import post_delete
from django_tenants.utils import schema_context
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from network_space.documents import SPACE_COLLECTION, space_collection
from network_space.models import AnimatorsSpacePage
from network_space.space import keep_reserved


def _restriction_removed(sender, instance: PageViewRestriction, **kwargs) -> None:
    # After the commit: when the space itself is being deleted, its restriction goes first
    # and the page is gone by then.
    page_id, schema_name = instance.page_id, connection.schema_name

    def put_back() -> None:
        with schema_context(schema_name):
            space = AnimatorsSpacePage.objects.filter(pk=page_id).first()
            if space is not None:
                keep_reserved(space)

    transaction.on_commit(put_back)


def _collection_restriction_removed(sender, instance: CollectionViewRestriction, **kwargs) -> None:
    collection_id, schema_name = instance.collection_id, connection.schema_name

    def put_back() -> None:
        with schema_context(schema_name):
            if Collection.objects.filter(pk=collection_id, name=SPACE_COLLECTION).exists():
                space_collection()

    transaction.on_commit(put_back)


def connect() -> None:
    """Listen to view restrictions being removed (from ``NetworkSpaceConfig.ready``)."""
    post_delete.connect(
        _restriction_removed, sender=PageViewRestriction, dispatch_uid="network_space_reserved"
    )
    post_delete.connect(
        _collection_restriction_removed,
        sender=CollectionViewRestriction,
        dispatch_uid="network_space_documents_reserved",
    )
