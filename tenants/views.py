"""Pages of the public host: the network directory and the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tenants.addresses import portal_base_url
from tenants.models import Neighbourhood


def directory(request: HttpRequest) -> HttpResponse:
    """Every active portal of the network, with its city and its address."""
    portals = Neighbourhood.objects.active().portals().prefetch_related("domains")
    entries = [{"portal": portal, "url": portal_base_url(portal)} for portal in portals]
    return render(request, "tenants/directory.html", {"entries": entries})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: is the database reachable, how many portals."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        count = Neighbourhood.objects.count()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "tenants": count})
