"""Host name -> portal, remembered in the cache and forgotten when the registry changes.

Every change to a portal or a domain bumps a registry version that is part of every
host key, so all lookups are forgotten at once, whichever host they were for. The keys
live under the public schema's prefix whatever schema the caller is in.

The portals' caches share one key scheme (``core.caching.portal_key``), which this module
cannot use: tenants sits below core. Its keys carry the same release
(``settings.CACHE_RELEASE``, read directly), so a deploy never reads a ``Neighbourhood``
pickled by older code, and keep their own registry version instead of the generations.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Domain, Neighbourhood

VERSION_KEY = "tenants:registry-version"
UNKNOWN = "unknown-host"


def _host_key(hostname: str) -> str:
    version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    return f"{settings.CACHE_RELEASE}:tenants:host:{version}:{hostname}"


def tenant_for_host(hostname: str) -> Neighbourhood | None:
    """The portal served at ``hostname``, or None when no portal has that host."""
    with schema_context(get_public_schema_name()):
        key = _host_key(hostname)
        cached = cache.get(key)
        if cached is not None:
            return None if cached == UNKNOWN else cached
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        tenant = domain.tenant if domain else None
        cache.set(key, tenant or UNKNOWN, timeout=settings.TENANT_HOST_CACHE_SECONDS)
        return tenant


def forget_hosts(**kwargs: object) -> None:
    """Forget every remembered host lookup (called when the registry changes)."""
    with schema_context(get_public_schema_name()):
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, timeout=None)


def connect_signals() -> None:
    for model in (Neighbourhood, Domain):
        post_save.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-save-{model}")
        post_delete.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-delete-{model}")
