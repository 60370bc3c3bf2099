"""Portal schemas reused from one test module to the next (issue 23 §6).

Each module opens its portals (``make_portal`` in ``tests/conftest.py``) and removes them
at its end. Opening one replays the template's dump (hundreds of tables, indexes and
sequences created); removing it drops them all again, and the catalogue then needs a
VACUUM: about a fifth of the suite's time went there.

Here a module's portal, once its registry row is gone, is not dropped: its schema is put
back into the state of the template, row for row, and kept aside under a spare name
(``test_spare_<n>``). The next module that opens a portal takes a spare schema, renames it
to its slug, and provisioning (``tenants.provisioning``, unchanged) finds the schema there
and goes on with its usual steps, as it would after a fresh copy of the template.

Putting a schema back (``reset_to_template``):

- every table of the schema is emptied, then given the template's rows; once a schema was
  put back, only the tables written into since (their rows' places and writing
  transactions, ``_table_versions``, changed) are, as long as the template's rows are
  those it was put back from;
- every sequence is set where the template's stands;
- the portal's media folder is deleted, as a drop deletes it.

A schema is kept only if its structure (tables, columns and their types, constraints,
indexes, sequences: ``structure``) is still the one it had when it was opened, and the
template's is still the one it had then; otherwise (a test migrated or altered either) it
is dropped as before. A spare is taken only while the template is still what it was when
the spare was put back into its rows: the same structure and the same rows
(``tenants.schema_copy.template_fingerprint``); otherwise every spare is dropped.
Structures and fingerprints cost a fraction of a second each, several times a module: each
is kept under a cheap version of what it is read from (the catalogue rows' identities and
writing transactions, ``_catalogue_version``; the template's rows', ``_rows_version``) and
computed again only when that changed. So a portal never opens in an older structure than a
new copy would have, nor with rows a test wrote into the template (and took out again)
while the spare was being reset. That the reset is complete is proved by
``tests/test_portal_pool.py``: a portal that was written to (pages, accounts, sequences,
media) is, once put back, equal to the template in every row of every table, and the next
portal that takes it sees nothing of the first.

Spare schemas are visible to what lists a database's schemas (backups): the modules that
do ask for ``no_spare_schemas`` (``tests/conftest.py``), which drops them first.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django_tenants.utils import quote_schema_name, schema_exists

from tenants.media import delete_portal_media
from tenants.schema_copy import template_fingerprint
from tenants.template_schema import template_name
from tests import portal_costs

PREFIX = "test_spare_"

# The spare schemas of this process (each xdist worker has its own database).
_spares: list[str] = []
_made = 0
# Each portal's and spare's structure when it was first opened (``opened``), and the
# template's then (``_template_state``); for a spare, the template's when it was reset.
_born: dict[str, tuple[str, tuple[str, str]]] = {}
# For a spare (and the portal that takes it), the template's rows' version
# (``_rows_version``) when it was last reset, and its tables' row versions
# (``_table_versions``) just after: a table still at those, from a template still at
# that, holds the template's rows and need not be written again.
_reset: dict[str, tuple[str, dict[str, str]]] = {}
# A table's row version when it holds no row.
_EMPTY = hashlib.md5(b"").hexdigest()  # noqa: S324 (a change detector, not a secret)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


# One line per column, constraint, index and sequence of a schema, its name left out of
# each definition: two schemas of the same structure give the same text, hashed in the
# database (nothing but the hash comes back).
_STRUCTURE = """
SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line COLLATE "C"), '')) FROM (
  SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' ' || c.relpersistence::text AS line
    FROM pg_class c WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'col ' || c.relname || ' ' || row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)
         || ' ' || a.attname || ' '
         || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' '
         || a.attidentity::text || ' ' || a.attgenerated::text || ' '
         || coalesce(
              replace(pg_get_expr(d.adbin, d.adrelid), quote_ident(%(schema)s) || '.', ''), ''
            )
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = %(schema)s::regnamespace AND c.relkind IN ('r', 'p')
      AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'con ' || c.relname || ' ' || k.conname || ' '
         || replace(pg_get_constraintdef(k.oid), quote_ident(%(schema)s) || '.', '')
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    WHERE k.connamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'idx ' || replace(pg_get_indexdef(i.indexrelid), quote_ident(%(schema)s) || '.', '')
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'seq ' || c.relname || ' ' || s.seqtypid::regtype || ' ' || s.seqstart || ' '
         || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax || ' ' || s.seqcycle
    FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
    WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'trg ' || c.relname || ' ' || t.tgname
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = %(schema)s::regnamespace AND NOT t.tgisinternal
) lines
"""

# Where ``_STRUCTURE`` reads from: every catalogue row it looks at (the schema's relations,
# columns and their types, defaults, constraints, indexes, sequences, triggers), each by
# its identity and the transaction that wrote it (xmin). DDL writes new versions of these
# rows, with the new transaction's xmin, or removes them: any change to the structure
# changes this text, at a fraction of ``_STRUCTURE``'s cost (no definition is rebuilt). A
# statement rolled back leaves the rows, and the version, as they were.
_CATALOGUE_VERSION = """
SELECT %(schema)s::regnamespace::oid || ' ' || md5(coalesce(string_agg(v, ',' ORDER BY v), ''))
FROM (
  SELECT 'c' || c.oid || ':' || c.xmin AS v
    FROM pg_class c WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'a' || a.attrelid || '.' || a.attnum || ':' || a.xmin || ':' || ty.oid || ':' || ty.xmin
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_type ty ON ty.oid = a.atttypid
    WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'd' || d.oid || ':' || d.xmin
    FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
    WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'k' || k.oid || ':' || k.xmin
    FROM pg_constraint k WHERE k.connamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 'i' || i.indexrelid || ':' || i.xmin
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 's' || s.seqrelid || ':' || s.xmin
    FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
    WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT 't' || t.oid || ':' || t.xmin
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = %(schema)s::regnamespace
) versions
"""

# Structures already computed, by catalogue version (``_catalogue_version``): a schema
# whose catalogue rows are the very ones seen then has that structure still.
_structures: dict[str, str] = {}
# The query of the template's rows' versions (``_rows_version``), by catalogue version.
_row_queries: dict[str, str] = {}
# Fingerprints of the template's rows already computed, by rows' version
# (``_rows_version``): the same row versions are the same rows.
_fingerprints: dict[str, str] = {}


def _catalogue_version(schema: str) -> str:
    """The identity and xmin of every catalogue row the schema's structure is read from:
    equal versions, equal structures (``_CATALOGUE_VERSION``)."""
    with connection.cursor() as cursor:
        cursor.execute(_CATALOGUE_VERSION, {"schema": schema})
        return cursor.fetchone()[0]


def structure(schema: str, version: str | None = None) -> str:
    """A hash of the schema's tables, columns, constraints, indexes and sequences;
    computed again only when the catalogue rows they are read from changed (``version``:
    the schema's ``_catalogue_version`` when the caller has just read it)."""
    version = version or _catalogue_version(schema)
    known = _structures.get(version)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute(_STRUCTURE, {"schema": schema})
            known = _structures[version] = cursor.fetchone()[0]
    return known


def _rows_version(schema: str, catalogue: str) -> str:
    """Where every row of every table of ``schema`` lies and which transaction wrote it
    (ctid, xmin). An insert or an update writes a row version with its transaction's
    xmin, at a place no live row holds; a delete removes one: any change to the rows
    changes this, and reading it rebuilds no row's text."""
    if catalogue not in _row_queries:
        tables = _relations(schema, ("r", "p"))
        quoted = quote_schema_name(schema)
        parts = " UNION ALL ".join(
            f"SELECT {index} AS n, (SELECT md5(coalesce(string_agg("  # noqa: S608
            f"ctid::text || xmin::text, ',' ORDER BY ctid), '')) FROM {quoted}.{_quote(t)}) AS h"
            for index, t in enumerate(tables)
        )
        whole = "SELECT md5(string_agg(n || '=' || h, ':' ORDER BY n)) FROM ({}) t"
        _row_queries[catalogue] = whole.format(parts) if tables else "SELECT 'vide'"
    with connection.cursor() as cursor:
        cursor.execute(_row_queries[catalogue])
        return f"{catalogue} {cursor.fetchone()[0]}"


# The template's state read once for a block that writes nothing into it
# (``template_left_alone``), or None outside such a block.
_steady: tuple[tuple[str, str], str] | None = None
_steady_blocks = 0


@contextmanager
def template_left_alone() -> Iterator[None]:
    """Within the block, the template's state (``_template_now``) is read once: for code
    that writes into portals and the public schema, never into the template, such as a
    module's teardown giving back its portals one after the other (``make_portal``).
    Reading it costs about 30 ms of the server's CPU each time (the versions of the
    template's catalogue rows and rows: 45 ms of wall time on a quiet machine), and the
    modules of a run open 1.8 portals each on average. Outside the block it is read again
    at every call: test code may write into the template between two."""
    global _steady, _steady_blocks
    _steady_blocks += 1
    try:
        yield
    finally:
        _steady_blocks -= 1
        if not _steady_blocks:
            _steady = None


def _template_now() -> tuple[tuple[str, str], str]:
    """``_template_state`` and the version of the template's rows it was read at (read
    once within a ``template_left_alone`` block)."""
    global _steady
    if _steady is not None:
        return _steady
    template = template_name()
    catalogue = _catalogue_version(template)
    rows = _rows_version(template, catalogue)
    fingerprint = _fingerprints.get(rows)
    if fingerprint is None:
        fingerprint = _fingerprints[rows] = template_fingerprint(template)
    now = (structure(template, catalogue), fingerprint), rows
    if _steady_blocks:
        _steady = now
    return now


def _template_state() -> tuple[str, str]:
    """The template's structure and the fingerprint of its rows: what a spare reset from
    it, or a portal opened from it, was made of. Each is computed again only when the
    cheap versions of its catalogue rows, or of its rows, changed."""
    return _template_now()[0]


def _table_versions(cursor, schema: str, tables: list[str]) -> list[str]:
    """Each table's rows by place and writing transaction (ctid, xmin), hashed: it changes
    with any insert, update or delete (``_rows_version``); ``_EMPTY`` for no row."""
    if not tables:
        return []
    quoted = quote_schema_name(schema)
    hashes = ", ".join(
        f"(SELECT md5(coalesce(string_agg(ctid::text || xmin::text, ',' ORDER BY ctid), ''))"  # noqa: S608
        f" FROM {quoted}.{_quote(t)})"
        for t in tables
    )
    cursor.execute(f"SELECT {hashes}")
    return list(cursor.fetchone())


def _relations(schema: str, kinds: tuple[str, ...]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace"
            " AND relkind = ANY(%s) ORDER BY relname",
            [schema, list(kinds)],
        )
        return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor, schema: str, tables: list[str]) -> list[int]:
    if not tables:
        return []
    quoted = quote_schema_name(schema)
    counts = ", ".join(f"(SELECT count(*) FROM {quoted}.{_quote(t)})" for t in tables)  # noqa: S608
    cursor.execute(f"SELECT {counts}")
    return list(cursor.fetchone())


def _columns(cursor, schema: str, tables: list[str]) -> dict[str, list[str]]:
    """The columns of each table (not generated ones), in their order."""
    cursor.execute(
        "SELECT c.relname, array_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid"
        " WHERE c.relnamespace = %s::regnamespace AND c.relname = ANY(%s)"
        " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
        " GROUP BY c.relname ORDER BY c.relname",
        [schema, tables],
    )
    return dict(cursor.fetchall())


def _without_row_triggers(cursor) -> None:
    """For the rest of the transaction, no foreign key check nor trigger on the rows
    written (``session_replication_role = replica``, as a restore does), where the
    session may ask for it (a superuser, as the embedded server's is).

    The rows a reset writes are the template's, which hold every constraint: checking
    them again proves nothing, and cost half of a reset: each deleted row queued a check
    of the tables referring to it, each inserted one a check of those it refers to, all
    run at commit. A demo portal was put back in 0.20-0.25 s with the checks, 0.09-0.17 s
    without (ten portals of ``tests/tenants/test_seed_demo.py``, alternated in one run).
    Elsewhere (a DATABASE_URL role that may not) the checks run as before."""
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")


def reset_to_template(
    schema: str, rows_version: str = "", before: tuple[str, dict[str, str]] | None = None
) -> dict[str, str]:
    """Give every table of ``schema`` the template's rows, and every sequence the
    template's position, in one transaction. The structures must be the same. Returns
    the tables' row versions after (``_table_versions``).

    ``before``: the template's rows' version when ``schema`` was last reset, and its
    tables' row versions just after; when the template's rows are still at that version
    (``rows_version``), a table whose rows are too holds the template's rows still and is
    left alone: a module writes into a few tables, not into hundreds.

    Rows go by DELETE, not TRUNCATE: a truncated table gets new files and new catalogue
    rows, hundreds a portal, the churn that made dropping costly. Every foreign key of a
    portal is deferred (Django makes them ``DEFERRABLE INITIALLY DEFERRED``), so the
    tables can be emptied and filled in any order.
    """
    template = template_name()
    source, target = quote_schema_name(template), quote_schema_name(schema)
    tables = _relations(template, ("r", "p"))
    sequences = _relations(template, ("S",))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _without_row_triggers(cursor)
        # Names from the catalogue, quoted: nothing a test chose.
        used = dict(zip(tables, _table_versions(cursor, schema, tables), strict=True))
        if before is not None and before[0] == rows_version:
            stale = [t for t in tables if before[1].get(t) != used[t]]
        else:
            stale = tables
        furnished = _row_counts(cursor, template, stale)
        for table in stale:
            if used[table] != _EMPTY:
                cursor.execute(f"DELETE FROM {target}.{_quote(table)}")  # noqa: S608
        filled = [table for table, rows in zip(stale, furnished, strict=True) if rows]
        for table, columns in _columns(cursor, template, filled).items():
            names = ", ".join(_quote(column) for column in columns)
            cursor.execute(
                f"INSERT INTO {target}.{_quote(table)} ({names})"  # noqa: S608
                f" SELECT {names} FROM {source}.{_quote(table)}"
            )
        if sequences:
            positions = ", ".join(
                f"setval(%s, (SELECT last_value FROM {source}.{_quote(s)}),"  # noqa: S608
                f" (SELECT is_called FROM {source}.{_quote(s)}))"
                for s in sequences
            )
            cursor.execute(
                f"SELECT {positions}",
                [f"{target}.{_quote(s)}" for s in sequences],
            )
        written = [t for t in stale if used[t] != _EMPTY or t in filled]
        used.update(zip(written, _table_versions(cursor, schema, written), strict=True))
    return used


def take(slug: str) -> str | None:
    """Rename a spare schema to ``slug`` (free: no schema of that name); its name before,
    or None when there is none, or when the template's structure or rows changed since the
    spares were reset (a migration test, a test that wrote into the template): they are
    dropped then, and new copies made."""
    if not _spares or schema_exists(slug):
        return None
    template = _template_state()
    spare = _spares.pop()
    if _born[spare][1] != template:
        _spares.append(spare)
        drop_spares()
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {_quote(spare)} RENAME TO {quote_schema_name(slug)}")
    _born[slug] = _born.pop(spare)
    if spare in _reset:
        _reset[slug] = _reset.pop(spare)
    return spare


def put_back(slug: str, spare: str) -> None:
    """Undo ``take`` after a provisioning that failed (and rolled back)."""
    if schema_exists(slug) and not schema_exists(spare):
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER SCHEMA {quote_schema_name(slug)} RENAME TO {_quote(spare)}")
        _born[spare] = _born.pop(slug)
        if slug in _reset:
            _reset[spare] = _reset.pop(slug)
        _spares.append(spare)


def opened(slug: str) -> None:
    """Note the structure of a portal just opened in a new copy of the template, and the
    template's (one opened in a spare schema has them noted already): what both must
    still be for its schema to be kept."""
    if slug not in _born:
        _born[slug] = (structure(slug), _template_state())


def give_back(schema: str) -> None:
    """Keep the schema of a removed portal as a spare, put back into the template's rows,
    or drop it if its structure or the template's changed since it was opened (a test
    altered or migrated them). Its media go either way."""
    global _made
    delete_portal_media(schema)
    born = _born.pop(schema, None)
    before = _reset.pop(schema, None)
    if not schema_exists(schema):
        return
    try:
        template, rows = _template_now()
        if born is None or (born[0], born[1][0]) != (structure(schema), template[0]):
            raise ValueError("sa structure ou celle du modèle a changé depuis son ouverture")
        after = reset_to_template(schema, rows, before)
        _made += 1
        spare = f"{PREFIX}{_made}"
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER SCHEMA {quote_schema_name(schema)} RENAME TO {_quote(spare)}")
    except Exception as error:
        # Whatever went wrong, the slug must be free for the next module: dropped as
        # before pooling, and said (a pool that never keeps anything saves nothing).
        sys.stderr.write(f"\nSchéma {schema} supprimé, non gardé : {error}\n")
        # Counted apart in the run's summary: ``drop`` counts modules' teardowns, whose
        # schemas are kept; this, the schemas dropped instead.
        with portal_costs.timed("not-kept"), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {quote_schema_name(schema)} CASCADE")
        return
    # Reset from the template as it is now: its rows may differ from those it was opened
    # from (a test wrote into the template), and ``take`` compares with them.
    _born[spare] = (born[0], template)
    _reset[spare] = (rows, after)
    _spares.append(spare)


def drop_spares() -> None:
    """Drop every spare schema of the database (this process's and any an earlier,
    interrupted run left in a kept database)."""
    for spare in _spares:
        _born.pop(spare, None)
        _reset.pop(spare, None)
    _spares.clear()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            [PREFIX.replace("_", "\\_") + "%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP SCHEMA {_quote(name)} CASCADE")
