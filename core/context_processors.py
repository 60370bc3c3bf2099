"""What every template may need about the network and the portal being served."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_tenants.utils import get_public_schema_name

from core.tenant_state import context_name, portal_state_settings
from tenants.addresses import network_base_url


def network(request: HttpRequest) -> dict[str, object]:
    """The network's name and addresses, the portal served, and the portal's settings
    (those of ``PORTAL_STATE_SETTINGS``, each under its snake-case name)."""
    context: dict[str, object] = {
        "network_name": settings.NETWORK_NAME,
        "network_url": network_base_url(),
        "network_contact_email": settings.NETWORK_CONTACT_EMAIL,
        "portal": getattr(request, "tenant", None),
    }
    if connection.schema_name != get_public_schema_name():
        # Loaded only by the templates that use them (from the portal state, else one
        # query, kept on the request).
        for model in portal_state_settings():
            context[context_name(model)] = SimpleLazyObject(
                lambda model=model: model.load(request_or_site=request)
            )
    return context
