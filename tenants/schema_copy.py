"""Copying the template schema into a new portal's schema, at a cost that does not grow
with the number of portals.

django-tenants' ``clone_schema`` reads ``information_schema`` once per table and per
column; those views scan the whole catalog, so each clone gets slower as portals are added
(0.7 s with a handful of portals, 15 s at 70 on this machine: ``bench/scale.py``). Here the
template is dumped once with ``pg_dump`` (kept in memory while the template is unchanged)
and the dump is replayed for each new portal: about 0.7 s whatever the size of the
network, and the copy is exact, constraint and index names included (a later migration
that drops a constraint by name finds it in every portal).
"""

from __future__ import annotations

from django.db import connection, transaction
from django_tenants.utils import quote_schema_name

_dumps: dict[str, tuple[str, str]] = {}  # template schema -> (fingerprint, SQL)


def template_fingerprint(template: str) -> str:
    """Changes whenever the template receives a migration or new content (its pages,
    revisions, groups): when it changes, the template is dumped again."""
    quoted = quote_schema_name(template)  # the settings' name, quoted as an identifier
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT concat_ws(':',
                (SELECT count(*) FROM {quoted}.django_migrations),
                (SELECT max(id) FROM {quoted}.django_migrations),
                (SELECT count(*) FROM {quoted}.wagtailcore_page),
                (SELECT max(latest_revision_created_at) FROM {quoted}.wagtailcore_page),
                (SELECT max(id) FROM {quoted}.wagtailcore_revision),
                (SELECT count(*) FROM {quoted}.auth_group),
                (SELECT count(*) FROM {quoted}.auth_group_permissions),
                (SELECT count(*) FROM {quoted}.wagtailcore_locale))
            """  # noqa: S608
        )
        return cursor.fetchone()[0]


def template_sql(template: str) -> str:
    """The template's dump, made once per version of the template in this process."""
    from tenants.portability import dump_schema

    fingerprint = template_fingerprint(template)
    known = _dumps.get(template)
    if known is None or known[0] != fingerprint:
        known = (fingerprint, dump_schema(template))
        _dumps.clear()  # one template: never more than one dump in memory
        _dumps[template] = known
    return known[1]


def copy_schema(template: str, new: str) -> None:
    """Create schema ``new`` as an exact copy of ``template`` (tables, data, sequences)."""
    from tenants.portability import replay_dump

    sql = template_sql(template)
    # One transaction: the template is set aside while its dump is replayed under its name,
    # and nobody ever sees it missing.
    with transaction.atomic():
        replay_dump(sql, template, new)
