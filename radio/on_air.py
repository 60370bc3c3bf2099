"""What is on air now and next, for the station page and the portal's home page.

from radio.on_air import on_air
{% include "radio/includes/on_air.html" with on_air=on_air %}
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Subquery, When
from django.db.models.functions import Left, Length

from core.latest import Reading
from radio import grid
from radio.grid import OnAir
from radio.models import ShowPage, StationPage, TimeSlot

__all__ = ["OnAir", "on_air", "on_air_reading"]


def _first_station():
    # Webradios first, then the tree's order.
    radio_first = Case(When(kind=StationPage.Kind.RADIO, then=0), default=1)
    return StationPage.objects.live().public().order_by(radio_first, "path")


def on_air(station: StationPage | None = None, at: datetime.datetime | None = None) -> OnAir | None:
    """What ``station`` airs at ``at`` (default: now) and next, from its weekly grid.

    Without a station, the portal's first live webradio (in the tree's order), else its
    first live station; None when the portal has no station. A naive ``at`` is Paris time.
    """
    if station is None:
        return on_air_reading(at).read_alone()
    current, upcoming = grid.now_and_next(station.time_slots(), at)
    return OnAir(station=station, now=current, next=upcoming)


def on_air_reading(at: datetime.datetime | None = None) -> Reading:
    """What the portal's first station airs, as a ``Reading`` (``core.latest``): the
    station and its grid's slots (those of its live shows, each with its show) in one round
    trip; its items are the ``OnAir`` answer, or None without a station. The shows'
    covers and the station's logo come in the same trip: the home page's radio block shows
    the artwork of the show on air, else the station's logo (``on_air_artwork``), which
    cost one more query."""
    first = _first_station().select_related("logo")[:1]
    # The shows whose parent is that station: no query for the station first.
    shows = (
        ShowPage.objects.live()
        .public()
        .annotate(parent=Left("path", Length("path") - ShowPage.steplen))
        .filter(parent=Subquery(first.values("path")))
    )
    slots = TimeSlot.objects.filter(show__in=shows).select_related("show__cover")

    def answer(rows: list[list]) -> OnAir | None:
        stations, found = rows
        if not stations:
            return None
        current, upcoming = grid.now_and_next(found, at)
        return OnAir(station=stations[0], now=current, next=upcoming)

    return Reading((first, slots), answer)
