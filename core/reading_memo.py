"""Readings built once per process for what they are built from.

A page's self-filling blocks and its footer build their ``Reading`` (``core.latest``) at
each request: chains of filters, subqueries, an ``Exists`` over the stations for the
webTV's videos. Every cache off, building them was a tenth of a cold home page (issue 25
§2), for querysets that come out the same at every request of a portal: they are made of
the portal's state (its private sections, its locales, its settings), the language, the
time zone and the moment a listing compares its dates with (``core.query_moment``), never
of the request or of rows read while building.

``built_once`` keeps a reading under all of these: the portal (schema and registry row),
the digest of its state (``core.tenant_state``: any change to the state gives another),
the language, the time zone, the moment to the second, and what the caller says the
reading is (its name and arguments). Only the querysets and how their rows become items
are kept, never rows: each request reads them again (``rows_of`` reads a clone of each
queryset), so nothing a visitor sees is older than without this memo. A build that asks
the database (a source that reads a row to decide its query) is not kept: its answer
could change without the state changing. Outside a portal's request (no state at hand:
the infolettre, a task), each call builds its own.

The querysets kept are the same objects at each request, so their compilation is found by
identity (``core.combined_queries``) instead of by pickling each query.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection
from django.utils import timezone, translation

from core import tenant_state
from core.latest import Reading
from core.process_memo import MISSING, ProcessMemo
from core.query_moment import query_moment

# Readings kept, the least recently used dropped first: a few per portal and second.
_kept: ProcessMemo[Reading] = ProcessMemo(1024)


def built_once(name: str, parts: Hashable, build: Callable[[], Reading]) -> Reading:
    """The reading ``build()`` gives for ``name`` and ``parts`` (the arguments it is built
    from), built once per process for the current portal, state, language, time zone and
    second; built at each call outside a portal's request."""
    fingerprint = tenant_state.remembered("fingerprint")
    if fingerprint is None:
        return build()
    key = (
        connection.schema_name,
        getattr(getattr(connection, "tenant", None), "pk", None),
        fingerprint,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        query_moment(),
        name,
        parts,
    )
    found = _kept.found(key)
    if found is not MISSING:
        return found
    asked: list[str] = []

    def count(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        asked.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        reading = build()
    if not asked:
        _kept.keep(key, reading)
    return reading
