"""What the radio gives every new portal (its section, settings row, rights, demo) and
what it registers with core (remembered settings, embed hosts, shown models, latest sources)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.extension_points import (
    EMBED_FRAME_HOSTS,
    LATEST_SOURCES,
    PORTAL_STATE_SETTINGS,
    SHOWN_ON_PAGES,
)
from core.latest import LatestSource
from radio import embeds, latest
from radio.demo import seed_radio
from radio.models import EpisodePage, RadioPage, RadioSettings
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    DEMO_CONTENT,
    FURNISH_PORTAL,
    NEIGHBOURHOODS_ONLY,
    PORTAL_SECTIONS,
    ROLE_PERMISSIONS,
    ActivityCounter,
    PortalSection,
)
from tenants.group_names import ANIMATORS

if TYPE_CHECKING:
    from tenants.models import Neighbourhood


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """The "Radio & TV" section, fourth in the menu."""
    return [
        PortalSection(
            RadioPage,
            "Radio & TV",
            "radio-tv",
            "La webradio et la webTV du quartier : émissions, podcasts et vidéos.",
            order=40,
            kinds=NEIGHBOURHOODS_ONLY,
        )
    ]


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators name the portal's own PeerTube and Castopod hosts."""
    return {ANIMATORS: [("radio", "change_radiosettings")]}


@hooks.register(FURNISH_PORTAL)
def furnish_settings() -> None:
    """The settings row exists from the start: a first visit writes nothing."""
    RadioSettings.load()


@hooks.register(DEMO_CONTENT, order=30)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """Stations, shows and episodes of the demo."""
    seed_radio(neighbourhood)


def _episodes_since(since: datetime.datetime) -> int:
    return EpisodePage.objects.live().filter(first_published_at__gte=since).count()


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """Episodes first published in the period."""
    return [ActivityCounter("episodes", _("Épisodes"), _episodes_since)]


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
