"""Migrating every portal's schema, fast enough for a thousand portals.

django-tenants' ``migrate_schemas`` runs Django's whole ``migrate`` command once per
schema: it loads the migration graph, replays every migration's state (a few hundred
here) and renders the project's models before it applies anything, then again after.
With one new migration, that cost ~1.8 s a portal: half an hour for 1,000 portals on
two processes, the time being the same for a portal with nothing to do.

Portals are clones of one template, so they almost always stand at the same point of
the graph. Each worker process therefore works out, once for each distinct set of
applied migrations it meets, the plan and the models' state before it, and for every
schema at that point only applies the plan from a copy of that state (Django's own
``MigrationExecutor.migrate``, which accepts a precomputed plan and state), then sends
``post_migrate`` for the apps it migrated so that their content types and permissions
exist in that schema too. A schema with nothing to apply costs one query.

Each migration runs in its own transaction (Django's default for PostgreSQL), so a
portal that fails keeps the migrations it completed; the others go on, the failures are
reported at the end, and a re-run applies only what is left.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.conf import settings
from django.core.management.sql import emit_pre_migrate_signal
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState
from django.db.models.signals import post_migrate
from django_tenants.utils import get_public_schema_name

from tenants.models import Neighbourhood

# Two processes by default: the machines this runs on have two cores and PostgreSQL needs
# its share. django-tenants' setting of the same purpose raises it on a bigger server.
PROCESSES = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)
# Schemas handed to a worker at a time: small enough for steady progress lines.
CHUNK = 5
# Seconds between two progress lines on a long run.
PROGRESS_EVERY = 5.0


@dataclass(frozen=True)
class SchemaOutcome:
    """What migrating one portal's schema did: the migrations applied, or the error."""

    schema: str
    applied: tuple[str, ...] = ()
    error: str = ""


@dataclass
class _Point:
    """One point of the migration graph, as a worker prepared it for its schemas."""

    executor: MigrationExecutor
    targets: list[tuple[str, str]]
    plan: list
    state: ProjectState | None


# Per worker process: the points of the graph already prepared, by set of applied names.
_prepared: dict[frozenset, _Point] = {}


def _point_for(applied: dict) -> _Point:
    """The plan (and state before it) for a schema whose applied migrations are ``applied``.

    The loader is built while the connection is on that schema: which squashed
    migrations stand in for which depends on what the schema applied.
    """
    key = frozenset(applied)
    if key not in _prepared:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
        state = None
        if plan:
            # What Django's migrate command does before its first migration; private
            # in name only, the command itself relies on it.
            state = executor._create_project_state(with_applied_migrations=True)
            state.apps  # noqa: B018 (render once here, not once per schema)
            # Once per process and plan, as in the migrate command: its receivers
            # (content types' renames) edit the shared migration objects.
            emit_pre_migrate_signal(0, False, connection.alias, apps=state.apps, plan=plan)
        _prepared[key] = _Point(executor, targets, plan, state)
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


def migrate_schema(schema: str) -> SchemaOutcome:
    """Apply to ``schema`` every migration it lacks; never raises (the error is returned)."""
    try:
        # The recorder's table must be looked for in this schema alone, or the public
        # schema's django_migrations would answer for it.
        connection.set_schema(schema, include_public=False)
        recorder = MigrationRecorder(connection)
        recorder.ensure_schema()
        connection.set_schema(schema)
        applied = recorder.applied_migrations()
        point = _point_for(applied)
        if not point.plan:
            return SchemaOutcome(schema)
        point.executor.loader.applied_migrations = applied
        point.executor.migrate(point.targets, plan=point.plan, state=point.state.clone())
        _after_migrating(point.plan)
        names = tuple(f"{m.app_label}.{m.name}" for m, _ in point.plan)
        # A fresh session for the next schema: PostgreSQL's per-session catalogue caches
        # grow with every relation a session creates.
        connection.close()
        return SchemaOutcome(schema, applied=names)
    except Exception as error:  # one portal's failure must not stop the others
        connection.close()
        return SchemaOutcome(schema, error=f"{type(error).__name__}: {error}".strip())
    finally:
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


def migrate_schemas(
    schemas: Iterable[str],
    processes: int = PROCESSES,
    report: Callable[[str], None] = print,
) -> list[SchemaOutcome]:
    """Migrate ``schemas`` in ``processes`` forked workers, reporting progress.

    Returns one outcome per schema, in the order given. With one schema or one
    process, works in this process (tests, a small network).
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
            migrated = sum(1 for o in outcomes if o.applied)
            failed = sum(1 for o in outcomes if o.error)
            report(
                f"{len(outcomes)}/{total} portails ({migrated} migrés, "
                f"{len(outcomes) - migrated - failed} déjà à jour, {failed} en échec) "
                f"— {now - started:.0f} s"
            )

    if processes <= 1 or total <= 1:
        for schema in schemas:
            progress(migrate_schema(schema))
    else:
        # Closed before forking: each worker opens its own connection, none inherits a socket.
        connection.close()
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_own_connections) as pool:
            for outcome in pool.imap_unordered(migrate_schema, schemas, chunksize=CHUNK):
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
