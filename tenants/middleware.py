"""Routing by host: which portal a request is for, and whether it may be served."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name, remove_www
from wagtail.contrib.redirects.middleware import RedirectMiddleware

from tenants import host_cache
from tenants.addresses import network_base_url
from tenants.models import Neighbourhood

MAX_HOSTNAME_LENGTH = 253  # RFC 1035: no portal can have a longer name

REFUSALS = {
    Neighbourhood.Status.SUSPENDED: (503, "tenants/suspended.html"),
    Neighbourhood.Status.ARCHIVED: (410, "tenants/archived.html"),
}


def network_portal() -> Neighbourhood:
    """The public schema as a portal object: the network directory, never saved."""
    return Neighbourhood(schema_name=get_public_schema_name(), name=settings.NETWORK_NAME)


@cache
def translated_languages() -> frozenset[str]:
    """The languages the network's own pages are written in: the network's language and
    each language of the site the project has a catalogue for (``LOCALE_PATHS``)."""
    return frozenset(
        code
        for code, _name in settings.LANGUAGES
        if code == settings.LANGUAGE_CODE
        or any((Path(folder) / code).is_dir() for folder in settings.LOCALE_PATHS)
    )


def visitor_language(request: HttpRequest | None) -> str:
    """The first language of the visitor's ``Accept-Language`` the network's pages are
    written in, else the network's language; never the language of another request."""
    header = request.headers.get("Accept-Language", "") if request is not None else ""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            variant = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if variant in translated_languages():
            return variant
    return settings.LANGUAGE_CODE


def network_page(
    template: str, status: int, request: HttpRequest | None = None, **context: object
) -> HttpResponse:
    """A page of the network itself (404, 503, 410), rendered without touching any schema.

    It is answered before Django's ``LocaleMiddleware`` has run, while the thread still has
    the language of the request it served last: the page is rendered in the visitor's
    language (``Accept-Language``) or the network's, explicitly.
    """
    context = {
        "network_name": settings.NETWORK_NAME,
        "network_url": network_base_url(),
        "network_contact_email": settings.NETWORK_CONTACT_EMAIL,
        **context,
    }
    language = visitor_language(request)
    with translation.override(language):
        response = HttpResponse(render_to_string(template, context), status=status)
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    if status == 503:
        response["Retry-After"] = "3600"
    return response


class NeighbourhoodMiddleware(TenantMainMiddleware):
    """Selects the portal's schema from the host, or answers for the network.

    Unknown hosts get the network's 404 page, suspended portals a 503 page and archived
    ones a 410 page: never a 500, never another portal's content.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        connection.set_schema_to_public()
        try:
            hostname = remove_www(request.get_host().split(":")[0]).lower()
        except DisallowedHost:
            return network_page("tenants/unknown_host.html", 404, request, hostname="")

        if hostname in settings.PUBLIC_HOSTS:
            tenant = network_portal()
        elif len(hostname) > MAX_HOSTNAME_LENGTH:
            return network_page("tenants/unknown_host.html", 404, request, hostname="")
        else:
            tenant = host_cache.tenant_for_host(hostname)
            if tenant is None:
                return network_page("tenants/unknown_host.html", 404, request, hostname=hostname)
            refusal = REFUSALS.get(tenant.status)
            if refusal:
                status, template = refusal
                return network_page(template, status, request, portal=tenant)

        tenant.domain_url = hostname
        request.tenant = tenant
        connection.set_tenant(tenant)
        self.setup_url_routing(request)
        return None


class PortalRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, for portals only: the public schema has no Wagtail tables."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if connection.schema_name == get_public_schema_name():
            return response
        return super().process_response(request, response)
