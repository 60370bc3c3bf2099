"""The network's pilots as the federation's front page shows them, from the registry and
the federation index alone (public schema): the cost does not grow with what each portal
holds, and nothing a portal has not published and shared can appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenants.addresses import portal_base_url
from tenants.models import Neighbourhood, SharedEntry


@dataclass(frozen=True)
class PilotCard:
    """One pilot: who it is, where, who carries it, its latest shared item, its address."""

    slug: str
    name: str
    territory: str
    carrying_structure: str
    url: str
    latitude: float | None
    longitude: float | None
    latest: SharedEntry | None

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def open_pilots():
    """The neighbourhoods' portals that are open, by name (the federation is no pilot)."""
    return (
        Neighbourhood.objects.active()
        .filter(kind=Neighbourhood.Kind.NEIGHBOURHOOD)
        .prefetch_related("domains")
        .order_by("name")
    )


def latest_by_portal(portal_ids: list[int]) -> dict[int, SharedEntry]:
    """The newest shared entry of each portal, in one query (PostgreSQL's DISTINCT ON)."""
    entries = (
        SharedEntry.objects.filter(tenant_id__in=portal_ids)
        .order_by("tenant_id", "-last_published_at", "-pk")
        .distinct("tenant_id")
        .only("tenant_id", "title", "url", "kind", "last_published_at")
    )
    return {entry.tenant_id: entry for entry in entries}


def pilot_cards() -> list[PilotCard]:
    """Every open pilot as a card, in three queries whatever their number."""
    pilots = list(open_pilots())
    latest = latest_by_portal([pilot.pk for pilot in pilots])
    return [
        PilotCard(
            slug=pilot.schema_name,
            name=pilot.name,
            territory=pilot.territory or pilot.city,
            carrying_structure=pilot.carrying_structure,
            url=portal_base_url(pilot) + "/",
            latitude=float(pilot.latitude) if pilot.latitude is not None else None,
            longitude=float(pilot.longitude) if pilot.longitude is not None else None,
            latest=latest.get(pilot.pk),
        )
        for pilot in pilots
    ]


def pilots_geojson(cards: list[PilotCard]) -> dict:
    """The located pilots as a GeoJSON FeatureCollection, in the shape the actors' map
    script reads (``portal/actors/actor_map.js``: name, url, kind_label, address)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [card.longitude, card.latitude]},
                "properties": {
                    "name": card.name,
                    "url": card.url,
                    "kind_label": card.territory,
                    "address": card.carrying_structure,
                },
            }
            for card in cards
            if card.is_located
        ],
    }


def latest_shared(limit: int) -> list[SharedEntry]:
    """The newest articles and episodes the portals share (not the methodology sheets,
    which the toolkit lists, nor the events, which the network agenda lists), with their
    portal for the credit; open neighbourhoods' only (the federation's own news have their
    block)."""
    entries = list(
        SharedEntry.objects.filter(
            tenant__status=Neighbourhood.Status.ACTIVE,
            tenant__kind=Neighbourhood.Kind.NEIGHBOURHOOD,
            kind__in=[SharedEntry.Kind.ARTICLE, SharedEntry.Kind.EPISODE],
        )
        .select_related("tenant")
        .prefetch_related("tenant__domains")
        .order_by("-last_published_at", "-pk")[:limit]
    )
    for entry in entries:
        entry.portal_url = portal_base_url(entry.tenant) + "/"
    return entries
