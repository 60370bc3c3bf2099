"""Small views every portal shares: 404 page, robots.txt and the portal's own media."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.static import serve


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page, in the portal's look when there is a portal."""
    return render(request, "404.html", status=404)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Let robots in, keep them out of the admin, point them to the portal's sitemap."""
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    body = f"User-agent: *\nDisallow: /admin/\nSitemap: {sitemap_url}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def tenant_media(request: HttpRequest, path: str) -> FileResponse | HttpResponse:
    """Serve an upload from this portal's own media folder, and from nowhere else.

    In production a web server serves ``MEDIA_ROOT/<schema>/`` for each host instead.
    Django-tenants' storage writes file URLs as ``/media/<schema>/<path>``: that prefix is
    dropped when it is this portal's own schema (another portal's name finds nothing).
    """
    own_prefix = f"{connection.schema_name}/"
    if path.startswith(own_prefix):
        path = path.removeprefix(own_prefix)
    try:
        return serve(request, path, document_root=str(settings.MEDIA_ROOT / connection.schema_name))
    except SuspiciousFileOperation as error:  # a path that climbs out of the portal's folder
        raise Http404 from error
