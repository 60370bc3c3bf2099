"""Portals put back behind a migration, as a portal that has not received it yet stands:
the arrangement of the tests of ``migrate_network`` (``test_network_migrations*.py``).

Django's executor unapplies a migration only after replaying the state of every
migration of the graph and rendering the models at each step it undoes: 4 to 30 s a
schema on this machine, half of those modules' time. The portals of a test are clones
of one template, at the same point of the graph: the statements the executor's schema
editor runs to unapply the targets are collected once (as ``sqlmigrate --backwards``
collects them) and replayed in each schema, in one transaction, with the records of the
unapplied migrations removed as the executor's recorder removes them. Operations that
cannot be written as SQL are ``RunPython`` here; unapplying one runs its reverse code,
so a target whose reverse is more than ``RunPython.noop`` is refused.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_context

Targets = tuple[tuple[str, str | None], ...]

# By targets and the point of the graph the schema stood at: the statements, and the
# migrations (app, name) they unapply, in the executor's order.
_collected: dict[tuple[Targets, frozenset], tuple[list[str], list[tuple[str, str]]]] = {}


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("--") for line in sql.splitlines())


def _collect(targets: Targets) -> tuple[list[str], list[tuple[str, str]]]:
    """The SQL unapplying ``targets`` in the schema the connection is on, as the
    executor's plan would run it, migration after migration."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(list(targets))
    statements: list[str] = []
    for migration, backwards in plan:
        assert backwards, f"{migration} n'est pas à défaire"
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                assert operation.reverse_code is RunPython.noop, f"{migration} : code inverse"
        # Each migration from the state just before it (``collect_sql`` would carry the
        # state unapplying returns, which is the one after the earlier migration).
        state = executor.loader.project_state((migration.app_label, migration.name), at_end=False)
        with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
            migration.unapply(state, editor, collect_sql=True)
        statements.extend(sql for sql in editor.collected_sql if not _only_comments(sql))
    return statements, [(m.app_label, m.name) for m, _ in plan]


def roll_back(schema: str, targets: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """Unapply ``targets`` (``MigrationExecutor.migrate``'s) in ``schema``; returns the
    migrations unapplied."""
    with schema_context(schema):
        recorder = MigrationRecorder(connection)
        point = frozenset(recorder.applied_migrations())
        key = (tuple(targets), point)
        if key not in _collected:
            _collected[key] = _collect(key[0])
        statements, unapplied = _collected[key]
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            for app, name in unapplied:
                recorder.record_unapplied(app, name)
    return unapplied
