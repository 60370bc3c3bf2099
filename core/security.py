"""Security headers every response carries, and the page a locked-out login gets.

- Content-Security-Policy (django-csp): a strict policy on public pages, a laxer one on
  the Wagtail admin (which needs inline scripts and styles). ``frame-src`` lists only the
  hosts features say the portal may frame (``EMBED_FRAME_HOSTS``: the radio gives the
  players of the embed providers the portal accepts, from the same list that decides
  which embeds are accepted), never copied into the settings.
- Previews of drafts (edit preview, revision, workflow) get the public policy, not the
  admin's: Wagtail serves them by running the middleware again on a request for the
  page's own address, whose policy is set first and kept (tests/security/test_preview_policy.py).
- Permissions-Policy: the powerful browser features no page of ours uses are off.
- Inline ``<style>`` of a public template: only through ``{% csp_style %}``, whose hash is
  added to the policy (a hash, not a nonce: a cached page stays valid).
- A page from the page cache brings the policy headers it was first served with
  (``policy_headers``, kept in its entry): a hit sets them as they are instead of building
  the policy again, which cost about a third of a hit's time.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict
from datetime import timedelta

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django_tenants.utils import get_public_schema_name

from core.caching import keep, kept
from core.extension_points import EMBED_FRAME_HOSTS
from tenants.extension_points import gathered

ADMIN_PREFIX = "/admin/"
FRAME_SOURCES_SECONDS = 300


def style_hash(css: str) -> str:
    """The CSP source that allows exactly this inline style."""
    digest = hashlib.sha256(css.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def allow_inline_style(request: HttpRequest | None, css: str) -> None:
    """Let this response carry ``<style>{css}</style>`` (see ``{% csp_style %}``)."""
    if request is not None:
        request.csp_style_hashes = [*getattr(request, "csp_style_hashes", []), style_hash(css)]


def _frame_hosts_registered() -> list[str]:
    return gathered(EMBED_FRAME_HOSTS)


def _portal_frame_hosts() -> list[str]:
    """Hosts the current portal's pages may frame, as features register them.

    A portal's answer may cost a query (its own video instances): it is kept in the
    portal's cache under ``portal_key``, forgotten with its pages when a model shown on
    them (the radio's settings) changes. ``FRAGMENT_CACHE=0`` turns it off with the other
    fragments (each answer then costs what it costs).
    """
    remembered = (
        settings.FRAGMENT_CACHE_ENABLED and connection.schema_name != get_public_schema_name()
    )
    key, hosts = kept("frame-hosts") if remembered else (None, None)
    if hosts is None:
        try:
            hosts = _frame_hosts_registered()
        except DatabaseError:
            # The database is down: this answer is the 503 page, which frames nothing.
            return []
        if key:
            keep(key, hosts, FRAME_SOURCES_SECONDS)
    return hosts


def frame_sources() -> list[str]:
    """``frame-src`` sources: our own pages (admin previews) and the hosts registered."""
    return ["'self'", *dict.fromkeys(f"https://{host}" for host in _portal_frame_hosts())]


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
            # A page from the page cache brings the sources it was rendered with.
            sources = getattr(request, "csp_frame_sources", None) or frame_sources()
            update["frame-src"] = [*update.get("frame-src", []), *sources]
            hashes = getattr(request, "csp_style_hashes", [])
            if hashes:
                update["style-src"] = [*update.get("style-src", []), *hashes]
        parts.update = update
        return parts

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        kept = getattr(request, "csp_headers", None)
        if kept is None:
            response = super().process_response(request, response)
        else:
            # A page from the page cache: the policy it was rendered with, built then.
            for name, value in kept.items():
                if name not in response:
                    response[name] = value
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


def policy_headers(request: HttpRequest, response: HttpResponseBase) -> dict[str, str]:
    """The Content-Security-Policy headers (enforced and report-only) the middleware gives
    ``response``, for the page cache to keep with the page: a hit then sets them as they
    are (``request.csp_headers``) rather than building the policy again.

    The same conditions as django-csp's middleware: none for an exempt response or an
    excluded prefix. Never for a response whose page used a nonce (a nonce is one answer's
    own: ``PageCacheMiddleware`` does not keep such a page).
    """
    headers = {}
    for report_only, name, exempt, setting in (
        (False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
        (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
    ):
        prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
        if getattr(response, exempt, False) or request.path_info.startswith(tuple(prefixes)):
            continue
        parts = _POLICY.get_policy_parts(request, response, report_only=report_only)
        value = build_policy(**asdict(parts), report_only=report_only)
        if value:
            headers[name] = value
    return headers


def _is_html(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


# Builds the policy of a response for ``policy_headers`` (no request goes through it).
_POLICY = SecurityHeadersMiddleware(lambda request: HttpResponse())


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
