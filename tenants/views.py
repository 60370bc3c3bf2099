"""Pages of the public host: the network directory (the health check: core/health.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.addresses import portal_base_url
from tenants.models import Neighbourhood


def directory(request: HttpRequest) -> HttpResponse:
    """Every active portal of the network, with its city and its address."""
    portals = Neighbourhood.objects.active().portals().prefetch_related("domains")
    entries = [{"portal": portal, "url": portal_base_url(portal)} for portal in portals]
    return render(request, "tenants/directory.html", {"entries": entries})
