"""What the home app registers with the platform (``core.extension_points``)."""

from __future__ import annotations

from collections.abc import Iterable

from wagtail import hooks

from core.extension_points import PORTAL_STATE_SETTINGS, SHOWN_ON_PAGES
from home.site_settings import PortalSettings


@hooks.register(PORTAL_STATE_SETTINGS)
def home_settings_remembered() -> Iterable[type]:
    """The portal's identity: its header and footer on every page."""
    return [PortalSettings]


@hooks.register(SHOWN_ON_PAGES)
def home_models_shown_on_pages() -> Iterable[str]:
    """The portal's identity shows on every page."""
    return ["home.PortalSettings"]
