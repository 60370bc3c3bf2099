"""The weekly grid of a station: when each show is on air, in Paris time.

Slots are written in wall-clock time (Europe/Paris) and recur every week; a slot whose
end is not after its start ends the next day (a night show from 23:00 to 01:00). All
comparisons are made in UTC, so the grid stays right across the changes to and from
summer time: a show "every day 20:00-21:00" is on air at 18:00 UTC in July and at
19:00 UTC in December.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.utils import timezone

GRID_TIME_ZONE = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


class Slot(Protocol):
    """What the grid needs of a time slot (``radio.models.TimeSlot``)."""

    day: int  # 0 = Monday
    start: datetime.time
    end: datetime.time
    show: Any


@dataclass(frozen=True)
class Broadcast:
    """One airing of a show: the slot of a given week, as two instants."""

    show: Any
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def local_start(self) -> datetime.datetime:
        return self.starts_at.astimezone(GRID_TIME_ZONE)

    @property
    def local_end(self) -> datetime.datetime:
        return self.ends_at.astimezone(GRID_TIME_ZONE)

    def is_on_air(self, at: datetime.datetime) -> bool:
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True)
class OnAir:
    """A station, the broadcast it airs now (or None) and its next one (or None)."""

    station: Any
    now: Broadcast | None
    next: Broadcast | None


def crosses_midnight(slot: Slot) -> bool:
    return slot.end <= slot.start


def airing(slot: Slot, day: datetime.date) -> Broadcast:
    """The broadcast of ``slot`` that starts on the local date ``day``."""
    end_day = day + datetime.timedelta(days=1) if crosses_midnight(slot) else day
    # Wall-clock times in Paris, then instants: the UTC offset is the one of that date.
    starts = datetime.datetime.combine(day, slot.start, tzinfo=GRID_TIME_ZONE)
    ends = datetime.datetime.combine(end_day, slot.end, tzinfo=GRID_TIME_ZONE)
    return Broadcast(slot.show, starts.astimezone(UTC), ends.astimezone(UTC))


def broadcasts(slots: Iterable[Slot], first_day: datetime.date, days: int) -> list[Broadcast]:
    """Every broadcast starting on the ``days`` local dates from ``first_day``, in order."""
    slots = list(slots)
    found = []
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        found.extend(airing(slot, day) for slot in slots if slot.day == day.weekday())
    return sorted(found, key=lambda broadcast: (broadcast.starts_at, broadcast.ends_at))


def as_aware(at: datetime.datetime | None) -> datetime.datetime:
    """``at`` as an aware instant: now when None, Paris time when naive."""
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        return at.replace(tzinfo=GRID_TIME_ZONE)
    return at


def now_and_next(
    slots: Sequence[Slot], at: datetime.datetime | None = None
) -> tuple[Broadcast | None, Broadcast | None]:
    """The broadcast on air at ``at`` (the latest started, if two overlap) and the next one."""
    at = as_aware(at)
    today = at.astimezone(GRID_TIME_ZONE).date()
    # From yesterday (a night show still running) to a week ahead (the next airing).
    week = broadcasts(slots, today - datetime.timedelta(days=1), 9)
    on_air = [broadcast for broadcast in week if broadcast.is_on_air(at)]
    current = on_air[-1] if on_air else None
    upcoming = next((broadcast for broadcast in week if broadcast.starts_at > at), None)
    return current, upcoming
