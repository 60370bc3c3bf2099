"""Articles and residents' blog posts going out to the portal's followers: ``Create`` on
first publication, ``Update`` on the next ones, ``Delete`` on unpublication, deletion, or
when a view restriction (or a move under a private page) makes it private (its address
then answers 410: a ``Tombstone``).
Only a live page that anyone may read goes out: a private page, a page under a private
section or blog, a draft never does.

One delivery per remote server's shared inbox (a Mastodon instance with fifty followers
of the portal gets the article once), through the task queue (``fediverse.delivery``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from fediverse import delivery
from fediverse.documents import (
    AS_CONTEXT,
    OBJECT_FOLDERS,
    PUBLIC,
    actor_id,
    address,
    create_activity,
    object_folder,
    object_id,
    object_type,
)
from fediverse.models import Follower, Tombstone


def follower_inboxes() -> list[str]:
    """The inboxes to deliver to: each server's shared inbox once, else each inbox."""
    inboxes = {
        shared or inbox for shared, inbox in Follower.objects.values_list("shared_inbox", "inbox")
    }
    return sorted(inboxes)


def is_public(page: Page) -> bool:
    """True when anyone may read ``page`` now: live, and no restriction on it or above it."""
    return Page.objects.live().public().filter(pk=page.pk).exists()


def _send_to_followers(activity: dict[str, Any], inboxes: list[str] | None = None) -> int:
    inboxes = follower_inboxes() if inboxes is None else inboxes
    for inbox in inboxes:
        delivery.send(inbox, activity)
    return len(inboxes)


def announce(page: Page) -> int:
    """Send ``page`` to the followers (``Create``, or ``Update`` when it went out before);
    nothing when it is not public. Returns how many inboxes it was queued for."""
    inboxes = follower_inboxes()
    # A portal nobody follows (every new one, the demo's) does not build the document
    # (about thirty queries and the cover's rendition) only to send it nowhere.
    if not inboxes or not is_public(page):
        return 0
    activity = {"@context": AS_CONTEXT, **create_activity(page)}
    if page.first_published_at != page.last_published_at:
        activity["type"] = "Update"
        activity["id"] = f"{activity['object']['id']}#update-{page.last_published_at.timestamp()}"
    return _send_to_followers(activity, inboxes)


def withdraw(page: Page) -> int:
    """Tell the followers that ``page`` is gone (its object's address then answers 410)."""
    # A page that never went out (never published, or readable only by some) is not news
    # to the followers: not even its address leaves.
    if page.first_published_at is None or not Page.objects.public().filter(pk=page.pk).exists():
        return 0
    return _send_delete(page)


def _send_delete(page: Page) -> int:
    gone = object_id(page)
    Tombstone.objects.update_or_create(folder=object_folder(page), page_id=page.pk)
    return _send_to_followers(
        {
            "@context": AS_CONTEXT,
            "id": f"{gone}#delete",
            "type": "Delete",
            "actor": actor_id(),
            "object": {"id": gone, "type": "Tombstone", "formerType": object_type(page)},
            "to": [PUBLIC],
            "cc": [address("followers")],
        }
    )


def _published(sender, instance: Page, **kwargs: Any) -> None:
    announce(instance)


def _unpublished(sender, instance: Page, **kwargs: Any) -> None:
    withdraw(instance)


def withdraw_restricted(restriction: PageViewRestriction) -> int:
    """Tell the followers that the live articles and blog posts ``restriction`` has just
    made private (the page itself and those under it) are gone, unless another
    restriction already kept them from the public (they never went out). Returns how
    many inboxes."""
    pages = Page.objects.type(*OBJECT_FOLDERS)
    return sum(_send_delete(page) for page in hidden_by_restriction(pages, restriction).specific())


def hidden_by_restriction(pages: QuerySet, restriction: PageViewRestriction) -> QuerySet:
    """Those of ``pages`` that went out and that ``restriction`` has just made private
    (the restricted page and those under it, live and published before), unless another
    restriction already kept them from the public."""
    pages = (
        pages.live()
        .descendant_of(restriction.page, inclusive=True)
        .filter(first_published_at__isnull=False)
    )
    for other in PageViewRestriction.objects.exclude(pk=restriction.pk).select_related("page"):
        pages = pages.exclude(path__startswith=other.page.path)
    return pages


def withdraw_moved(moved: Page, parent_before: Page) -> int:
    """Tell the followers that the live articles and blog posts ``moved`` (the page and
    those under it) took out of the public's sight by going under a private page are
    gone: public where they were, private now, not by a restriction that moved with them.
    Returns how many inboxes."""
    pages = hidden_by_move(Page.objects.type(*OBJECT_FOLDERS), moved, parent_before)
    return sum(_send_delete(page) for page in pages.specific())


def hidden_by_move(pages: QuerySet, moved: Page, parent_before: Page) -> QuerySet:
    """Those of ``pages`` that went out and that ``moved`` (the page and those under it)
    took out of the public's sight by going under a private page: public where they
    were, private now, not by a restriction that moved with them."""
    if not Page.objects.public().filter(pk=parent_before.pk).exists():
        return pages.none()  # they were private before the move already
    pages = (
        pages.live()
        .descendant_of(moved, inclusive=True)
        .filter(first_published_at__isnull=False)
        .exclude(pk__in=Page.objects.public().values("pk"))
    )
    inside = PageViewRestriction.objects.filter(page__path__startswith=moved.path)
    for restriction in inside.select_related("page"):
        pages = pages.exclude(path__startswith=restriction.page.path)
    return pages


def _restricted(sender, instance: PageViewRestriction, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        withdraw_restricted(instance)


def _moved(sender, instance: Page, parent_page_before: Page, **kwargs: Any) -> None:
    withdraw_moved(instance, parent_page_before)


def connect() -> None:
    """React to Wagtail's publication of articles and blog posts (called from the app's
    ``ready``). A live page being deleted is unpublished first by Wagtail
    (``pre_delete_page_unpublish``, for the page and each live page under it): its
    ``page_unpublished`` sends the ``Delete``, once."""
    for model, folder in OBJECT_FOLDERS.items():
        page_published.connect(_published, sender=model, dispatch_uid=f"fediverse-pub-{folder}")
        page_unpublished.connect(
            _unpublished, sender=model, dispatch_uid=f"fediverse-unpub-{folder}"
        )
    post_save.connect(_restricted, sender=PageViewRestriction, dispatch_uid="fediverse-restricted")
    # Any page moved: a section or a blog moved under a private page takes its pages along.
    post_page_move.connect(_moved, dispatch_uid="fediverse-moved")
