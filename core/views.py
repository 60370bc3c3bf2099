"""Small views every portal shares: 404 page, robots.txt and the portal's own media; and
``federation_only``, for the addresses only the federation's host serves."""

from __future__ import annotations

import functools
import mimetypes
import posixpath
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import content_disposition_header, http_date
from django.views.static import was_modified_since

from tenants.models import Neighbourhood


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
# Documents go through Wagtail's view, which checks their collection's privacy; files a
# feature keeps under "private/" (uploads waiting for moderation) go through its own view,
# which checks the user's permission.
PRIVATE_MEDIA_FOLDERS = ("documents/", "private/")


def tenant_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve an upload of this portal, and of no other, with a type that cannot run.

    Upload URLs are ``/media/<schema>/<path>`` (django-tenants' folder storage, and
    ``tenants.media.TenantS3Storage`` for a bucket): only paths under this portal's own
    schema are served, read through the storage of the connection's schema, so from the
    portal's own folder or prefix. In production too: nginx passes ``/media/`` to the
    application (deploy/nginx/quartiers.conf, docs/operators.md).
    """
    own_prefix = f"{connection.schema_name}/"
    if not path.startswith(own_prefix):
        raise Http404
    relative = path.removeprefix(own_prefix)
    if not is_plain_name(relative) or relative.startswith(PRIVATE_MEDIA_FOLDERS):
        raise Http404
    return make_harmless(serve_upload(request, relative), relative)


def is_plain_name(name: str) -> bool:
    """Whether ``name`` is a file's one spelling: relative, no ``.`` or ``..`` segment, no
    empty segment, no NUL. The storage tidies the other spellings into a file of the portal's
    folder (``./documents/x`` is ``documents/x``), so checking the folder on any other
    spelling than this one would let the private folders be read."""
    if not name or name.startswith("/") or "\x00" in name:
        return False
    return posixpath.normpath(name) == name


def serve_upload(request: HttpRequest, name: str) -> HttpResponse:
    """Stream ``name`` from the default storage (the portal's own files), with a
    Last-Modified date and the 304 a browser's revalidation deserves."""
    try:
        # A name that climbs out of the portal's folder or prefix ("../alpha/...") is
        # refused by the storage itself.
        if hasattr(default_storage, "stream"):  # a bucket: one request, read as it comes
            handle, size, modified = default_storage.stream(name)
        else:
            modified = default_storage.get_modified_time(name)
            handle, size = default_storage.open(name, "rb"), None
    except (SuspiciousOperation, OSError) as error:  # missing, a folder, refused
        raise Http404 from error
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified.timestamp()):
        handle.close()
        return HttpResponseNotModified()
    content_type, encoding = mimetypes.guess_type(name)
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        filename=PurePosixPath(name).name,
    )
    response["Last-Modified"] = http_date(modified.timestamp())
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if size is not None:
        response["Content-Length"] = str(size)
    return response


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


def federation_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view answers on the federation's hosts only: a neighbourhood's host (or the
    public one) gets its plain 404, as for any address it does not serve."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if getattr(tenant, "kind", None) != Neighbourhood.Kind.FEDERATION:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
