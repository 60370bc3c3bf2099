"""Small views every portal shares: 404 page, robots.txt and the portal's own media."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.static import serve


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page, in the portal's look when there is a portal."""
    return render(request, "404.html", status=404)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Let robots in, keep them out of the admin, point them to the portal's sitemap."""
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    body = f"User-agent: *\nDisallow: /admin/\nSitemap: {sitemap_url}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


# Types a browser may show inline from a portal's media: raster images, sound and video.
# Anything else (HTML, SVG, PDF, scripts, unknown) is sent as a download, never rendered
# on the portal's origin, whatever its extension claims.
INLINE_MEDIA_TYPES = re.compile(r"^(image/(png|jpeg|gif|webp|avif)|audio/[\w.+-]+|video/[\w.+-]+)$")
# Documents go through Wagtail's view, which checks their collection's privacy.
PRIVATE_MEDIA_FOLDERS = ("documents/",)


def tenant_media(request: HttpRequest, path: str) -> FileResponse | HttpResponse:
    """Serve an upload of this portal, and of no other, with a type that cannot run.

    django-tenants' storage writes upload URLs as ``/media/<schema>/<path>``: only paths
    under this portal's own schema are served. In production too: nginx passes
    ``/media/`` to the application (deploy/nginx/quartiers.conf, docs/operators.md).
    """
    own_prefix = f"{connection.schema_name}/"
    if not path.startswith(own_prefix):
        raise Http404
    relative = path.removeprefix(own_prefix)
    if relative.startswith(PRIVATE_MEDIA_FOLDERS):
        raise Http404
    # Served from the portal's own folder: a path that climbs out of it ("beta/../alpha")
    # is refused by serve() itself.
    folder = settings.MEDIA_ROOT / connection.schema_name
    try:
        response = serve(request, relative, document_root=str(folder))
    except SuspiciousFileOperation as error:
        raise Http404 from error
    return make_harmless(response, relative)


def make_harmless(response: HttpResponse, path: str) -> HttpResponse:
    """Inline only for images, sound and video; every other file becomes a download."""
    content_type = (response.get("Content-Type") or "").split(";")[0].strip().lower()
    if response.status_code == 200 and not INLINE_MEDIA_TYPES.match(content_type):
        response["Content-Type"] = "application/octet-stream"
        filename = PurePosixPath(path).name
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it, the file could load nothing and run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
