"""Django's ``migrate``, without rendering models for the migrations a schema skips.

django-tenants runs Django's whole ``migrate`` command for each schema (this class is its
``TENANT_BASE_MIGRATE_COMMAND``), with every app's migrations in the plan: the router
(``TenantSyncRouter``) turns the operations of the apps a schema does not hold into no-ops
(the tenant apps in ``public``, the shared-only apps in a portal). Django still renders
the project's models after every operation of those migrations, and that rendering is
nearly all a migration's cost: each ``CreateModel`` or ``AlterField`` re-renders every
model related to it, and a Wagtail page type relates to most of the project. Migrating
``public`` took 33 s of CPU on this machine, 30 of them for the 240 migrations of apps it
holds no table of.

Here a migration whose every operation the router refuses on this connection (*inert*)
only moves the project state forward, unrendered (``Migration.mutate_state``, as Django
does while planning), and is recorded as applied, as Django's executor records it after
running its no-ops. The models are rendered again, once, before the next migration that
does touch the schema. The schema gets the same statements (none from an inert
migration), the same rows in ``django_migrations``, the same ``pre_migrate`` and
``post_migrate`` signals and progress output.

A migration is inert only if the router refuses its app on this connection and each of
its operations (those inside ``SeparateDatabaseAndState`` too) runs Django's own
``database_forwards``, which asks the router before anything else; an operation of
another package with its own ``database_forwards`` (Wagtail's ``DeleteModelIfExists``)
keeps its migration on Django's path. ``TenantSyncRouter`` answers by app label alone,
which is what lets the question be asked once per migration.

Two more savings, for every schema: the installed packages' migrations go before the
project's where the dependencies allow (``SchemaAwareExecutor._packages_first``), and the
registry's answer to "which setting swaps this model" is kept for the whole command
(``_swappable_names_remembered``). Public and the template come out the same as under
Django's own command (``pg_dump --schema-only`` of both compared, and their rows but the
content types' ids and Wagtail's random page keys).
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.core.management.commands import migrate as django_migrate
from django.db import router
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from django.db.migrations.operations import SeparateDatabaseAndState
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState

# Where Django's own operations are defined: their database_forwards ask the router first.
DJANGO_OPERATIONS = "django.db.migrations.operations."


def _asks_router_first(operation: Operation) -> bool:
    """True if ``operation``'s ``database_forwards`` is Django's own (so it does nothing
    where the router refuses the migration's app), for the operations it wraps too."""
    if not type(operation).database_forwards.__module__.startswith(DJANGO_OPERATIONS):
        return False
    if isinstance(operation, SeparateDatabaseAndState):
        return all(_asks_router_first(inner) for inner in operation.database_operations)
    return True


def is_inert(migration: Migration, alias: str) -> bool:
    """True if applying ``migration`` on the connection ``alias`` writes nothing to its
    database but the migration's record."""
    return router.allow_migrate(alias, migration.app_label) is False and all(
        _asks_router_first(operation) for operation in migration.operations
    )


@functools.cache
def _is_project_app(app_label: str) -> bool:
    """True for the project's own apps, False for those of installed packages."""
    return "site-packages" not in Path(global_apps.get_app_config(app_label).path).parts


class SchemaAwareExecutor(MigrationExecutor):
    """Django's executor, moving the state past inert migrations without rendering it,
    and applying the installed packages' migrations before the project's."""

    def _migrate_all_forwards(
        self,
        state: ProjectState,
        plan: list[tuple[Migration, bool]],
        full_plan: list[tuple[Migration, bool]],
        fake: bool,
        fake_initial: bool,
    ) -> ProjectState:
        to_run = {migration for migration, _ in plan}
        full_plan = self._packages_first(full_plan)
        inert = {m for m in to_run if not fake_initial and is_inert(m, self.connection.alias)}
        for migration, _ in full_plan:
            if not to_run:
                break
            if migration not in to_run:
                continue
            if migration in inert:
                self._move_past(state, migration, fake)
            else:
                if "apps" not in state.__dict__:
                    if self.progress_callback:
                        self.progress_callback("render_start")
                    state.apps  # noqa: B018 (render all once, as Django's executor does)
                    if self.progress_callback:
                        self.progress_callback("render_success")
                state = self.apply_migration(state, migration, fake=fake, fake_initial=fake_initial)
            to_run.remove(migration)
        return state

    def _packages_first(
        self, full_plan: list[tuple[Migration, bool]]
    ) -> list[tuple[Migration, bool]]:
        """``full_plan`` in another order its dependencies allow: each installed package's
        migrations (Wagtail's) as soon as their dependencies are applied, the project's
        own after them where nothing requires otherwise.

        Django orders independent apps alphabetically, which put ``wagtaildocs``,
        ``wagtailredirects``, ``wagtailusers``... after the project's apps: every one of
        their operations then re-rendered the project's hundred page models too (a seventh
        of the template's migration). Any order the dependencies allow is one Django may
        follow (a new app changes it); the tables come out the same (pg_dump), only the
        ids of rows that data migrations create (content types) follow the new order."""
        position = {migration: index for index, (migration, _) in enumerate(full_plan)}
        by_key = {(m.app_label, m.name): m for m in position}
        waiting = {}
        children: dict[Migration, list[Migration]] = {m: [] for m in position}
        for migration in position:
            node = self.loader.graph.node_map[(migration.app_label, migration.name)]
            parents = [by_key[p.key] for p in node.parents if p.key in by_key]
            waiting[migration] = len(parents)
            for parent in parents:
                children[parent].append(migration)

        def priority(migration: Migration) -> tuple[bool, int]:
            return (_is_project_app(migration.app_label), position[migration])

        ready = [(priority(m), m.app_label, m.name) for m, count in waiting.items() if not count]
        heapq.heapify(ready)
        order = []
        while ready:
            _, app_label, name = heapq.heappop(ready)
            migration = by_key[(app_label, name)]
            order.append((migration, False))
            for child in children[migration]:
                waiting[child] -= 1
                if not waiting[child]:
                    heapq.heappush(ready, (priority(child), child.app_label, child.name))
        if len(order) != len(full_plan):  # a cycle Django would have refused: its order
            return full_plan
        return order

    def _move_past(self, state: ProjectState, migration: Migration, fake: bool) -> None:
        """Apply an inert migration: its state changes, unrendered, and its record."""
        if self.progress_callback:
            self.progress_callback("apply_start", migration, fake)
        if "apps" in state.__dict__:
            # Changing a rendered state re-renders the models each operation touches.
            del state.apps
        migration.mutate_state(state, preserve=False)
        self.record_migration(migration)
        if self.progress_callback:
            self.progress_callback("apply_success", migration, fake)


@contextmanager
def _executor_class(executor: type[MigrationExecutor]) -> Iterator[None]:
    """Django's migrate command builds its executor from its module's name for the class."""
    original = django_migrate.MigrationExecutor
    django_migrate.MigrationExecutor = executor
    try:
        yield
    finally:
        django_migrate.MigrationExecutor = original


@contextmanager
def _swappable_names_remembered() -> Iterator[None]:
    """Remember, while migrating, which model names settings swap (``auth.User``...).

    Every field a rendering clones asks the project's registry for that answer, which
    Django caches, but in a cache shared by every registry: each model a migration state
    registers empties it (``Apps.clear_cache``), and the answer was worked out again,
    over every model of the project, 55,000 times a migration of public and the template:
    about a tenth of their time. The answer cannot change while the project runs."""
    global_apps.get_swappable_settings_name = functools.cache(
        global_apps.get_swappable_settings_name
    )
    try:
        yield
    finally:
        del global_apps.get_swappable_settings_name


class Command(django_migrate.Command):
    """Django's ``migrate`` command with ``SchemaAwareExecutor``."""

    def handle(self, *args: Iterable[str], **options: Any) -> None:
        with _executor_class(SchemaAwareExecutor), _swappable_names_remembered():
            return super().handle(*args, **options)
