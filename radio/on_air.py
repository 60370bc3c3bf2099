"""What is on air now and next, for the station page and the portal's home page.

from radio.on_air import on_air
{% include "radio/includes/on_air.html" with on_air=on_air %}
"""

from __future__ import annotations

import datetime

from django.db.models import Case, When

from radio import grid
from radio.grid import OnAir
from radio.models import StationPage

__all__ = ["OnAir", "on_air"]


def on_air(station: StationPage | None = None, at: datetime.datetime | None = None) -> OnAir | None:
    """What ``station`` airs at ``at`` (default: now) and next, from its weekly grid.

    Without a station, the portal's first live webradio (in the tree's order), else its
    first live station; None when the portal has no station. A naive ``at`` is Paris time.
    """
    if station is None:
        # One query: webradios first, then the tree's order.
        radio_first = Case(When(kind=StationPage.Kind.RADIO, then=0), default=1)
        stations = StationPage.objects.live().public().order_by(radio_first, "path")
        station = stations.first()
        if station is None:
            return None
    current, upcoming = grid.now_and_next(station.time_slots(), at)
    return OnAir(station=station, now=current, next=upcoming)
