"""Methodology sheets in the federation index for bench portals, as publishing would
leave them (searchable), without building their pages."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.utils import timezone

from tenants.models import Neighbourhood, SharedEntry

MODULES = ["workshop", "round_table", "media_literacy", "pitch", "breakfast", "mapping"]


def share_sheets(
    portals: list[Neighbourhood], per_portal: int, modules: list[str] = MODULES
) -> None:
    """``per_portal`` index entries for each portal, their modules taken in turn."""
    now = timezone.now()
    SharedEntry.objects.bulk_create(
        SharedEntry(
            tenant=portal,
            page_id=page,
            locale="fr",
            kind="methodology",
            module=modules[page % len(modules)],
            title=f"Atelier n° {page} du {portal.name}",
            summary="Réunir les habitants pour cartographier les ressources du quartier.",
            tags=["participation"],
            url=f"http://{portal.schema_name}.localhost:8000/methodologie/fiche-{page}/",
            last_published_at=now,
        )
        for portal in portals
        for page in range(per_portal)
    )
    SharedEntry.objects.filter(search_vector=None).update(
        search_vector=SearchVector("title", weight="A", config="french")
        + SearchVector("summary", weight="C", config="french")
    )
