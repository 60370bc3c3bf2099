"""Migrating every portal's schema, fast enough for a thousand portals.

django-tenants' ``migrate_schemas`` runs Django's whole ``migrate`` command once per
schema: it loads the migration graph, replays every migration's state (a few hundred
here) and renders the project's models before it applies anything, then again after.
With one new migration, that cost ~1.8 s a portal: half an hour for 1,000 portals on
two processes, the time being the same for a portal with nothing to do.

Portals are clones of one template, so they almost always stand at the same point of
the graph. Each worker process therefore works out, once for each distinct set of
applied migrations it meets, the plan and the models' state before it (the first
schema's point is worked out before the workers are forked, and they inherit it). A
schema with nothing to apply costs two index look-ups (Django's recorder would scan the
whole catalogue for its table: ``_recorder_in``).

The fast path. When every operation of the plan can be written as SQL (no ``RunPython``,
no non-atomic or squashing migration: see ``_fast_path_allowed``), the worker asks
Django's schema editor once for the plan's SQL (``collect_sql``, as ``sqlmigrate`` does),
against the first schema it meets at that point, before that schema is touched: the
editor emits unqualified names and introspects through the search_path, and every clone
at that point holds the same tables and constraint names, so the same statements fit
them all. Each schema then gets, in ONE transaction on the worker's connection: the
statements, its ``django_migrations`` rows, and what ``post_migrate`` makes for the
migrated apps: in a worker's first schema at that point its receivers run (content
types, permissions, Wagtail's snippet permissions); the content types and permissions of
the migrated apps they leave there are then inserted, by natural key and unless already
there, in the worker's other schemas (the receivers cost about a second a schema on a
loaded machine, mostly Wagtail reconnecting every model's signals). The project's own
code has no post_migrate receiver; one added later that writes other rows would run in
the first schema only, and must be declared here. A portal
that fails is rolled back whole, the others go on, the failures are reported at the end,
and a re-run applies the whole plan to it again. ``tests/tenants/
test_network_migrations_fast.py`` checks that a portal migrated this way has the columns,
constraints, indexes, content types, permissions and group permissions of one migrated
by Django's executor. One difference: a callable default (``timezone.now``) written into
existing rows by an ``AddField`` is evaluated once for the network, not once a schema.

The slow path, for any other plan: Django's own ``MigrationExecutor.migrate`` per schema
(it accepts the precomputed plan and state), then ``post_migrate`` for the migrated
apps. Each migration runs in its own transaction (Django's default for PostgreSQL), so a
portal that fails keeps the migrations it completed; a re-run applies what is left.

Progress: a line every few seconds with done/total, the rate and the time left; each
failure on a line of its own as it happens.
"""

from __future__ import annotations

import functools
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_pre_migrate_signal
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython, SeparateDatabaseAndState
from django.db.migrations.operations.base import Operation
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState
from django.db.models.signals import post_migrate
from django_tenants.utils import get_public_schema_name, quote_schema_name

from tenants.models import Neighbourhood

T = TypeVar("T")
R = TypeVar("R")

# Two processes by default: the machines this runs on have two cores and PostgreSQL needs
# its share. django-tenants' setting of the same purpose raises it on a bigger server.
PROCESSES = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)
# Schemas handed to a worker at a time: small enough for steady progress lines.
CHUNK = 5
# Seconds between two progress lines on a long run.
PROGRESS_EVERY = 5.0
# Schemas a worker's connection serves on the fast path before it is renewed:
# PostgreSQL's per-session catalogue caches grow with every relation a session touches.
SCHEMAS_PER_CONNECTION = 50


@dataclass(frozen=True)
class SchemaOutcome:
    """What migrating one portal's schema did: the migrations applied, or the error."""

    schema: str
    applied: tuple[str, ...] = ()
    error: str = ""
    fast: bool = False


@dataclass
class _Point:
    """One point of the migration graph, as a worker prepared it for its schemas."""

    executor: MigrationExecutor
    targets: list[tuple[str, str]]
    plan: list
    state: ProjectState | None
    # The plan's SQL on the fast path; None where the plan must go through the executor.
    sql: list[str] | None = None
    # On the fast path, what post_migrate left in the first schema: the migrated apps'
    # content types (app label, model) and permissions (app label, model, codename, name).
    content_types: list[tuple[str, str]] | None = None
    permissions: list[tuple[str, str, str, str]] | None = None


# Per worker process: the points of the graph already prepared, by set of applied names.
_prepared: dict[frozenset, _Point] = {}
# Per worker process: schemas served by the current connection on the fast path.
_served = 0


def _reduces_to_sql(operation: Operation) -> bool:
    """True if ``operation`` does nothing but SQL (a ``RunSQL`` does; a ``RunPython``,
    even inside ``SeparateDatabaseAndState``, does not)."""
    if isinstance(operation, RunPython) or not operation.reduces_to_sql:
        return False
    if isinstance(operation, SeparateDatabaseAndState):
        return all(_reduces_to_sql(inner) for inner in operation.database_operations)
    return True


def _fast_path_allowed(plan: list) -> bool:
    """Whether ``plan`` can be applied as SQL collected once: forwards only, atomic
    migrations (one transaction per schema must hold them), no squashing migration (its
    records follow what the schema applied), only operations that reduce to SQL."""
    return all(
        not backwards
        and migration.atomic
        and not migration.replaces
        and all(_reduces_to_sql(operation) for operation in migration.operations)
        for migration, backwards in plan
    )


def _collect_sql(plan: list, state: ProjectState) -> list[str]:
    """The SQL Django's schema editor would run for ``plan`` in the current schema,
    collected without running it (as ``sqlmigrate`` does), comments left out."""
    statements: list[str] = []
    state = state.clone()
    for migration, _ in plan:
        with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
            state = migration.apply(state, editor, collect_sql=True)
        statements += [sql for sql in editor.collected_sql if not _only_comments(sql)]
    return statements


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("--") for line in sql.splitlines())


def _point_for(applied: dict, fast: bool) -> _Point:
    """The plan (and state before it) for a schema whose applied migrations are ``applied``.

    The loader is built while the connection is on that schema: which squashed
    migrations stand in for which depends on what the schema applied. On the fast path,
    the plan's SQL is collected here, from this schema as it stands before migrating.
    """
    key = frozenset(applied) | {("", "fast" if fast else "slow")}
    if key not in _prepared:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
        state = None
        sql = None
        if plan:
            # What Django's migrate command does before its first migration; private
            # in name only, the command itself relies on it.
            state = executor._create_project_state(with_applied_migrations=True)
            state.apps  # noqa: B018 (render once here, not once per schema)
            # Once per process and plan, as in the migrate command: its receivers
            # (content types' renames) edit the shared migration objects, adding a
            # RunPython to a RenameModel's migration (which then goes the slow path).
            emit_pre_migrate_signal(0, False, connection.alias, apps=state.apps, plan=plan)
            if fast and _fast_path_allowed(plan):
                sql = _collect_sql(plan, state)
        _prepared[key] = _Point(executor, targets, plan, state, sql)
    return _prepared[key]


def _after_migrating(plan: list) -> None:
    """``post_migrate`` in the current schema, for the apps ``plan`` migrated.

    Django's command sends it for every app, and every receiver reads the whole app's
    content types and permissions back: about 230 queries and 2 s a schema on a loaded
    machine, for nothing but the apps the plan touched. A new model or permission only
    comes with a migration of its own app; Wagtail's snippets are the exception (their
    extra permissions cover snippet models of any app) and always get the signal. The
    current models are the migrated state, as after migrate.
    """
    labels = {migration.app_label for migration, _ in plan} | {"wagtailsnippets"}
    for app_config in global_apps.get_app_configs():
        if app_config.label in labels and app_config.models_module is not None:
            post_migrate.send(
                sender=app_config,
                app_config=app_config,
                verbosity=0,
                interactive=False,
                using=connection.alias,
                apps=global_apps,
                plan=plan,
            )


def _names(plan: list) -> tuple[str, ...]:
    return tuple(f"{migration.app_label}.{migration.name}" for migration, _ in plan)


def _apply_fast(point: _Point, recorder: MigrationRecorder) -> None:
    """The plan's collected SQL, its records and what ``post_migrate`` creates, all or
    nothing. The receivers run in a worker's first schema at this point (Wagtail's
    reconnect every model's signals each time: about a second a schema on a loaded
    machine); the content types and permissions of the migrated apps they leave there
    are then inserted in the others by two statements, each row unless already there."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in point.sql or ():
                cursor.execute(statement)
        for migration, _ in point.plan:
            recorder.record_applied(migration.app_label, migration.name)
        if point.content_types is None:
            _after_migrating(point.plan)
            _remember_post_migrate(point)
        else:
            _replay_post_migrate(point)


def _migrated_apps(point: _Point) -> list[str]:
    return sorted({migration.app_label for migration, _ in point.plan})


def _remember_post_migrate(point: _Point) -> None:
    """Read back the migrated apps' content types and permissions post_migrate made."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT app_label, model FROM django_content_type WHERE app_label = ANY(%s)",
            [_migrated_apps(point)],
        )
        content_types = [tuple(row) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT ct.app_label, ct.model, p.codename, p.name FROM auth_permission p"
            " JOIN django_content_type ct ON ct.id = p.content_type_id"
            " WHERE ct.app_label = ANY(%s)",
            [_migrated_apps(point)],
        )
        point.permissions = [tuple(row) for row in cursor.fetchall()]
    point.content_types = content_types


def _replay_post_migrate(point: _Point) -> None:
    """The remembered content types and permissions in the current schema, by their
    natural keys (ids differ between schemas), those already there left alone."""
    content_types = point.content_types or []
    permissions = point.permissions or []
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_content_type (app_label, model)"
            " SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT DO NOTHING",
            [[row[0] for row in content_types], [row[1] for row in content_types]],
        )
        cursor.execute(
            "INSERT INTO auth_permission (name, content_type_id, codename)"
            " SELECT p.name, ct.id, p.codename"
            " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[])"
            " AS p(app_label, model, codename, name)"
            " JOIN django_content_type ct ON ct.app_label = p.app_label AND ct.model = p.model"
            " ON CONFLICT DO NOTHING",
            [[row[index] for row in permissions] for index in range(4)],
        )


def _apply_slow(point: _Point) -> None:
    """The plan through Django's executor, one transaction per migration."""
    point.executor.migrate(point.targets, plan=point.plan, state=point.state.clone())
    _after_migrating(point.plan)


def _recorder_in(schema: str) -> MigrationRecorder:
    """The migration recorder of ``schema``, the connection set to that schema alone (or
    the public schema's django_migrations would answer for it).

    Django's recorder looks for its table in the list of every table the search_path
    shows, read through ``pg_table_is_visible`` over the whole catalogue: a scan that
    grows with the number of portals (~700 relations each). One look-up by name here."""
    connection.set_schema(schema, include_public=False)
    recorder = MigrationRecorder(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{quote_schema_name(schema)}.django_migrations"])
        # Django's own cache of the answer (private in name; ensure_schema reads it).
        recorder._has_table = cursor.fetchone()[0] is not None
    return recorder


def _prepare(schema: str, fast: bool) -> None:
    """Work out ``schema``'s point of the graph in this process, before the workers are
    forked: they inherit it (a state rendered, the SQL collected) instead of each paying
    for it. Any error is left for the worker that migrates ``schema`` to report."""
    try:
        recorder = _recorder_in(schema)
        if recorder.has_table():
            connection.set_schema(schema)
            _point_for(recorder.applied_migrations(), fast)
    except Exception:  # noqa: S110 (reported by the worker that meets it again)
        pass
    finally:
        ContentType.objects.clear_cache()
        connection.set_schema_to_public()


def migrate_schema(schema: str, fast: bool = True) -> SchemaOutcome:
    """Apply to ``schema`` every migration it lacks; never raises (the error is returned).

    ``fast=False`` sends every plan through Django's executor (to compare the two paths).
    """
    global _served
    try:
        # The recorder's table must be looked for in this schema alone, or the public
        # schema's django_migrations would answer for it.
        recorder = _recorder_in(schema)
        recorder.ensure_schema()
        connection.set_schema(schema)
        applied = recorder.applied_migrations()
        point = _point_for(applied, fast)
        if not point.plan:
            return SchemaOutcome(schema)
        if point.sql is not None:
            _apply_fast(point, recorder)
            _served += 1
            if _served >= SCHEMAS_PER_CONNECTION:
                _served = 0
                connection.close()
            return SchemaOutcome(schema, applied=_names(point.plan), fast=True)
        point.executor.loader.applied_migrations = applied
        _apply_slow(point)
        # A fresh session for the next schema: PostgreSQL's per-session catalogue caches
        # grow with every relation a session creates.
        connection.close()
        return SchemaOutcome(schema, applied=_names(point.plan))
    except Exception as error:  # one portal's failure must not stop the others
        connection.close()
        return SchemaOutcome(schema, error=f"{type(error).__name__}: {error}".strip())
    finally:
        # Content types are cached per database alias, not per schema: another schema's
        # ids (or a rolled-back one's) must never answer for the next.
        ContentType.objects.clear_cache()
        connection.set_schema_to_public()


# The database connections a forked worker inherited: kept referenced, never used nor
# closed (closing a socket the parent may still use would end the parent's session).
_inherited: list = []


def _own_connections() -> None:
    """In a forked worker: fresh connection objects, whatever state the parent's were in
    (a connection closed inside an atomic block keeps its dead socket until the block ends,
    and a worker that used it met "the connection is lost")."""
    for alias in connections:
        _inherited.append(connections[alias])
        connections[alias] = connections.create_connection(alias)


def in_workers(
    function: Callable[[T], R], items: list[T], processes: int = PROCESSES
) -> Iterator[R]:
    """``function`` of each item, in ``processes`` forked workers (each with its own
    database connection), as the results come; in this process with one process or item.
    ``function`` must be a module's function (or a partial of one) that never raises
    unless the whole run should stop."""
    if processes <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    # Closed before forking: each worker opens its own connection, none inherits a socket.
    connection.close()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_own_connections) as pool:
        yield from pool.imap_unordered(function, items, chunksize=CHUNK)


def _duration(seconds: float) -> str:
    """``42 s`` or ``3 min 05 s``: how long, as the progress lines say it."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


def migrate_schemas(
    schemas: Iterable[str],
    processes: int = PROCESSES,
    report: Callable[[str], None] = print,
    *,
    fast: bool = True,
) -> list[SchemaOutcome]:
    """Migrate ``schemas`` in ``processes`` forked workers, reporting progress.

    Returns one outcome per schema, in the order given. With one schema or one
    process, works in this process (tests, a small network). ``fast=False`` never takes
    the fast path (the module's docstring), to compare.
    """
    schemas = list(schemas)
    total = len(schemas)
    outcomes: list[SchemaOutcome] = []
    started = last_line = time.monotonic()

    def progress(outcome: SchemaOutcome) -> None:
        nonlocal last_line
        outcomes.append(outcome)
        if outcome.error:
            report(f"portail {len(outcomes)}/{total} : {outcome.schema} … échec : {outcome.error}")
        now = time.monotonic()
        if now - last_line >= PROGRESS_EVERY or len(outcomes) == total:
            last_line = now
            done = len(outcomes)
            migrated = sum(1 for o in outcomes if o.applied)
            failed = sum(1 for o in outcomes if o.error)
            elapsed = now - started
            rate = done / elapsed if elapsed > 0 else 0.0
            pace = f", {rate:.1f} portails/s".replace(".", ",")
            left = f", reste ~{_duration((total - done) / rate)}" if rate and done < total else ""
            report(
                f"{done}/{total} portails ({migrated} migrés, "
                f"{done - migrated - failed} déjà à jour, {failed} en échec) "
                f"— {_duration(elapsed)}{pace}{left}"
            )

    if processes > 1 and total > 1:
        _prepare(schemas[0], fast)
    for outcome in in_workers(functools.partial(migrate_schema, fast=fast), schemas, processes):
        progress(outcome)
    order = {schema: index for index, schema in enumerate(schemas)}
    return sorted(outcomes, key=lambda o: order[o.schema])


def portal_schemas() -> list[str]:
    """Every portal's schema (active, suspended or archived: all keep their data)."""
    return list(
        Neighbourhood.objects.exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )
