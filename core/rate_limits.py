"""Anti-abuse counters shared by every worker process, and never losing a hit.

Django's cache was the store before: without Redis it is local to each process (a limit
of five an hour was five per gunicorn worker), and its ``add`` + ``incr`` on a file cache
is a read and a write that two workers can interleave. The counters now live in one table
of the public schema (``core.RateCounter``, always named with its schema, never found
through a portal's search_path), keyed by the portal's schema, and each hit is one
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement: PostgreSQL locks the row,
so concurrent hits from any process or machine are counted one after the other. The same
store serves with or without Redis, so that there is one behaviour to test.

Raw SQL because the ORM has no "increment or start a new window, and tell me the count"
in one statement; the table's name and schema come from Django and django-tenants and
are quoted.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from core.models import RateCounter


def _table() -> str:
    quote = connection.ops.quote_name
    return f"{quote(get_public_schema_name())}.{quote(RateCounter._meta.db_table)}"


def increment(key: str, period: int) -> int:
    """Count one hit on ``key`` in the current portal and return the count in its window.

    The window starts at the first hit and lasts ``period`` seconds; a hit after it starts
    a new window at 1.
    """
    now = timezone.now()
    expires = now + datetime.timedelta(seconds=period)
    sql = f"""
        INSERT INTO {_table()} AS counter (schema_name, key, count, expires_at)
        VALUES (%s, %s, 1, %s)
        ON CONFLICT (schema_name, key) DO UPDATE SET
            count = CASE WHEN counter.expires_at <= %s THEN 1 ELSE counter.count + 1 END,
            expires_at = CASE
                WHEN counter.expires_at <= %s THEN EXCLUDED.expires_at
                ELSE counter.expires_at
            END
        RETURNING count
    """  # noqa: S608 (identifiers quoted by the database backend; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.schema_name, key, expires, now, now])
        return cursor.fetchone()[0]


def current(key: str) -> int:
    """The hits counted on ``key`` in the current portal's window (0 once it expired)."""
    sql = f"""
        SELECT count FROM {_table()}
        WHERE schema_name = %s AND key = %s AND expires_at > %s
    """  # noqa: S608 (as above)
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.schema_name, key, timezone.now()])
        row = cursor.fetchone()
    return row[0] if row else 0


def _delete(where: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE {where}", params)  # noqa: S608


def forget_expired() -> None:
    """Delete the counters whose window has ended (they would count from 1 anyway)."""
    _delete("expires_at <= %s", [timezone.now()])


def forget_portal(schema_name: str) -> None:
    """Delete a portal's counters (it is being deleted; a new one may take its name)."""
    forget_portals([schema_name])


def forget_portals(schema_names: list[str]) -> None:
    """Delete the counters of every portal of ``schema_names``, in one statement."""
    _delete("schema_name = ANY(%s)", [list(schema_names)])


def forget_scope(scope: str) -> None:
    """Delete every portal's counters of one limit (``scope``)."""
    _delete("key LIKE %s", [scope.replace("%", r"\%").replace("_", r"\_") + ":%"])
