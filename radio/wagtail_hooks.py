"""What the radio registers with the platform (``core.extension_points``)."""

from __future__ import annotations

from collections.abc import Iterable

from wagtail import hooks

from core.extension_points import (
    EMBED_FRAME_HOSTS,
    LATEST_SOURCES,
    PORTAL_STATE_SETTINGS,
    SHOWN_ON_PAGES,
)
from core.latest import LatestSource
from radio import embeds, latest
from radio.models import RadioSettings


@hooks.register(PORTAL_STATE_SETTINGS)
def radio_settings_remembered() -> Iterable[type]:
    """The portal's own video and podcast hosts, read by every embed shown."""
    return [RadioSettings]


@hooks.register(EMBED_FRAME_HOSTS)
def radio_frame_hosts() -> Iterable[str]:
    """The players of the embed providers the portal accepts."""
    return embeds.frame_hosts()


@hooks.register(SHOWN_ON_PAGES)
def radio_models_shown_on_pages() -> Iterable[str]:
    """The accepted hosts decide which embeds show; the grid's slots show on air."""
    return ["radio.RadioSettings", "radio.TimeSlot"]


@hooks.register(LATEST_SOURCES)
def radio_latest_sources() -> Iterable[LatestSource]:
    """On air now, the webTV's latest videos, the latest radio shows."""
    return latest.SOURCES
