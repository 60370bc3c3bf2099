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
    """Serve an upload of this portal, and of no other.

    django-tenants' storage writes upload URLs as ``/media/<schema>/<path>``: only paths
    under this portal's own schema are served. In production the web server does the
    same for each host (docs/operators.md).
    """
    own_prefix = f"{connection.schema_name}/"
    if not path.startswith(own_prefix):
        raise Http404
    # Served from the portal's own folder: a path that climbs out of it ("beta/../alpha")
    # is refused by serve() itself.
    folder = settings.MEDIA_ROOT / connection.schema_name
    try:
        return serve(request, path.removeprefix(own_prefix), document_root=str(folder))
    except SuspiciousFileOperation as error:
        raise Http404 from error
