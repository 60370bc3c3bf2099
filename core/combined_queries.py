"""Several querysets read in one round trip to the database.

A request that needs a few small, unrelated tables (a portal's settings, its locales, where
its private sections start) pays one round trip each. Here each queryset becomes a scalar
subquery giving its rows as JSON (PostgreSQL's ``json_agg(row_to_json(...))``), all in one
``SELECT``, and each row becomes an instance of its model again, as the ORM would build it.

Only for querysets of one table's columns (no ``select_related``, no ``values()``): the
JSON keys are the selected columns' names, and a join would repeat ``id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet


def rows_of(querysets: Sequence[QuerySet]) -> list[list[Model]]:
    """The rows of each of ``querysets`` (as model instances), in one query."""
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        sql, queryset_params = queryset.select_related(None).query.sql_with_params()
        # ``sql`` is the ORM's own, its values passed apart as parameters.
        parts.append(f"(SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM ({sql}) q)")  # noqa: S608
        params.extend(queryset_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        found = cursor.fetchone()
    return [
        [_instance(queryset.model, row, queryset.db) for row in rows]
        for queryset, rows in zip(querysets, found, strict=True)
    ]


def _instance(model: type[Model], row: dict[str, Any], db: str) -> Model:
    # As the ORM: the fields read, in the model's order (the others deferred), each value
    # turned into its Python type (JSON gives dates and times as ISO text).
    fields = [field for field in model._meta.concrete_fields if field.column in row]
    return model.from_db(
        db,
        [field.attname for field in fields],
        [_value(field, row[field.column]) for field in fields],
    )


def _value(field: Any, value: Any) -> Any:
    if value is None:
        return None
    if field.get_internal_type() == "JSONField":
        # Already parsed: the JSON document of the row holds it as JSON.
        return value
    return field.to_python(value)
