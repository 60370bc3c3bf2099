"""What the network shares, as this portal reads it: the federation index's entries.

The hub's page and feed, the admin's "Fiches du réseau" and the home page's toolkit all
list from here, so that a closed portal's entries never show anywhere.
"""

from __future__ import annotations

from tenants.models import SharedEntry

# What the hub, its feed and the toolkit list: reading matter. Events and episodes have
# the network's agenda and podcast (``portal.agenda.network``, radio's).
READING = (SharedEntry.Kind.METHODOLOGY, SharedEntry.Kind.ARTICLE)


def shared_entries():
    """Every entry of the portals that are open (public schema), with its portal."""
    return SharedEntry.objects.of_open_portals().select_related("tenant")


def shared_reading():
    """The sheets and articles of the portals that are open."""
    return shared_entries().of_kind(*READING)
