"""What one portal's schema costs PostgreSQL's catalogue, and that cost at 1,000 portals.

    .venv/bin/python bench/schema_footprint.py [--portals 3]

Provisions a few portals (the real service, copy of the template), then prints per
portal: its tables, its relations (tables, indexes, sequences, TOAST: the rows it adds to
pg_class), the rows it adds to the other big catalogues (pg_attribute, pg_depend,
pg_constraint, pg_index), its own disk, and how much the catalogue grew on disk; the last
column multiplies by 1,000. The share of each Django app whose tables start with a given
prefix is printed too (``--prefix wagtail_localize`` by default), so that the cost of one
app can be read from a single run. The bench portals are dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from tenants.factories import PortalSpecFactory  # noqa: E402
from tenants.models import Neighbourhood  # noqa: E402
from tenants.provisioning import provision_neighbourhood  # noqa: E402
from tenants.template_schema import ensure_template_schema  # noqa: E402

CATALOGUES = ["pg_class", "pg_attribute", "pg_depend", "pg_constraint", "pg_index", "pg_type"]

# The relations of one schema, optionally only those of tables named like a prefix (their
# indexes, sequences and TOAST tables with them).
RELATIONS = """
    with own as (
        select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = %(schema)s and c.relkind in ('r', 'p')
          and c.relname like %(prefix)s
    ), rels as (
        select oid from own
        union select i.indexrelid from pg_index i join own on i.indrelid = own.oid
        union select c.reltoastrelid from pg_class c join own on c.oid = own.oid
              where c.reltoastrelid <> 0
        union select i.indexrelid from pg_index i join pg_class c on i.indrelid = c.reltoastrelid
              join own on c.oid = own.oid
        union select d.objid from pg_depend d join own on d.refobjid = own.oid
              where d.classid = 'pg_class'::regclass and d.deptype in ('a', 'i')
              and d.objid in (select oid from pg_class where relkind = 'S')
    )
    select
        (select count(*) from own),
        (select count(*) from rels),
        (select count(*) from pg_attribute where attrelid in (select oid from rels)),
        (select count(*) from pg_depend where objid in (select oid from rels)
            or refobjid in (select oid from rels)),
        (select count(*) from pg_constraint where conrelid in (select oid from own)),
        (select count(*) from pg_index where indrelid in (select oid from rels)),
        (select coalesce(sum(pg_relation_size(oid)), 0) from rels)
"""


def footprint(schema: str, prefix: str = "%") -> dict[str, int]:
    """Tables, relations, catalogue rows and bytes of ``schema`` (of its tables named
    like ``prefix`` only, when given)."""
    with connection.cursor() as cursor:
        cursor.execute(RELATIONS, {"schema": schema, "prefix": prefix})
        tables, relations, attributes, depends, constraints, indexes, size = cursor.fetchone()
        cursor.execute(
            "select count(*) from information_schema.tables where table_schema = %s", [schema]
        )
        (information_schema_tables,) = cursor.fetchone()
    return {
        "tables (information_schema)": information_schema_tables if prefix == "%" else tables,
        "relations (pg_class rows)": relations,
        "pg_attribute rows": attributes,
        "pg_depend rows": depends,
        "pg_constraint rows": constraints,
        "pg_index rows": indexes,
        "disk of its relations (kB)": size // 1024,
    }


def catalogue_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "select sum(pg_total_relation_size(c.oid)) from pg_class c "
            "join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = 'pg_catalog' and c.relkind = 'r'"
        )
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=3, help="portails mesurés (3)")
    parser.add_argument("--prefix", default="wagtail_localize", help="tables d'une app")
    options = parser.parse_args()

    ensure_template_schema(verbosity=0)
    connection.close()  # a fresh session, as one provisioning is
    before = catalogue_bytes()
    try:
        for number in range(1, options.portals + 1):
            provision_neighbourhood(PortalSpecFactory(slug=f"benchfoot{number}", invite=False))
        grown = (catalogue_bytes() - before) // options.portals
        whole = footprint("benchfoot1")
        part = footprint("benchfoot1", options.prefix.replace("_", r"\_") + "%")
    finally:
        for portal in Neighbourhood.objects.filter(schema_name__startswith="benchfoot"):
            portal.delete(force_drop=True)

    print(f"\n| one portal's schema | all | of which {options.prefix}* | all at 1,000 portals |")
    print("| --- | ---: | ---: | ---: |")
    for label, value in whole.items():
        print(f"| {label} | {value} | {part[label]} | {value * 1000:,} |")
    print(
        f"| catalogue growth on disk (kB, mean of {options.portals}) | {grown // 1024} | "
        f"| {grown * 1000 // 1024 // 1024:,} MB |"
    )


if __name__ == "__main__":
    main()
