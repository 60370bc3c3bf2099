"""Absolute addresses of portals, built from their own primary domain.

Links sent by e-mail or built outside a request must point to the portal they are about,
never to a global setting such as ``WAGTAILADMIN_BASE_URL``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from tenants.models import Neighbourhood


def default_domain(slug: str) -> str:
    """The host name a new portal gets when none is given: ``<slug>.<network domain>``."""
    return f"{slug}.{settings.NETWORK_DOMAIN}"


def host_with_port(domain: str) -> str:
    """``domain`` with the public port when it is not the scheme's default one."""
    default_port = 443 if settings.NETWORK_SCHEME == "https" else 80
    if default_port == settings.PUBLIC_PORT:
        return domain
    return f"{domain}:{settings.PUBLIC_PORT}"


def base_url_for_domain(domain: str) -> str:
    return f"{settings.NETWORK_SCHEME}://{host_with_port(domain)}"


def primary_domain(neighbourhood: Neighbourhood):
    """The portal's primary Domain, from ``prefetch_related("domains")`` when it was
    prefetched (a listing of a thousand portals then costs no query per portal)."""
    prefetched = getattr(neighbourhood, "_prefetched_objects_cache", {}).get("domains")
    if prefetched is not None:
        return next((domain for domain in prefetched if domain.is_primary), None)
    return neighbourhood.get_primary_domain()


def portal_base_url(neighbourhood: Neighbourhood) -> str:
    """``https://belleville.example.org`` for a portal, from its primary domain."""
    primary = primary_domain(neighbourhood)
    domain = primary.domain if primary else default_domain(neighbourhood.schema_name)
    return base_url_for_domain(domain)


def network_base_url() -> str:
    """The address of the network directory."""
    return base_url_for_domain(settings.NETWORK_DOMAIN)


def current_portal() -> Neighbourhood | None:
    """The registry row of the portal whose schema is in use (None on ``public`` or the
    template schema).

    The middleware and ``tenant_context`` put the portal itself on the connection;
    ``schema_context`` puts only its name, so the registry is read then.
    """
    from django.db import connection
    from django_tenants.utils import get_public_schema_name, schema_context

    from tenants.models import Neighbourhood

    schema_name = connection.schema_name
    if schema_name == get_public_schema_name():
        return None
    tenant = connection.tenant
    if isinstance(tenant, Neighbourhood) and tenant.pk:
        return tenant
    with schema_context(get_public_schema_name()):
        return Neighbourhood.objects.filter(schema_name=schema_name).first()


def current_portal_base_url() -> str | None:
    """The base URL of the portal whose schema is active, or None on the public schema.

    For links built where there is no request to take the host from (notification
    e-mails sent by Wagtail, commands).
    """
    portal = current_portal()
    return portal_base_url(portal) if portal else None
