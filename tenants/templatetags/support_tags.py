"""The support banner of a portal's admin (``tenants.support_access``)."""

from __future__ import annotations

from django import template

from tenants.models import Neighbourhood
from tenants.support_access import can_end_at_portal, current_visits

register = template.Library()


@register.inclusion_tag("tenants/admin/includes/support_banner.html", takes_context=True)
def support_banner(context: template.Context) -> dict:
    """Who from the federation is in this portal's admin, until when, and, for whoever may
    end it, the button that does: shown on every admin page while a visit lasts."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if not isinstance(tenant, Neighbourhood) or tenant.kind != Neighbourhood.Kind.NEIGHBOURHOOD:
        return {"visits": []}
    visits = [
        (access, can_end_at_portal(request.user, access)) for access in current_visits(tenant)
    ]
    return {"visits": visits, "request": request, "csrf_token": context.get("csrf_token")}
