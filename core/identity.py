"""The current portal's identity (name, accent colour, logo) for features that draw with it.

Home owns the identity settings; a feature may not import home, so it asks here, and home
answers through the ``PORTAL_IDENTITY`` extension point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wagtail import hooks

from core.extension_points import PORTAL_IDENTITY
from tenants.addresses import current_portal

DEFAULT_ACCENT_COLOUR = "#8a1c4a"


@dataclass(frozen=True)
class PortalIdentity:
    """What a portal looks like: its name, its accent colour (``#RRGGBB``), its logo."""

    name: str
    accent_colour: str = DEFAULT_ACCENT_COLOUR
    logo: Any = None  # a Wagtail image, or None


def portal_identity() -> PortalIdentity:
    """The identity of the portal whose schema is in use (its registry name by default)."""
    for hook in hooks.get_hooks(PORTAL_IDENTITY):
        identity = hook()
        if identity is not None:
            return identity
    portal = current_portal()
    return PortalIdentity(name=portal.name if portal else "")
