"""Keep the federation index exact as pages are published, unpublished, moved, deleted."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal.sharing import SHARED_PAGE_TYPES
from tenants import federation


def on_published(sender, instance, **kwargs) -> None:
    federation.publish_entry(instance)


def on_unpublished(sender, instance, **kwargs) -> None:
    federation.remove_entry(instance.pk)


def on_moved(sender, instance, **kwargs) -> None:
    # The address changes with the move; so do the addresses of pages below it.
    for page in instance.get_descendants(inclusive=True).type(*SHARED_PAGE_TYPES).live():
        federation.publish_entry(page)


def on_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, SHARED_PAGE_TYPES):
        federation.remove_entry(instance.pk)


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="federation-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="federation-unpublished")
    post_page_move.connect(on_moved, dispatch_uid="federation-moved")
    page_slug_changed.connect(on_moved, dispatch_uid="federation-slug-changed")
    for model in SHARED_PAGE_TYPES:
        post_delete.connect(on_deleted, sender=model, dispatch_uid=f"federation-deleted-{model}")
