"""The space stays private to Wagtail's listings whatever an editor does with its privacy."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.signals import post_delete
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

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


def connect() -> None:
    """Listen to view restrictions being removed (from ``NetworkSpaceConfig.ready``)."""
    post_delete.connect(
        _restriction_removed, sender=PageViewRestriction, dispatch_uid="network_space_reserved"
    )
