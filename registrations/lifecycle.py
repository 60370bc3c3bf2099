"""Registering, cancelling, promoting from the waiting list, reminding: one function each.

Places are counted with the event's row locked (``SELECT ... FOR UPDATE``): two residents
registering at the same instant for the last place are served one after the other, and
only one gets it; the other goes on the waiting list.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.public import EventPage
from registrations import notifications
from registrations.models import Registration

Status = Registration.Status


class RegistrationClosed(ValidationError):
    """The event takes no registrations (closed, past), with a French message."""


def accepts_registrations(event: EventPage, now: datetime.datetime | None = None) -> bool:
    return event.registrations_open and event.start > (now or timezone.now())


def places_left(event: EventPage) -> int | None:
    """Places still free (None: no limit)."""
    if event.places is None:
        return None
    return max(event.places - Registration.objects.filter(event=event).places_taken(), 0)


def _lock(event: EventPage) -> EventPage:
    # The event's own row (portal_eventpage): every change to its places goes through it.
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def register(
    event: EventPage,
    name: str,
    email: str,
    people: int = 1,
    accessibility_needs: str = "",
    notify: bool = True,
) -> Registration:
    """Register for an event: a place if there is one for everyone, else the waiting list."""
    with transaction.atomic():
        locked = _lock(event)
        if not accepts_registrations(locked):
            raise RegistrationClosed(_("Les inscriptions à cet événement sont fermées."))
        left = places_left(locked)
        status = Status.CONFIRMED if left is None or people <= left else Status.WAITING
        registration = Registration.objects.create(
            event=locked,
            name=name,
            email=email.strip().lower(),
            people=people,
            accessibility_needs=accessibility_needs,
            status=status,
        )
    if notify:
        notifications.send(registration, "confirmed" if status == Status.CONFIRMED else "waiting")
    return registration


def cancel(registration: Registration, notify: bool = True) -> list[Registration]:
    """Cancel a registration (again: no harm) and give the freed places to the waiting list.

    Returns the registrations promoted, each told by e-mail.
    """
    with transaction.atomic():
        locked_event = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return []
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _promote(locked_event)
    if notify:
        notifications.send(registration, "cancelled")
        for waiting in promoted:
            notifications.send(waiting, "promoted")
    return promoted


def _promote(event: EventPage) -> list[Registration]:
    """Give free places to the waiting list in order; a group too big for what is left waits,
    and the next ones who fit go first (a place left empty helps nobody)."""
    left = places_left(event)
    promoted = []
    for waiting in Registration.objects.filter(event=event).waiting().select_for_update():
        if left is not None and waiting.people > left:
            continue
        waiting.status = Status.CONFIRMED
        waiting.promoted_at = timezone.now()
        waiting.save(update_fields=["status", "promoted_at"])
        promoted.append(waiting)
        if left is not None:
            left -= waiting.people
    return promoted


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the confirmed residents of tomorrow's events, once each. Returns how many."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        event__live=True,
        event__start__date=tomorrow,
    ).select_related("event")
    sent = 0
    for registration in due:
        # A conditional update claims the reminder: two runs at once send it once.
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if claimed:
            notifications.send(registration, "reminder")
            sent += 1
    return sent


def mark_attendance(registration: Registration, came: bool) -> Registration:
    """Note whether a confirmed registration's people came (again: no harm, the first
    moment is kept). Only confirmed registrations have a place to come to."""
    if registration.status != Status.CONFIRMED:
        raise ValidationError(_("Seules les inscriptions confirmées peuvent être pointées."))
    if came and registration.attended_at is None:
        registration.attended_at = timezone.now()
    elif not came:
        registration.attended_at = None
    registration.save(update_fields=["attended_at"])
    return registration
