"""A new migration reaches every portal; one portal that fails stops none of the others,
and a re-run finishes the job.

Migrations are DDL committed schema by schema, as in production: these tests run outside
the test transaction (like the portal fixtures) so that what a worker process commits is
what the test reads.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context

from tenants.network_migrations import migrate_schemas
from tests.tenants.migration_rollback import roll_back

# reactions' first migration creates its tables: rolling a portal back before it stands
# for a portal that has not yet received a new feature's migration.
APP = "reactions"
TABLE = "reactions_reactionsettings"


@pytest.fixture
def committed(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


def unapplied(schema: str) -> list[str]:
    with schema_context(schema):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def roll_back_reactions(schema: str) -> None:
    roll_back(schema, [(APP, None)])
    assert f"{APP}.0001_initial" in unapplied(schema)


def has_table(schema: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return cursor.fetchone() is not None


def test_portals_behind_get_the_new_migrations_and_the_others_are_left_alone(
    make_portal, committed, capsys
):
    alpha, beta, gamma = make_portal("alpha"), make_portal("beta"), make_portal("gamma")
    roll_back_reactions(alpha.schema_name)
    roll_back_reactions(gamma.schema_name)
    assert not has_table(alpha.schema_name, TABLE)

    call_command("migrate_network")

    output = capsys.readouterr().out
    assert "2 migrés" in output
    for portal in (alpha, beta, gamma):
        assert unapplied(portal.schema_name) == []
        assert has_table(portal.schema_name, TABLE)
    # The new models' permissions exist in the portals that received them, as after
    # Django's own migrate: animators can be granted them.
    with schema_context(alpha.schema_name):
        assert Permission.objects.filter(content_type__app_label=APP).exists()


def test_a_failing_portal_is_named_the_others_are_migrated_and_a_rerun_finishes(
    make_portal, committed, capsys
):
    delta, epsilon = make_portal("delta"), make_portal("epsilon")
    roll_back_reactions(delta.schema_name)
    roll_back_reactions(epsilon.schema_name)
    # Something in epsilon's schema stands in the way of the new table.
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{epsilon.schema_name}"."{TABLE}" (obstacle int)')

    with pytest.raises(CommandError) as refused:
        call_command("migrate_network")

    assert "epsilon" in str(refused.value)
    assert "delta" not in str(refused.value)
    assert "relancez migrate_network" in str(refused.value)
    captured = capsys.readouterr()
    assert "epsilon … échec" in captured.out
    assert unapplied(delta.schema_name) == []
    assert f"{APP}.0001_initial" in unapplied(epsilon.schema_name)

    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{epsilon.schema_name}"."{TABLE}"')
    call_command("migrate_network")

    assert "1 migrés" in capsys.readouterr().out
    assert unapplied(epsilon.schema_name) == []
    assert has_table(epsilon.schema_name, TABLE)


def test_two_worker_processes_migrate_every_portal_once(make_portal, committed):
    portals = [make_portal(slug) for slug in ("zeta", "eta", "theta", "iota")]
    for portal in portals[:3]:
        roll_back_reactions(portal.schema_name)
    lines: list[str] = []

    outcomes = migrate_schemas([p.schema_name for p in portals], processes=2, report=lines.append)

    assert [o.schema for o in outcomes] == [p.schema_name for p in portals]
    assert all(not o.error for o in outcomes)
    assert [bool(o.applied) for o in outcomes] == [True, True, True, False]
    assert f"{APP}.0001_initial" in outcomes[0].applied
    assert lines[-1].startswith("4/4 portails (3 migrés, 1 déjà à jour, 0 en échec)")
    for portal in portals:
        assert unapplied(portal.schema_name) == []
