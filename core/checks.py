"""System checks of what features register (``manage.py check``).

- ``quartiers.W001``: a block's preview or default names a "latest" source no app
  registers (no database needed).
- ``quartiers.W002`` (tag ``database``): a row of the current portal's schema stores a
  "latest" block naming a source no app registers any more (retired, or renamed). Such a
  block shows nothing to visitors. Run it in each portal with
  ``manage.py all_tenants_command check --database default``; the public schema holds no
  portal content and is skipped.
- ``quartiers.W003``: two sources registered under the same key (the first one wins).

The StreamFields are found through the blocks, not named: any block that stores its
source with ``core.latest.LatestSourceChoiceBlock`` is checked, whichever app defines it.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.core import checks
from django.db import DatabaseError, connection, transaction
from django.db.models import JSONField, Model
from django.db.models.functions import Cast
from django_tenants.utils import get_public_schema_name
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page

from core.latest import LatestSourceChoiceBlock, duplicate_keys, sources_for


def register() -> None:
    """Register the checks (from ``CoreConfig.ready``)."""
    checks.register(check_latest_source_keys)
    checks.register(check_stored_latest_sources, checks.Tags.database)


def _tables_here(names: list[str]) -> set[str]:
    """Which of ``names`` are tables of the current schema, through the catalogue's index
    on (name, schema). Django's table list would read every table of every schema: run
    in each portal (``all_tenants_command check``, a plain ``migrate_schemas``), its cost
    would grow with the square of the number of portals."""
    if not names:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s)"
            " AND relnamespace = to_regnamespace(%s) AND relkind IN ('r', 'p')",
            [names, connection.schema_name],
        )
        return {row[0] for row in cursor.fetchall()}


def _holds_source(block: blocks.Block) -> bool:
    if isinstance(block, LatestSourceChoiceBlock):
        return True
    if isinstance(block, blocks.ListBlock):
        return _holds_source(block.child_block)
    children = getattr(block, "child_blocks", None) or {}
    return any(_holds_source(child) for child in children.values())


def _stream_fields_with_sources() -> Iterator[tuple[type[Model], StreamField]]:
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            if isinstance(field, StreamField) and _holds_source(field.stream_block):
                yield model, field


def _struct_blocks_with_sources(block: blocks.Block) -> Iterator[blocks.StructBlock]:
    if isinstance(block, blocks.StructBlock) and any(
        isinstance(child, LatestSourceChoiceBlock) for child in block.child_blocks.values()
    ):
        yield block
    children = getattr(block, "child_blocks", None) or {}
    if isinstance(block, blocks.ListBlock):
        children = {"item": block.child_block}
    for child in children.values():
        yield from _struct_blocks_with_sources(child)


def sources_in(block: blocks.Block, raw: object) -> Iterator[tuple[str, str]]:
    """(use, key) of every source named in ``raw``, the stored JSON of ``block``.

    Whatever the JSON holds (an old release's shape, a row written by hand), this reads
    what it can and skips the rest: a check reports, it never raises.
    """
    if not raw or not _holds_source(block):
        return
    if isinstance(block, LatestSourceChoiceBlock):
        yield block.use, str(raw)
    elif isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        for item in raw:
            # ListBlock stores {"type": "item", "value": ...} since Wagtail 2.16.
            is_wrapped = isinstance(item, dict) and item.get("type") == "item"
            yield from sources_in(block.child_block, item.get("value") if is_wrapped else item)
    elif isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for item in raw:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                yield from sources_in(child, item.get("value"))
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            yield from sources_in(child, raw.get(name))


def check_latest_source_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """W001 and W003: blocks' previews and defaults name registered sources, once each."""
    messages = [
        checks.Warning(
            f"Deux sources de « derniers contenus » portent la clé « {key} ».",
            hint="Une seule est proposée ; donnez à l'autre une clé à elle.",
            id="quartiers.W003",
        )
        for key in duplicate_keys()
    ]
    for model, field in _stream_fields_with_sources():
        for struct in _struct_blocks_with_sources(field.stream_block):
            name, source_block = next(
                (name, child)
                for name, child in struct.child_blocks.items()
                if isinstance(child, LatestSourceChoiceBlock)
            )
            offered = sources_for(source_block.use)
            named = [
                value.get(name)
                for value in (struct.meta.preview_value, struct.meta.default)
                if isinstance(value, dict)
            ]
            named.append(source_block.meta.default)
            for key in filter(None, named):
                if isinstance(key, str) and key not in offered:
                    messages.append(
                        checks.Warning(
                            f"{model._meta.label}.{field.name} : le bloc {struct.name or ''} "
                            f"propose par défaut la source « {key} », qu'aucune application "
                            "ne fournit.",
                            id="quartiers.W001",
                        )
                    )
    return messages


def check_stored_latest_sources(
    app_configs=None, databases=None, **kwargs
) -> list[checks.CheckMessage]:
    """W002: what this portal's rows store names only registered sources."""
    if not databases or "default" not in databases:
        return []
    if connection.schema_name == get_public_schema_name():
        return []
    found = list(_stream_fields_with_sources())
    tables = _tables_here([model._meta.db_table for model, _field in found])
    messages = []
    for model, field in found:
        if model._meta.db_table not in tables:
            continue
        is_page = issubclass(model, Page)
        # The stored JSON as it is, not Wagtail's StreamValue: converting a row of odd
        # shape would raise before the check could read the rest.
        stored = Cast(field.attname, output_field=JSONField())
        columns = ["pk", "title", "stored_json"] if is_page else ["pk", "stored_json"]
        try:
            with transaction.atomic():
                rows = list(
                    model._default_manager.annotate(stored_json=stored).values_list(*columns)
                )
        except DatabaseError:
            # A schema whose migrations are still pending (``migrate`` runs the checks
            # first): there is nothing to read yet, and migrating must not fail for it.
            continue
        for row in rows:
            pk, raw = row[0], row[-1]
            for use, key in sources_in(field.stream_block, raw):
                if key in sources_for(use):
                    continue
                what = f"« {row[1]} »" if is_page else str(pk)
                messages.append(
                    checks.Warning(
                        f"{model._meta.verbose_name} {what} (id {pk}, schéma "
                        f"{connection.schema_name}) : un bloc de « {field.verbose_name} » "
                        f"affiche la source « {key} », qu'aucune application ne fournit : "
                        "il n'affiche rien.",
                        hint="Choisissez une autre rubrique pour ce bloc, ou retirez-le.",
                        obj=model,
                        id="quartiers.W002",
                    )
                )
    return messages
