"""How the pinboard plugs into the platform: through the extension points only.

Nothing outside ``tests/pinboard`` names it, except the test settings that install it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from wagtail import hooks

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
