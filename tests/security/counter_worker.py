"""What a separate worker process does in the shared-counter tests: start Django on the
test database, wait for its siblings, then count hits in one portal.

Kept apart from the test module so that a spawned process imports nothing of Django
before ``django.setup()``.
"""

from __future__ import annotations


def count_hits(database: str, schema: str, scope: str, hits: int, start, results) -> None:
    """Count ``hits`` hits against ``scope`` in ``schema``, once every process is ready."""
    import django

    django.setup()
    from django.db import connection
    from django_tenants.utils import schema_context

    from core.abuse import HOUR, RateLimit

    connection.settings_dict["NAME"] = database
    limit = RateLimit(scope, limit=10_000, period=HOUR)
    try:
        with schema_context(schema):
            connection.ensure_connection()
            start.wait(timeout=60)
            for _ in range(hits):
                limit.hit("Voisin@Example.org")
        results.put("ok")
    except Exception as error:  # reported to the test, which fails with it
        results.put(repr(error))
    finally:
        connection.close()
