"""What every template may need about the network and the portal being served."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_tenants.utils import get_public_schema_name

from tenants.addresses import network_base_url


def network(request: HttpRequest) -> dict[str, object]:
    context: dict[str, object] = {
        "network_name": settings.NETWORK_NAME,
        "network_url": network_base_url(),
        "network_contact_email": settings.NETWORK_CONTACT_EMAIL,
        "portal": getattr(request, "tenant", None),
    }
    if connection.schema_name != get_public_schema_name():
        # Loaded only by the templates that use it (one query, cached on the request).
        context["portal_settings"] = SimpleLazyObject(lambda: _portal_settings(request))
    return context


def _portal_settings(request: HttpRequest):
    from home.site_settings import PortalSettings

    return PortalSettings.load(request_or_site=request)
