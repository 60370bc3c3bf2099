"""What every template may need about the network and the portal being served."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from tenants.addresses import network_base_url


def network(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    return {
        "network_name": settings.NETWORK_NAME,
        "network_url": network_base_url(),
        "network_contact_email": settings.NETWORK_CONTACT_EMAIL,
        "portal": tenant,
    }
