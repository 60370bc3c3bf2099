"""Which portals an operator's command goes through."""

from __future__ import annotations

from django.core.management.base import CommandError

from tenants.models import Neighbourhood


def active_portals(only: str | None = None) -> list[Neighbourhood]:
    """Every active portal in slug order, or only the one named ``only``.

    Naming a portal that does not exist or is not active is an operator's mistake, said
    in one line rather than a silent run over nothing.
    """
    portals = Neighbourhood.objects.active().order_by("schema_name")
    if only:
        portals = portals.filter(schema_name=only)
        if not portals.exists():
            raise CommandError(f"Aucun portail actif « {only} ».")
    return list(portals)
