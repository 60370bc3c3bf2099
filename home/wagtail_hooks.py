"""What the home app gives every new portal (its home page, identity settings, demo text)
and what it registers with core (the settings every page remembers, shown on pages)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from wagtail import hooks

from core.extension_points import PORTAL_IDENTITY, PORTAL_STATE_SETTINGS, SHOWN_ON_PAGES
from core.identity import PortalIdentity
from core.tenant_state import remembered_setting
from home.blocks import DEFAULT_HOME_BLOCKS
from home.demo import seed_home
from home.federation import fit_home
from home.models import HomePage
from home.site_settings import PortalSettings
from tenants.addresses import current_portal
from tenants.extension_points import (
    AFTER_PROVISIONING,
    DEMO_CONTENT,
    FIT_PORTAL_KIND,
    FURNISH_PORTAL,
    PORTAL_HOME,
    ROLE_PERMISSIONS,
)
from tenants.group_names import ANIMATORS

if TYPE_CHECKING:
    from tenants.models import Neighbourhood
    from tenants.provisioning import Provisioning


@hooks.register(PORTAL_HOME)
def portal_home() -> HomePage:
    """A new portal's home page: "Accueil", with the default blocks."""
    return HomePage(title="Accueil", slug="accueil", body=DEFAULT_HOME_BLOCKS)


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators edit the portal's identity (name, colours, logo)."""
    return {ANIMATORS: [("home", "change_portalsettings")]}


@hooks.register(FURNISH_PORTAL)
def furnish_settings() -> None:
    """The identity settings row exists from the start: a first visit writes nothing."""
    PortalSettings.load()


@hooks.register(AFTER_PROVISIONING)
def write_identity(provisioning: Provisioning) -> None:
    """The new portal's identity settings, from what the federation staff typed."""
    neighbourhood = provisioning.neighbourhood
    identity = PortalSettings.load()
    identity.name = neighbourhood.name
    identity.carrying_structure = neighbourhood.carrying_structure
    identity.scic_name = neighbourhood.scic_name
    identity.contact_email = neighbourhood.contact_email
    identity.save()


@hooks.register(FIT_PORTAL_KIND)
def fit_home_to_kind(kind: str) -> None:
    """The federation's home page gets the network's blocks, not a neighbourhood's."""
    fit_home(kind)


@hooks.register(DEMO_CONTENT, order=10)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """The home page's demo introduction, first: later seeders may link to it."""
    seed_home(neighbourhood)


@hooks.register(PORTAL_STATE_SETTINGS)
def home_settings_remembered() -> Iterable[type]:
    """The portal's identity: its header and footer on every page."""
    return [PortalSettings]


@hooks.register(SHOWN_ON_PAGES)
def home_models_shown_on_pages() -> Iterable[str]:
    """The portal's identity shows on every page."""
    return ["home.PortalSettings"]


@hooks.register(PORTAL_IDENTITY)
def identity() -> PortalIdentity:
    """The portal's name, accent colour and logo, from its identity settings."""
    settings = remembered_setting(PortalSettings) or PortalSettings.load()
    return PortalIdentity(
        name=settings.name or (getattr(current_portal(), "name", "") or ""),
        accent_colour=settings.accent_colour,
        logo=settings.logo,
    )
