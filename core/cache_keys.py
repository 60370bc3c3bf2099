"""The key function of the portals' caches: the schema first, except for the network's keys.

django-tenants' ``make_key`` puts the current schema in front of every key, so that portal
A's entry can never be read at portal B. A few keys describe the whole network and are the
same at every portal (the network's generation, ``core.caching``); they start with
``NETWORK_KEY_PREFIX`` and get ``*`` in place of the schema, a character no schema name
can hold. Keeping them in the same cache as the portal's own keys lets a cached page be
read with everything it depends on in one ``get_many`` (one ``MGET`` with Redis).

Only constant keys written by ``core.caching`` start with the prefix: nothing a visitor
sends can make a key that does.
"""

from __future__ import annotations

from django_tenants import cache as tenant_cache

NETWORK_KEY_PREFIX = "network-wide:"
# Where the schema would be: no schema name can contain it.
NETWORK_SCHEMA_PART = "*"


def make_key(key: str, key_prefix: str, version: int | str) -> str:
    """The stored key: ``<schema>:<prefix>:<version>:<key>``, ``*`` for the network's keys."""
    if key.startswith(NETWORK_KEY_PREFIX):
        return f"{NETWORK_SCHEMA_PART}:{key_prefix}:{version}:{key}"
    return tenant_cache.make_key(key, key_prefix, version)


def reverse_key(key: str) -> str:
    """The key as the code wrote it (for backends that list keys)."""
    return tenant_cache.reverse_key(key)
