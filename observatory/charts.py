"""Charts drawn on the server as SVG: no script, readable by a screen reader.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in a
sentence what it shows (first and last value, total or latest, highest point); the
template puts the data table beside it. The geometry is computed here, the template only
writes the shapes out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from observatory.figures import Indicator, PortalRow

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 30  # room for the axis' labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    """What the chart template draws: bars (what happened) or a line (how it stood)."""

    key: str
    title: str
    description: str
    bars: list[Bar]
    line: str  # the ``points`` of a polyline, for a snapshot
    top: int  # the value at the top of the axis
    ticks: list[tuple[float, str]]  # (x, label) under the axis, a few only
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT
    right: float = WIDTH - RIGHT
    top_y: float = TOP


def _nice_top(highest: int) -> int:
    """A round value above ``highest`` for the top of the axis (1, 2 or 5 times a power of ten)."""
    if highest <= 0:
        return 1
    power = 10 ** math.floor(math.log10(highest))
    for step in (1, 2, 5, 10):
        if step * power >= highest:
            return step * power
    return 10 * power


def describe(indicator: Indicator, period_label: str) -> str:
    """The chart in one French sentence, for its ``<desc>``."""
    buckets = [(label, value) for label, value in indicator.buckets if value is not None]
    if not buckets or not any(value for _label, value in buckets):
        return _("%(label)s, %(period)s : aucune valeur.") % {
            "label": indicator.label,
            "period": period_label,
        }
    best_label, best = max(buckets, key=lambda bucket: bucket[1])
    if indicator.counter.is_snapshot:
        sentence = _(
            "%(label)s, %(period)s : de %(first)s à %(last)s ; au plus haut %(best)s (%(when)s)."
        )
        return sentence % {
            "label": indicator.label,
            "period": period_label,
            "first": buckets[0][1],
            "last": buckets[-1][1],
            "best": best,
            "when": best_label,
        }
    sentence = _("%(label)s, %(period)s : %(total)s au total ; au plus haut %(best)s (%(when)s).")
    return sentence % {
        "label": indicator.label,
        "period": period_label,
        "total": indicator.value,
        "best": best,
        "when": best_label,
    }


def chart(indicator: Indicator, period_label: str) -> Chart:
    """The chart of one indicator's buckets."""
    buckets = indicator.buckets
    top = _nice_top(max((value or 0 for _label, value in buckets), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(buckets), 1)

    def y(value: int | None) -> float:
        return round(TOP + plot_height * (1 - value / top), 1)

    bars, points = [], []
    for n, (label, value) in enumerate(buckets):
        x = LEFT + n * slot
        if value is None:  # a snapshot not known yet: no point
            continue
        if indicator.counter.is_snapshot:
            points.append(f"{round(x + slot / 2, 1)},{y(value)}")
        else:
            gap = min(slot * 0.2, 4)
            bars.append(
                Bar(
                    round(x + gap / 2, 1),
                    y(value),
                    round(slot - gap, 1),
                    round(TOP + plot_height - y(value), 1),
                    label,
                    value,
                )
            )
    every = max(1, math.ceil(len(buckets) / 6))  # at most six labels under the axis
    ticks = [
        (round(LEFT + n * slot + slot / 2, 1), label)
        for n, (label, _value) in enumerate(buckets)
        if n % every == 0
    ]
    return Chart(
        key=indicator.key,
        title=indicator.label,
        description=describe(indicator, period_label),
        bars=bars,
        line=" ".join(points),
        top=top,
        ticks=ticks,
    )


@dataclass(frozen=True)
class Dot:
    """A portal on the network's map: where, how big, and what it says."""

    x: float
    y: float
    radius: float
    name: str
    activity: int


@dataclass(frozen=True)
class NetworkMap:
    width: int
    height: int
    dots: list[Dot]
    description: str


MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 600, 420, 40
MIN_SPAN = 0.02  # degrees: about 2 km, the smallest extent the map shows
SMALLEST, LARGEST = 5.0, 34.0  # radii: the busiest portal's disc is the largest


def network_map(rows: list[PortalRow]) -> NetworkMap:
    """The located portals placed by their coordinates (an equirectangular projection
    fitted to the network's extent, as the pilots' map of the front door places them),
    each a disc whose area grows with its activity over the period."""
    located = [row for row in rows if row.portal.is_located]
    if not located:
        return NetworkMap(MAP_WIDTH, MAP_HEIGHT, [], _("Aucun quartier n'a de coordonnées."))
    lats = [float(row.portal.latitude) for row in located]
    lons = [float(row.portal.longitude) for row in located]
    middle = math.cos(math.radians((min(lats) + max(lats)) / 2))
    # A network of one portal (or of portals on one spot) sits in the middle, not off it.
    span_x = max((max(lons) - min(lons)) * middle, MIN_SPAN)
    span_y = max(max(lats) - min(lats), MIN_SPAN)
    centre_lon, centre_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    scale = min((MAP_WIDTH - 2 * MAP_MARGIN) / span_x, (MAP_HEIGHT - 2 * MAP_MARGIN) / span_y)
    busiest = max((row.activity for row in located), default=0) or 1
    dots = []
    for row, lat, lon in zip(located, lats, lons, strict=True):
        x = MAP_WIDTH / 2 + (lon - centre_lon) * middle * scale
        y = MAP_HEIGHT / 2 - (lat - centre_lat) * scale
        radius = SMALLEST + (LARGEST - SMALLEST) * math.sqrt(row.activity / busiest)
        dots.append(Dot(round(x, 1), round(y, 1), round(radius, 1), row.portal.name, row.activity))
    busiest_row = max(located, key=lambda row: row.activity)
    description = _(
        "%(count)s quartiers placés sur la carte ; la taille de chaque disque suit son "
        "activité sur la période. Le plus actif : %(name)s (%(activity)s)."
    ) % {"count": len(located), "name": busiest_row.portal.name, "activity": busiest_row.activity}
    return NetworkMap(MAP_WIDTH, MAP_HEIGHT, dots, description)
