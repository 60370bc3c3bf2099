"""Host name -> portal, remembered in each process and forgotten by all of them within a second.

Every change to a portal or a domain bumps a registry *generation* kept in the store every
process shares (the ``network`` cache: files under ``var/cache/`` without Redis, Redis
with it), the way the page cache keeps its generations (``core.caching``). The lookups
themselves live in each process's memory, tagged with the generation they were made
under; a lookup made under an older generation is never used again.

Each process reads the shared generation at most once every
``TENANT_REGISTRY_RECHECK_SECONDS`` (1 s by default) rather than at every request: that
read was one round trip to Redis per request, cached pages included, for a change an
operator makes a few times a year. So a portal suspended by ``manage.py portal_status`` in
a shell is refused by every worker within that bound (plus the request in flight), and
reactivated the same way; the process that makes the change sees it at once (its own
remembered generation is dropped). The generation is bumped when the row is saved and
again after the transaction commits, so that a worker that read the old row meanwhile
cannot keep it.

Nothing of a portal is kept in the shared store (only the generation, a number), so a
deploy never reads a ``Neighbourhood`` pickled by older code.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Domain, Neighbourhood

# The store every process of every server shares (see core/settings.py, CACHES).
SHARED_CACHE_ALIAS = "network"
GENERATION_KEY = "tenants:registry-generation"
# Lookups kept in this process's memory; past this many hosts the oldest are dropped.
MAX_HOSTS = 4096

# [(generation, when it was read (time.monotonic))]: this process's view of the shared
# generation, read again once it is older than TENANT_REGISTRY_RECHECK_SECONDS.
_seen: list[tuple[int, float]] = []
# hostname -> (generation, expires at (time.monotonic), portal or None for an unknown host).
_hosts: dict[str, tuple[int, float, Neighbourhood | None]] = {}


def _fresh_generation() -> int:
    # Never a value an entry still in some process's memory can have been stored under,
    # even after the shared store was emptied.
    return time.time_ns()


def registry_generation() -> int:
    """The registry's generation, as every process sees it now (one read of the shared
    store)."""
    shared = caches[SHARED_CACHE_ALIAS]
    value = shared.get(GENERATION_KEY)
    if value is None:
        shared.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = shared.get(GENERATION_KEY, 0)
    return value


def recent_registry_generation() -> int:
    """The registry's generation as read at most ``TENANT_REGISTRY_RECHECK_SECONDS`` ago
    by this process: what a request uses, so that most requests read no shared store."""
    now = time.monotonic()
    if _seen and now - _seen[0][1] < settings.TENANT_REGISTRY_RECHECK_SECONDS:
        return _seen[0][0]
    generation = registry_generation()
    _seen[:] = [(generation, now)]
    return generation


def tenant_for_host(hostname: str) -> Neighbourhood | None:
    """The portal served at ``hostname``, or None when no portal has that host."""
    generation = recent_registry_generation()
    now = time.monotonic()
    known = _hosts.get(hostname)
    if known is not None and known[0] == generation and now < known[1]:
        return known[2]
    with schema_context(get_public_schema_name()):
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    tenant = domain.tenant if domain else None
    if len(_hosts) >= MAX_HOSTS:
        # Dicts keep their order of insertion: drop the oldest lookups first.
        for stale in list(_hosts)[: MAX_HOSTS // 4]:
            del _hosts[stale]
    _hosts[hostname] = (generation, now + settings.TENANT_HOST_CACHE_SECONDS, tenant)
    return tenant


def forget_in_this_process() -> None:
    """Drop what this process remembers (its lookups and its reading of the generation):
    for a test starting on an emptied store, as a new process would."""
    _seen.clear()
    _hosts.clear()


def _bump() -> None:
    shared = caches[SHARED_CACHE_ALIAS]
    try:
        shared.incr(GENERATION_KEY)
        # Django's incr on the file and local-memory caches writes the value back with the
        # default 300 s timeout: a generation must never expire (its loss empties every
        # process's memo at once, and made query counts depend on the test's duration).
        shared.touch(GENERATION_KEY, None)
    except ValueError:
        shared.set(GENERATION_KEY, _fresh_generation(), timeout=None)
    # This process made the change: it reads the new generation at its next request.
    _seen.clear()


def forget_hosts(**kwargs: object) -> None:
    """Make every process forget every remembered host lookup (the registry changed):
    now, and again once the change is committed."""
    _bump()
    transaction.on_commit(_bump)


def connect_signals() -> None:
    for model in (Neighbourhood, Domain):
        post_save.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-save-{model}")
        post_delete.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-delete-{model}")
