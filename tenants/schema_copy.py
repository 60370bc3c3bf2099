"""Copying the template schema into a new portal's schema, at a cost that does not grow
with the number of portals.

django-tenants' ``clone_schema`` reads ``information_schema`` once per table and per
column; those views scan the whole catalog, so each clone gets slower as portals are added
(0.7 s with a handful of portals, 15 s at 70 on this machine: ``bench/scale.py``). Here the
template is dumped once per version with ``pg_dump`` and the dump is replayed for each new
portal: the copy is exact, constraint and index names included (a later migration that
drops a constraint by name finds it in every portal).

``pg_dump`` itself reads the whole catalogue, whatever schema it is asked for: at a
thousand portals a dump takes minutes. The dump is therefore kept in the database
(``TemplateDump``), made by ``migrate_network`` whenever the template changed, and read
from there (then from this process's memory) by every provisioning.
"""

from __future__ import annotations

import logging
import time

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django_tenants.routers import TenantSyncRouter
from django_tenants.utils import get_public_schema_name, quote_schema_name, schema_context

logger = logging.getLogger(__name__)

_dumps: dict[str, tuple[str, str]] = {}  # template schema -> (version, SQL)

# One table's rows in their text form, sorted byte-wise ("C"): the same rows give the same
# hash whatever their physical order.
_TABLE_HASH = (
    "(SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE \"C\"), ''))"
    " FROM {table} t) AS hash"
)


def tenant_tables() -> list[str]:
    """Every table a portal's schema holds by Django's models (the tenant apps', as
    django-tenants' router decides, many-to-many tables included) and the migrations'."""
    router = TenantSyncRouter()
    tables = {"django_migrations"}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if (
            meta.managed
            and not meta.proxy
            and router.app_in_list(meta.app_label, settings.TENANT_APPS)
        ):
            tables.add(meta.db_table)
    return sorted(tables)


def template_fingerprint(template: str) -> str:
    """A hash of every row of every table of the template: its migrations, pages and
    revisions, and every default it was furnished with (groups, page and collection
    permissions, classifieds categories, settings rows...). Any change to any of them gives
    a new fingerprint, and the template is dumped again.

    The tables come from the models, checked against the catalogue through its index on
    (name, schema): a table a pending migration has not created yet is left out, and the
    cost does not grow with the number of portals (a scan of ``pg_class`` would). Rows
    are hashed in their text form, sorted byte-wise, table by table.
    """
    quoted = quote_schema_name(template)  # the settings' name, quoted as an identifier
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class"
            " WHERE relname = ANY(%s) AND relnamespace = %s::regnamespace"
            " AND relkind IN ('r', 'p') ORDER BY relname",
            [tenant_tables(), template],
        )
        tables = [row[0] for row in cursor.fetchall()]
        if not tables:
            return "vide"
        hashes = " UNION ALL ".join(
            "SELECT %s AS name, "
            + _TABLE_HASH.format(table=f"{quoted}.{connection.ops.quote_name(table)}")
            for table in tables
        )
        # Identifiers quoted, names from the catalogue; each table's label is a parameter.
        whole = "SELECT md5(string_agg(name || '=' || hash, ':' ORDER BY name)) FROM ({}) t"
        cursor.execute(whole.format(hashes), tables)
        return cursor.fetchone()[0]


def _version(template: str) -> str:
    """The template's name and fingerprint: what a kept dump is filed under."""
    return f"{template}:{template_fingerprint(template)}"


def _remember(template: str, version: str, sql: str) -> str:
    _dumps.clear()  # one template: never more than one dump in memory
    _dumps[template] = (version, sql)
    return sql


def _dump_and_keep(template: str, version: str) -> str:
    """Dump the template now and keep the dump as the only one (in public)."""
    from tenants.models import TemplateDump
    from tenants.portability import dump_schema

    started = time.perf_counter()
    sql = dump_schema(template)
    with schema_context(get_public_schema_name()), transaction.atomic():
        # Only the current version is ever replayed: older ones go.
        TemplateDump.objects.exclude(fingerprint=version).delete()
        TemplateDump.objects.get_or_create(fingerprint=version, defaults={"sql": sql})
    logger.info("Template %s dumped in %.1f s", template, time.perf_counter() - started)
    return _remember(template, version, sql)


def store_template_dump(template: str) -> bool:
    """Dump the template and keep the dump, unless its current version is kept already
    (then do nothing). Returns True if it dumped."""
    from tenants.models import TemplateDump

    version = _version(template)
    with schema_context(get_public_schema_name()):
        if TemplateDump.objects.filter(fingerprint=version).exists():
            return False
    _dump_and_keep(template, version)
    return True


def template_sql(template: str) -> str:
    """The dump of the template's current version: from this process's memory, else from
    the database, else made now (and kept for every other process)."""
    from tenants.models import TemplateDump

    version = _version(template)
    known = _dumps.get(template)
    if known is not None and known[0] == version:
        return known[1]
    with schema_context(get_public_schema_name()):
        stored = (
            TemplateDump.objects.filter(fingerprint=version).values_list("sql", flat=True).first()
        )
    if stored is not None:
        return _remember(template, version, stored)
    return _dump_and_keep(template, version)


def copy_schema(template: str, new: str) -> None:
    """Create schema ``new`` as an exact copy of ``template`` (tables, data, sequences)."""
    from tenants.portability import replay_dump

    sql = template_sql(template)
    # One transaction: the template is set aside while its dump is replayed under its name,
    # and nobody ever sees it missing.
    with transaction.atomic():
        replay_dump(sql, template, new)
