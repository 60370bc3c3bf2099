"""Keep the federation index exact as pages are published, unpublished, moved, deleted,
made private or public again.

Connected by tenants itself (``TenantsConfig.ready``): the index is the platform's, and the
page types it mirrors are whichever models say what they share (``SharedWithNetwork``),
whatever feature defines them.
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from tenants import federation
from tenants.sharing import SharedWithNetwork, shared_page_models


def on_published(sender, instance, **kwargs) -> None:
    # A page of a type that never shares (a free page, a show...) has no entry to write
    # or remove: not even the look in the index (a trip to the public schema and back).
    if issubclass(sender, SharedWithNetwork):
        federation.publish_entry(instance)


def on_unpublished(sender, instance, **kwargs) -> None:
    federation.remove_entry(instance.pk)


def on_moved(sender, instance, **kwargs) -> None:
    # The address changes with the move; so do the addresses of pages below it.
    for page in instance.get_descendants(inclusive=True).type(*shared_page_models()).live():
        federation.publish_entry(page)


def on_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, SharedWithNetwork):
        federation.remove_entry(instance.pk)


def on_privacy_changed(sender, instance, origin=None, **kwargs) -> None:
    # A view restriction added takes the shared pages below it out of the network's index
    # at once; removed, they come back (unless another restriction still covers them).
    if _deleted_with_its_page(origin):
        # The pages' own deletion removes their entries; they are half gone already.
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    for shared in page.get_descendants(inclusive=True).type(*shared_page_models()).live():
        federation.publish_entry(shared)


def _deleted_with_its_page(origin) -> bool:
    """Whether a restriction's deletion cascades from something else (its page)."""
    if origin is None:  # saved, not deleted
        return False
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return not issubclass(model, PageViewRestriction)


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="federation-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="federation-unpublished")
    post_page_move.connect(on_moved, dispatch_uid="federation-moved")
    page_slug_changed.connect(on_moved, dispatch_uid="federation-slug-changed")
    for model in shared_page_models():
        post_delete.connect(on_deleted, sender=model, dispatch_uid=f"federation-deleted-{model}")
    for name, signal in [("saved", post_save), ("deleted", post_delete)]:
        signal.connect(
            on_privacy_changed,
            sender="wagtailcore.PageViewRestriction",
            dispatch_uid=f"federation-privacy-{name}",
        )
