"""The animators' space at the platform's extension points: made with the federation's
portal, its demo, and its directory declared never shown on public pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from wagtail import hooks

from core.extension_points import NOT_SHOWN_ON_PAGES
from network_space.demo import seed_directory, seed_space
from network_space.space import ensure_space
from tenants.extension_points import DEMO_CONTENT, FIT_PORTAL_KIND, NETWORK_DEMO_CONTENT

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

FEDERATION = "federation"


@hooks.register(FIT_PORTAL_KIND)
def space_at_the_federation(kind: str) -> None:
    """The federation's portal has the animators' space (private to Wagtail's listings)."""
    if kind == FEDERATION:
        ensure_space()


@hooks.register(DEMO_CONTENT, order=90)
def demo_space(neighbourhood: Neighbourhood) -> None:
    """The demo's reserved pages, at the federation only."""
    if neighbourhood.kind == FEDERATION:
        seed_space()


@hooks.register(NETWORK_DEMO_CONTENT)
def demo_directory() -> None:
    """The demo animators' cards in the directory."""
    seed_directory()


@hooks.register(NOT_SHOWN_ON_PAGES)
def not_shown() -> Iterable[str]:
    """The directory's cards show on the space's pages only, which are never cached."""
    return ["network_directory.DirectoryEntry"]
