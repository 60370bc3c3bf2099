"""Host name -> portal, remembered in each process and forgotten by all of them at once.

Every change to a portal or a domain bumps a registry *generation* kept in the store every
process shares (the ``network`` cache: files under ``var/cache/`` without Redis, Redis
with it), the way the page cache keeps its generations (``core.caching``). Every host key
carries that generation, so a portal suspended by ``manage.py portal_status`` in a shell is
refused by every worker at its very next request, and reactivated the same way: the
lookups themselves may stay in a cache local to each process, whose entries are simply
never read again. The generation is bumped when the row is saved and again after the
transaction commits, so that a worker that read the old row meanwhile cannot keep it.

The portals' caches share one key scheme (``core.caching.portal_key``), which this module
cannot use: tenants sits below core. Its keys carry the same release
(``settings.CACHE_RELEASE``, read directly), so a deploy never reads a ``Neighbourhood``
pickled by older code.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Domain, Neighbourhood

# The store every process of every server shares (see core/settings.py, CACHES).
SHARED_CACHE_ALIAS = "network"
GENERATION_KEY = "tenants:registry-generation"
UNKNOWN = "unknown-host"


def _fresh_generation() -> int:
    # Never a value an entry still in some process's memory can have been stored under,
    # even after the shared store was emptied.
    return time.time_ns()


def registry_generation() -> int:
    """The registry's generation, as every process sees it now."""
    shared = caches[SHARED_CACHE_ALIAS]
    value = shared.get(GENERATION_KEY)
    if value is None:
        shared.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = shared.get(GENERATION_KEY, 0)
    return value


def _host_key(hostname: str) -> str:
    return f"{settings.CACHE_RELEASE}:tenants:host:{registry_generation()}:{hostname}"


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


def _bump() -> None:
    shared = caches[SHARED_CACHE_ALIAS]
    try:
        shared.incr(GENERATION_KEY)
    except ValueError:
        shared.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def forget_hosts(**kwargs: object) -> None:
    """Make every process forget every remembered host lookup (the registry changed):
    now, and again once the change is committed."""
    _bump()
    transaction.on_commit(_bump)


def connect_signals() -> None:
    for model in (Neighbourhood, Domain):
        post_save.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-save-{model}")
        post_delete.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-delete-{model}")
