"""Security headers every response carries, and the page a locked-out login gets.

- Content-Security-Policy (django-csp): a strict policy on public pages, a laxer one on
  the Wagtail admin (which needs inline scripts and styles). ``frame-src`` lists only the
  players of the embed providers the portal accepts: it is built from ``radio.embeds``,
  the same list that decides which embeds are accepted, never copied into the settings.
- Previews of drafts (edit preview, revision, workflow) get the public policy, not the
  admin's: Wagtail serves them by running the middleware again on a request for the
  page's own address, whose policy is set first and kept (tests/security/test_preview_policy.py).
- Permissions-Policy: the powerful browser features no page of ours uses are off.
- Inline ``<style>`` of a public template: only through ``{% csp_style %}``, whose hash is
  added to the policy (a hash, not a nonce: a cached page stays valid).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django_tenants.utils import get_public_schema_name

ADMIN_PREFIX = "/admin/"
# The portal's own PeerTube/Castopod hosts, remembered per schema (the key carries it).
FRAME_SOURCES_KEY = "security:frame-sources"
FRAME_SOURCES_SECONDS = 300


def style_hash(css: str) -> str:
    """The CSP source that allows exactly this inline style."""
    digest = hashlib.sha256(css.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def allow_inline_style(request: HttpRequest | None, css: str) -> None:
    """Let this response carry ``<style>{css}</style>`` (see ``{% csp_style %}``)."""
    if request is not None:
        request.csp_style_hashes = [*getattr(request, "csp_style_hashes", []), style_hash(css)]


def _portal_player_hosts() -> list[str]:
    """Player hosts of every provider the current portal accepts, as CSP sources.

    Reading the portal's own instances costs a query: it is kept in the portal's cache
    and forgotten when its "Radio & TV" settings are saved.
    """
    from radio.embeds import PROVIDERS, portal_providers

    static_hosts = [host for provider in PROVIDERS for host in provider.player_hosts]
    if connection.schema_name == get_public_schema_name():
        return static_hosts
    hosts = cache.get(FRAME_SOURCES_KEY)
    if hosts is None:
        try:
            providers = portal_providers()
        except DatabaseError:
            # The database is down: this answer is the 503 page, which frames nothing.
            return static_hosts
        hosts = [host for provider in providers for host in provider.player_hosts]
        cache.set(FRAME_SOURCES_KEY, hosts, FRAME_SOURCES_SECONDS)
    return hosts


def forget_frame_sources(**kwargs: object) -> None:
    """Signal receiver: the portal's list of accepted instances changed."""
    cache.delete(FRAME_SOURCES_KEY)


def connect_signals() -> None:
    from radio.models import RadioSettings

    post_save.connect(forget_frame_sources, sender=RadioSettings, dispatch_uid="csp-frames")


def frame_sources() -> list[str]:
    """``frame-src`` sources: our own pages (admin previews) and the accepted players."""
    return ["'self'", *dict.fromkeys(f"https://{host}" for host in _portal_player_hosts())]


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's policy, embed players and Permissions-Policy."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = dict(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        update = dict(parts.update or {})
        if _is_html(response):
            update["frame-src"] = [*update.get("frame-src", []), *frame_sources()]
            hashes = getattr(request, "csp_style_hashes", [])
            if hashes:
                update["style-src"] = [*update.get("style-src", []), *hashes]
        parts.update = update
        return parts

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


def _is_html(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def login_locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out login: a French page, status 429."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "core/login_locked_out.html",
        {"minutes": int(cool_off.total_seconds() // 60)},
        status=429,
    )
