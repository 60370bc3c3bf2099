"""Template tags of the radio: privacy-friendly embeds, live players, on air, latest episodes."""

from __future__ import annotations

import logging

from django import template

from radio.artwork import artwork_url, own_image
from radio.embeds import embed_for_display
from radio.episodes import latest_episodes
from radio.grid import OnAir
from radio.models import ShowPage, StationPage
from radio.on_air import on_air

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("radio/includes/embed.html")
def privacy_embed(url: str, title: str = "") -> dict[str, object]:
    """A third-party player, loaded only when the visitor asks; a plain link otherwise."""
    return {"embed": embed_for_display(url, title)}


@register.inclusion_tag("radio/includes/live_player.html", takes_context=True)
def live_player(context, station: StationPage, compact: bool = False) -> dict[str, object]:
    """The live player of a station (audio, HLS or embedded live page)."""
    return {"station": station, "compact": compact, "request": context.get("request")}


@register.inclusion_tag("radio/includes/on_air.html", takes_context=True)
def on_air_block(context, station: StationPage | None = None) -> dict[str, object]:
    """The "on air now / next" block, with the compact live player (for the home page)."""
    return {"on_air": on_air(station), "with_player": True, "request": context.get("request")}


@register.inclusion_tag("radio/includes/latest_episodes.html", takes_context=True)
def latest_episodes_block(
    context, limit: int = 4, kind: str | None = None, heading: str = ""
) -> dict[str, object]:
    """The latest episodes (``kind="tv"``: the latest webTV videos), as a list of links."""
    return {
        "episodes": latest_episodes(limit, kind=kind),
        "heading": heading,
        "request": context.get("request"),
    }


@register.simple_tag
def on_air_artwork(now: OnAir) -> str:
    """A small square of the artwork of the show on air (else the next one, else the
    station): its cover, else its station's logo, else the square drawn in the portal's
    colours that its podcast feed shows (``radio.artwork``). For the home page's radio block."""
    slot = now.now or now.next
    page: ShowPage | StationPage = slot.show if slot else now.station
    # The slots are those of the station's shows: their parent is that station.
    image = own_image(page, station=now.station)
    if image is not None:
        try:
            return image.get_rendition("fill-192x192").url
        except Exception:  # a missing original: the drawn square still serves
            logger.warning("No artwork rendition for image %s", image.pk, exc_info=True)
    return artwork_url(page, station=now.station)
