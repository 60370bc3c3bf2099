"""The network's log: who did what to which portal, kept in the public schema."""

from __future__ import annotations

from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Neighbourhood, NetworkAction


def record(
    who: object, action: str, portal: Neighbourhood | str, **details: object
) -> NetworkAction:
    """Log ``action`` by ``who`` (a user or a name) on ``portal`` (kept as its slug)."""
    slug = portal if isinstance(portal, str) else portal.schema_name
    name = getattr(who, "email", "") or getattr(who, "username", "") or str(who)
    with schema_context(get_public_schema_name()):
        return NetworkAction.objects.create(who=name, action=action, portal=slug, details=details)


def latest(limit: int = 20, portal: str = "") -> list[NetworkAction]:
    """The most recent actions, newest first, on every portal or on ``portal`` only."""
    with schema_context(get_public_schema_name()):
        actions = NetworkAction.objects.all()
        if portal:
            actions = actions.filter(portal=portal)
        return list(actions[:limit])
