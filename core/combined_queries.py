"""Several querysets read in one round trip to the database.

A request that needs a few small, unrelated lists (a portal's settings, its locales, where
its private sections start; the home page's "latest" blocks) pays one round trip each.
Here each queryset becomes a scalar subquery giving its rows as JSON (PostgreSQL's
``json_agg``), all in one ``SELECT``, and Django turns each row into instances as if it
had read it itself: the same ``select_related`` objects, annotations and parent-model
fields, then the queryset's ``prefetch_related`` lookups (each one more query, as usual).

How: each queryset's own compiler writes its SQL; its rows come back as JSON objects whose
keys repeat when two joined tables share a column name (``id``), so they are read as
ordered pairs, by position, each value turned back into what the database driver would
have given (``to_python`` of the column's field; JSON columns as their text), and handed
to Django's ``ModelIterable`` in place of the cursor's rows (``_read_from``). Django's own
code then builds the instances. Pinned by ``tests/core/test_combined_queries.py``, which
compares every value with the ORM's own reading.

Rows come in the order of each queryset's ``ORDER BY``: ``json_agg`` over an ordered
subquery keeps it (PostgreSQL documents it as what "will usually work"; the tests check
it). Not for ``bytea`` columns (their JSON text is not what the driver gives).

Each queryset is compiled once per process for what it asks (``_compiled``): a cold home
page built the same twenty-odd querysets at every request and compiling them was about a
fifth of its time (issue 25). The key is the query itself, pickled (Django's documented
way to keep a query and rebuild it), so it holds every value the SQL and its parameters
are made of (a portal's page, locale and content-type ids, a date), with the database
alias, the active time zone and language: a query that differs in anything gets its own
compilation. And the schema: compiling may ask the schema itself (a generic relation's
join names the content type id of the schema, whose ids may differ from another's), so
each portal compiles its own. A query that cannot be pickled without running one (a
queryset inside it) or holding a lazy value (made only when compiled) is compiled each
time, as before.
"""

from __future__ import annotations

import copy
import io
import json
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import psycopg
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, models
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import Model, QuerySet
from django.db.models.manager import BaseManager
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation
from django.utils.functional import LazyObject, Promise


class _Pairs(list):
    """A JSON object read as its (key, value) pairs, in order: a row of a join may repeat
    a column's name, which a dict would lose."""


def rows_of(querysets: Sequence[QuerySet]) -> list[list[Model]]:
    """The rows of each of ``querysets`` (as model instances, as ``list(queryset)`` gives
    them), in one query (plus one per ``prefetch_related`` lookup)."""
    compilers: list[SQLCompiler | None] = []
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        compiled = _compiled(queryset)
        if compiled is None:
            # ``filter(pk__in=[])``: Django would not ask the database either.
            compilers.append(None)
            continue
        compiler, sql, queryset_params = compiled
        compilers.append(compiler)
        # ``sql`` is the ORM's own, its values passed apart as parameters. As text: read
        # as pairs below, not by the driver's JSON loader (which would merge repeated keys).
        parts.append(f"(SELECT coalesce(json_agg(q), '[]')::text FROM ({sql}) q)")  # noqa: S608
        params.extend(queryset_params)
    found: list[str] = []
    if parts:
        found = list(_fetch_prepared("SELECT " + ", ".join(parts), params))
    answers = iter(found)
    return [
        [] if compiler is None else _read_from(queryset, compiler, next(answers))
        for queryset, compiler in zip(querysets, compilers, strict=True)
    ]


class _PreparedCursor(psycopg.Cursor):
    """A psycopg cursor that binds its parameters on the server, and prepares its query
    when told to (``prepare``): PostgreSQL then plans it once a connection (again by
    itself when a table it reads changes)."""

    def __init__(self, session: psycopg.Connection, prepare: bool) -> None:
        super().__init__(session)
        self.prepare = prepare

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=self.prepare, binary=binary)


# The statements each database session ran once already (by hash), the latest last.
SEEN_KEPT = 512
_seen: weakref.WeakKeyDictionary[psycopg.Connection, OrderedDict[int, None]] = (
    weakref.WeakKeyDictionary()
)
_seen_lock = threading.Lock()


def _seen_before(session: psycopg.Connection, statement: str) -> bool:
    """Whether ``session`` ran ``statement`` before (remembering it now if not)."""
    key = hash(statement)
    with _seen_lock:
        seen = _seen.get(session)
        if seen is None:
            seen = _seen[session] = OrderedDict()
        if key in seen:
            seen.move_to_end(key)
            return True
        seen[key] = None
        if len(seen) > SEEN_KEPT:
            seen.popitem(last=False)
        return False


class _LoggedPreparedCursor(CursorDebugWrapper):
    """Django's debug cursor (``DEBUG``, ``CaptureQueriesContext``) around a prepared
    cursor, logging the query with its values as Django logs its own: psycopg keeps no
    text of a query it ran prepared, where Django's log reads it. Run as Django runs its
    own: through the connection's execute wrappers, the driver's errors turned into
    Django's (``core.outage`` answers ``django.db.OperationalError`` with its 503 page)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)


def _fetch_prepared(sql: str, params: Sequence[Any]) -> tuple:
    """The one row of ``sql``, run as a prepared statement of the request's connection
    and portal.

    The combined query of a page is the same text at every request (its values are
    parameters, its compilation kept by ``_compiled``), but it joins a dozen listings:
    PostgreSQL spent far longer planning it than running it (the demo home page: 8 to
    13 ms planned at each request, 1 to 4 ms prepared; issue 25 §2). Prepared, it is
    planned once a connection (after its first five runs, PostgreSQL keeps a generic plan
    when it costs no more than the custom ones). Each portal has its own statement (its
    schema named in a comment): PostgreSQL reads a statement again whenever the
    search_path differs from its last run, so one statement shared by the portals a
    worker serves in turn would be planned at every request. psycopg keeps the 100 most
    recent statements of a connection and deallocates the others.

    Prepared from its second run on a connection only: preparing costs one more round
    trip, and a statement run once (a quiet portal's page among a thousand, a connection
    closed after ``CONN_MAX_AGE``) would pay it for nothing, 15 to 30 % more than sent
    plain (measured on the demo home page's read).

    Django's connections bind parameters on the client and never prepare (so that a
    pooler in transaction mode may hand them over: DESIGN.md asks for session mode);
    this one query is sent through a cursor of its own on the same connection, wrapped
    by Django as any other (execute wrappers, the query log and query counts see it),
    after ``connection.cursor()`` has set the portal's search_path."""
    # A schema name is letters, digits and underscores (django-tenants checks it): it
    # cannot end the comment.
    statement = f"/* {connection.schema_name} */ {sql}"
    with connection.cursor():
        session = connection.connection
        raw = _PreparedCursor(session, prepare=_seen_before(session, statement))
        cursor = (
            _LoggedPreparedCursor(raw, connection)
            if connection.queries_logged
            else connection.make_cursor(raw)
        )
        with cursor:
            cursor.execute(statement, params)
            return cursor.fetchone()


# Compiled queries kept, by key (``_query_key``), the least recently used dropped first;
# a few hundred cover every page's readings (time-dependent ones, such as the agenda's
# upcoming events, come back with another key at each request and go first).
COMPILED_KEPT = 512
_compiled_queries: OrderedDict[bytes, tuple[SQLCompiler, str, tuple] | None] = OrderedDict()
_compiled_lock = threading.Lock()
# The compilation of a queryset object used again (``core.reading_memo`` keeps a page's
# readings), with the context it was compiled in: found without pickling its query.
# Querysets are not changed in place once built (each filter gives a clone), so the same
# object is the same query; the context is compared, as the pickled key holds it.
_compiled_by_identity: weakref.WeakKeyDictionary[QuerySet, tuple[tuple, Any]] = (
    weakref.WeakKeyDictionary()
)


def _compiled(queryset: QuerySet) -> tuple[SQLCompiler, str, tuple] | None:
    """(a compiler ready to turn rows into ``queryset``'s objects, its SQL, its
    parameters), or None when the queryset can have no rows (``EmptyResultSet``): as
    ``compiler.as_sql()`` gives them, from the compilation of an equal query earlier in
    the process when there was one. The compiler is this call's own copy."""
    context = _context(queryset)
    by_identity = _compiled_by_identity.get(queryset)
    if by_identity is not None and by_identity[0] == context:
        found = by_identity[1]
        return None if found is None else _own_copy(found, queryset)
    key = _query_key(queryset, context)
    with _compiled_lock:
        found = _compiled_queries.get(key, False) if key is not None else False
        if found is not False:
            _compiled_queries.move_to_end(key)
    if found is False:
        # A copy of the query: compiling changes a query in place (its aliases), and a kept
        # queryset (``core.reading_memo``) may be read by two threads at once.
        compiler = queryset.query.chain().get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
            # Kept with the compilation (and so on each copy): what each column is, and
            # Django's converters of its values (``from_db_value``), which Django would
            # work out again at each reading (a millisecond of a cold home page).
            selected = [column[0] for column in compiler.select[: compiler.col_count]]
            compiler.quartiers_columns = _columns(selected)
            compiler.quartiers_converters = compiler.get_converters(selected)
            found = (compiler, sql, tuple(params))
        except EmptyResultSet:
            found = None
        if key is not None:
            with _compiled_lock:
                _compiled_queries[key] = found
                while len(_compiled_queries) > COMPILED_KEPT:
                    _compiled_queries.popitem(last=False)
    if key is not None:
        _compiled_by_identity[queryset] = (context, found)
    return None if found is None else _own_copy(found, queryset)


def _own_copy(
    found: tuple[SQLCompiler, str, tuple], queryset: QuerySet
) -> tuple[SQLCompiler, str, tuple]:
    compiler, sql, params = found
    # Each reading sets its own rows on its compiler (``_read_from``), with the database
    # connection of its own thread: a shallow copy, the compiled parts shared unchanged.
    mine = copy.copy(compiler)
    mine.connection = connections[queryset.db]
    return mine, sql, params


class _NotAKey(Exception):
    """The query holds something that cannot be pickled without reading the database."""


class _KeyPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        # The type, never ``obj.__class__``: a lazy object (``request.user``) answers that
        # by evaluating itself. Pickling a queryset evaluates it (``QuerySet.__getstate__``),
        # a lazy object too: a query holding one is compiled as before, never keyed at the
        # cost of a query. A lazy value (``reverse_lazy``, ``gettext_lazy``) pickles as how
        # to make it, and is made when compiled, from what then holds (the request's script
        # prefix, URLconf): not a key either.
        kind = type(obj)
        if issubclass(kind, QuerySet | BaseManager | LazyObject | Promise):
            raise _NotAKey
        if issubclass(kind, models.Field) and not hasattr(obj, "model"):
            # A field of no model (an expression's output type, made anew with each
            # query) is what its class and its ``deconstruct()`` say, as for a migration;
            # pickled whole, its creation counter alone would make every key differ.
            name, _path, args, kwargs = obj.deconstruct()
            return type(obj), (name, tuple(args), tuple(sorted(kwargs.items())))
        return NotImplemented


def _context(queryset: QuerySet) -> tuple:
    """What a query's SQL and parameters are made of beside the query itself: the database
    alias, the schema (its content type ids), the active time zone (date functions name it
    in the parameters) and language."""
    database = connections[queryset.db]
    return (
        queryset.db,
        # The portal too, as ``core.tenant_state`` keys content types: a schema dropped and
        # made again under its name (another portal) numbers its content types anew.
        getattr(database, "schema_name", None),
        getattr(getattr(database, "tenant", None), "pk", None),
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )


def _query_key(queryset: QuerySet, context: tuple) -> bytes | None:
    """What ``queryset``'s SQL and parameters are made of, as bytes: its query pickled
    whole (Django pickles a query so that it can be rebuilt as it was: two equal keys are
    the same query) with its ``context``; None when it cannot be pickled (compile it)."""
    buffer = io.BytesIO()
    try:
        _KeyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((context, queryset.query))
    except (_NotAKey, pickle.PicklingError, TypeError, AttributeError, ValueError):
        return None
    return buffer.getvalue()


def _columns(selected: Sequence[Any]) -> tuple[tuple[Any, type | None], ...]:
    """(field, the type its JSON values keep as they are) of each ``selected`` expression
    (``_given_as``)."""
    return tuple(
        (expression.output_field, _given_as(expression.output_field)) for expression in selected
    )


def _read_from(queryset: QuerySet, compiler: SQLCompiler, text: str) -> list[Model]:
    columns = compiler.quartiers_columns
    rows = [
        [
            # Most values (text, whole numbers, booleans) come from JSON as the driver
            # gives them: no call for them (a page reads a few thousand values).
            value if value is None or type(value) is as_given else _value(field, value)
            for (field, as_given), (_, value) in zip(columns, row, strict=False)
        ]
        for row in json.loads(text, object_pairs_hook=_Pairs, parse_float=Decimal)
    ]
    # Django's own iterable builds the instances, from these rows instead of a cursor's:
    # the compiler has prepared its select list, related objects and annotations (as_sql).
    compiler.execute_sql = lambda *args, **kwargs: [rows]
    converters = compiler.quartiers_converters
    compiler.get_converters = lambda expressions: converters
    clone = queryset.all()
    clone.query.get_compiler = lambda *args, **kwargs: compiler
    return list(clone)


# The ``to_python`` of these fields gives back a value of this type unchanged.
_UNCHANGED: tuple[tuple[Any, type], ...] = (
    (models.CharField.to_python, str),
    (models.TextField.to_python, str),
    (models.IntegerField.to_python, int),
    (models.BooleanField.to_python, bool),
)


def _given_as(field: Any) -> type | None:
    """The type of the JSON values a column of ``field`` keeps as they are (its
    ``to_python`` would return them unchanged), or None: each value is converted."""
    if type(field).to_python is models.ForeignKey.to_python:
        return _given_as(field.target_field)  # its target's ``to_python``
    to_python = getattr(type(field), "to_python", None)
    for method, kind in _UNCHANGED:
        if to_python is method:
            return kind
    return None


def _value(field: Any, value: Any) -> Any:
    """What the database driver gives for a column of ``field`` that JSON gave as ``value``."""
    if value is None:
        return None
    if field.get_internal_type() == "JSONField":
        # The driver gives ``jsonb`` as its text (Django parses it: ``from_db_value``).
        return json.dumps(_plain(value), default=float)
    return field.to_python(_plain(value))


def _plain(value: Any) -> Any:
    # Values inside a column (a JSON document, an array) as the JSON loader gives them.
    if isinstance(value, _Pairs):
        return {key: _plain(item) for key, item in value}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
