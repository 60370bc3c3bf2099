"""Events going out to the agenda actor's followers (Mobilizon relays): ``Announce`` on
first publication, ``Update`` on the next ones, ``Delete`` on unpublication, deletion, or
when a view restriction (or a move under a private page) makes them private. Only
``fediverse.events.public_events`` ever go out: never a draft, a private event, an event
under a private section, nor one imported from another agenda.

One delivery per remote server (its shared inbox, else the follower's inbox), through the
task queue, signed by the agenda's own key (``fediverse.delivery``, sender ``agenda``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from fediverse import delivery
from fediverse.events import (
    EVENTS_FOLDER,
    announce_activity,
    delete_activity,
    is_announced,
    is_imported,
    update_activity,
)
from fediverse.local_actors import AGENDA
from fediverse.models import AgendaFollower, Tombstone
from fediverse.publication import hidden_by_move, hidden_by_restriction
from portal.public import EventPage


def agenda_inboxes() -> list[str]:
    """Each following server's shared inbox once, else each follower's inbox."""
    pairs = AgendaFollower.objects.values_list("shared_inbox", "inbox")
    return sorted({shared or inbox for shared, inbox in pairs})


def _send(activity: dict[str, Any], inboxes: list[str] | None = None) -> int:
    inboxes = agenda_inboxes() if inboxes is None else inboxes
    for inbox in inboxes:
        delivery.send(inbox, activity, sender=AGENDA.name)
    return len(inboxes)


def _send_delete(page: EventPage) -> int:
    """The ``Delete`` of ``page``'s Event, its address answering 410 from then on (an
    event that never went out answers 404, as an id that never was)."""
    Tombstone.objects.update_or_create(folder=EVENTS_FOLDER, page_id=page.pk)
    return _send(delete_activity(page))


def announce_event(page: EventPage) -> int:
    """Send ``page`` to the agenda's followers (``Announce`` the first time, ``Update``
    after); nothing unless it is one of the public events. Returns how many inboxes."""
    inboxes = agenda_inboxes()
    # An agenda nobody follows (every new portal's, the demo's) does not build the
    # activity (its banner's rendition, the addresses) only to send it nowhere.
    if not inboxes or not is_announced(page):
        return 0
    if page.first_published_at == page.last_published_at:
        return _send(announce_activity(page), inboxes)
    return _send(update_activity(page), inboxes)


def withdraw_event(page: EventPage) -> int:
    """Tell the followers that ``page`` is gone; nothing when it never went out (never
    published, private, imported). Returns how many inboxes."""
    if page.first_published_at is None or is_imported(page):
        return 0
    if not Page.objects.public().filter(pk=page.pk).exists():
        return 0
    return _send_delete(page)


def withdraw_restricted_events(restriction: PageViewRestriction) -> int:
    """Withdraw the live events ``restriction`` has just made private (the page and those
    under it), unless another restriction already kept them from the public."""
    events = hidden_by_restriction(_own_events(), restriction)
    return sum(_send_delete(event) for event in events)


def withdraw_moved_events(moved: Page, parent_before: Page) -> int:
    """Withdraw the live events that ``moved`` (the page and those under it) took out of
    the public's sight by going under a private page: public where they were, private
    now, not by a restriction that moved with them."""
    events = hidden_by_move(_own_events(), moved, parent_before)
    return sum(_send_delete(event) for event in events)


def _own_events() -> QuerySet:
    """The portal's own events, not those imported from another agenda (never sent)."""
    return EventPage.objects.filter(source_name="", source_url="")


def _published(sender, instance: EventPage, **kwargs: Any) -> None:
    announce_event(instance)


def _unpublished(sender, instance: EventPage, **kwargs: Any) -> None:
    withdraw_event(instance)


def _restricted(sender, instance: PageViewRestriction, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        withdraw_restricted_events(instance)


def _moved(sender, instance: Page, parent_page_before: Page, **kwargs: Any) -> None:
    withdraw_moved_events(instance, parent_page_before)


def connect() -> None:
    """React to Wagtail's publication of events (called from the app's ``ready``). A live
    page deleted is unpublished first by Wagtail (``page_unpublished``): one ``Delete``."""
    page_published.connect(_published, sender=EventPage, dispatch_uid="fediverse-event-published")
    page_unpublished.connect(
        _unpublished, sender=EventPage, dispatch_uid="fediverse-event-unpublished"
    )
    post_save.connect(
        _restricted, sender=PageViewRestriction, dispatch_uid="fediverse-event-restricted"
    )
    # Any page moved: a section moved under a private page takes its events with it.
    post_page_move.connect(_moved, dispatch_uid="fediverse-event-moved")
