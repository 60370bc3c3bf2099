"""The residencies' place in the platform's extension points: their demo content.

Imported by ``portal/wagtail_hooks.py`` (Wagtail reads hooks from an app's top module),
where the section itself is declared with the portal's others.
"""

from __future__ import annotations

from wagtail import hooks

from portal.residencies.demo import seed_residency
from tenants.extension_points import DEMO_CONTENT
from tenants.models import Neighbourhood


@hooks.register(DEMO_CONTENT, order=85)
def demo_residency(neighbourhood: Neighbourhood) -> None:
    """A residency under way, after everything it links (articles, the workshop, events,
    episodes, sheets, and the carriers' partners at order 80)."""
    seed_residency(neighbourhood)
