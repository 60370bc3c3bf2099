"""What the network shares, as this portal reads it: the federation index's entries.

The hub's page and feed, the admin's "Fiches du réseau" and the home page's toolkit all
list from here, so that a closed portal's entries never show anywhere.
"""

from __future__ import annotations

from tenants.models import Neighbourhood, SharedEntry


def shared_entries():
    """What the hub may list: entries of portals that are open (public schema)."""
    return SharedEntry.objects.filter(tenant__status=Neighbourhood.Status.ACTIVE).select_related(
        "tenant"
    )
