"""How the pinboard plugs into the platform: through the extension points only.

Nothing outside ``tests/pinboard`` names it, except the test settings that install it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from wagtail import hooks

from core.extension_points import LATEST_SOURCES, SHOWN_ON_PAGES
from core.latest import LatestSource, LetterLine
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    DEMO_CONTENT,
    PORTAL_SECTIONS,
    ROLE_PERMISSIONS,
    ActivityCounter,
    PortalSection,
)
from tenants.group_names import ANIMATORS
from tests.pinboard.models import Pin, PinboardPage

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

WELCOME = "Bienvenue sur le tableau"

# --- tenants: what every new portal gets ----------------------------------------------


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """The pinboard, last in the menu."""
    return [
        PortalSection(
            PinboardPage,
            "Tableau d'affichage",
            "tableau",
            "Les petits mots du quartier, épinglés par l'équipe.",
            order=1000,
        )
    ]


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators pin, edit and remove notes."""
    return {ANIMATORS: [("pinboard", f"{action}_pin") for action in ("add", "change", "delete")]}


@hooks.register(DEMO_CONTENT, order=100)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """One welcome pin, once."""
    Pin.objects.get_or_create(text=WELCOME)


def _pins_since(since: datetime.datetime) -> int:
    return Pin.objects.filter(created_at__gte=since).count()


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """The pins of the period."""
    return [ActivityCounter("pins", "Punaises", _pins_since)]


# --- core: "latest" sources and models shown on pages (added with core's extension points)


@hooks.register(SHOWN_ON_PAGES)
def shown_on_pages() -> Iterable[str]:
    """The board lists every pin: a pin written or removed refreshes the portal's pages."""
    return ["pinboard.Pin"]


def latest_pins(limit: int) -> list[Pin]:
    """The newest pins first."""
    return list(Pin.objects.order_by("-created_at", "-pk")[:limit])


def _letter_line(pin: Pin) -> LetterLine:
    return LetterLine(pin.text, "/tableau/")


@hooks.register(LATEST_SOURCES)
def latest_sources() -> Iterable[LatestSource]:
    """The newest pins, for the home page's blocks and the infolettre."""
    return [
        LatestSource(
            "pins",
            "Dernières punaises",
            latest_pins,
            template="pinboard/latest.html",
            letter_label="Les nouvelles punaises",
            letter_line=_letter_line,
            appeared_at=lambda pin: pin.created_at,
        )
    ]
