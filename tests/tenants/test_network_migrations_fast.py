"""The fast path of ``migrate_network``: a plan of SQL-only migrations is collected once and
replayed in each portal in one transaction. A portal migrated this way must be exactly the
portal Django's executor would have made; a RunPython still goes through the executor; a
portal whose schema stands in the way fails whole, alone, and a re-run finishes it.

Like test_network_migrations.py, these run outside the test transaction: what a
migration commits is what the test reads.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context

from tenants.network_migrations import migrate_schemas
from tests.tenants.migration_rollback import roll_back as unapply

# consultations' only migration creates four models (pages, foreign keys, indexes) and no
# other app depends on it; classifieds' last one adds columns to a table with rows' worth
# of defaults. Neither runs Python: together they are a plan for the fast path.
SQL_ONLY = [("consultations", None), ("classifieds", "0002_classified_actor")]
# reactions' second migration is a RunPython granting the animators their rights.
WITH_PYTHON = [("reactions", None)]


@pytest.fixture
def committed(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


def roll_back(schema: str, targets: list[tuple[str, str | None]]) -> None:
    """Unapply ``targets`` in ``schema`` and forget the apps' permissions, so that the
    migration's post_migrate has content to create again."""
    unapply(schema, targets)
    with schema_context(schema):
        apps = [[app for app, _ in targets]]
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM auth_group_permissions WHERE permission_id IN (SELECT p.id"
                " FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id"
                " WHERE ct.app_label = ANY(%s))",
                apps,
            )
            cursor.execute(
                "DELETE FROM auth_permission WHERE content_type_id IN"
                " (SELECT id FROM django_content_type WHERE app_label = ANY(%s))",
                apps,
            )


def unapplied(schema: str) -> list[str]:
    with schema_context(schema):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def rows(sql: str, schema: str) -> list[tuple]:
    """The rows of ``sql`` (with ``%(schema)s`` as a parameter), sorted, the schema's own
    name written ``S`` so that two schemas compare."""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"schema": schema})
        found = cursor.fetchall()
    return sorted(
        tuple(str(v).replace(f'"{schema}".', "S.").replace(f"{schema}.", "S.") for v in row)
        for row in found
    )


def structure(schema: str) -> dict[str, list[tuple]]:
    """What Django's schema editor decides in a schema: columns, constraints (with their
    definitions), indexes, sequences; and what post_migrate and the records write."""
    catalogue = {
        "columns": """
            SELECT table_name, column_name, ordinal_position, data_type, is_nullable,
                   column_default, character_maximum_length, is_identity
            FROM information_schema.columns WHERE table_schema = %(schema)s""",
        "constraints": """
            SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid)
            FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
            WHERE co.connamespace = %(schema)s::regnamespace""",
        "indexes": """
            SELECT tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = %(schema)s""",
        "sequences": """
            SELECT sequence_name, data_type, start_value, increment
            FROM information_schema.sequences WHERE sequence_schema = %(schema)s""",
    }
    found = {name: rows(sql, schema) for name, sql in catalogue.items()}
    with schema_context(schema):
        found["content types"] = rows("SELECT app_label, model FROM django_content_type", schema)
        found["permissions"] = rows(
            """SELECT ct.app_label, ct.model, p.codename, p.name
               FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id""",
            schema,
        )
        found["group permissions"] = rows(
            """SELECT g.name, ct.app_label, p.codename FROM auth_group_permissions gp
               JOIN auth_group g ON g.id = gp.group_id
               JOIN auth_permission p ON p.id = gp.permission_id
               JOIN django_content_type ct ON ct.id = p.content_type_id""",
            schema,
        )
        found["migrations"] = rows("SELECT app, name FROM django_migrations", schema)
    return found


def has_table(schema: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return cursor.fetchone() is not None


def test_a_portal_migrated_by_the_fast_path_is_the_one_djangos_executor_makes(
    make_portal, committed
):
    # The first portal runs post_migrate's receivers, the second gets their rows copied.
    first, second, slow = make_portal("rapide"), make_portal("rapide2"), make_portal("lent")
    for portal in (first, second, slow):
        roll_back(portal.schema_name, SQL_ONLY)
    assert not has_table(first.schema_name, "consultations_consultationpage")

    by_sql = migrate_schemas(
        [first.schema_name, second.schema_name], processes=1, report=lambda line: None
    )
    (by_executor,) = migrate_schemas(
        [slow.schema_name], processes=1, report=lambda line: None, fast=False
    )

    assert [(o.fast, o.error) for o in by_sql] == [(True, "")] * 2
    assert not by_executor.fast and not by_executor.error
    assert by_sql[0].applied == by_sql[1].applied == by_executor.applied
    assert "consultations.0001_initial" in by_executor.applied
    made_slow = structure(slow.schema_name)
    for portal in (first, second):
        assert unapplied(portal.schema_name) == []
        made_fast = structure(portal.schema_name)
        for part in made_slow:
            assert made_fast[part] == made_slow[part], (portal.schema_name, part)
    # What post_migrate wrote is there, not merely equal: animators can be granted it.
    assert ("consultations", "consultationpage", "add_consultationpage") in [
        row[:3] for row in made_fast["permissions"]
    ]
    assert "thumbnail_width" in {row[1] for row in made_fast["columns"]}


def test_a_runpython_migration_still_goes_through_djangos_executor(make_portal, committed):
    portal = make_portal("avecpython")
    roll_back(portal.schema_name, WITH_PYTHON)

    (outcome,) = migrate_schemas([portal.schema_name], processes=1, report=lambda line: None)

    assert not outcome.fast and not outcome.error
    assert "reactions.0002_animators_moderate_reactions" in outcome.applied
    # The RunPython ran: the animators were granted the moderation of reactions.
    with schema_context(portal.schema_name):
        codenames = set(
            Group.objects.get(name="Animateurs").permissions.values_list("codename", flat=True)
        )
    assert {"view_reaction", "change_reaction"} <= codenames


def test_a_broken_portal_fails_whole_and_alone_and_a_rerun_finishes_it(make_portal, committed):
    first, broken, last = (make_portal(slug) for slug in ("premier", "casse", "dernier"))
    for portal in (first, broken, last):
        roll_back(portal.schema_name, SQL_ONLY)
    before = structure(broken.schema_name)
    # Something in one portal stands in the way of the plan's third table.
    obstacle = f'"{broken.schema_name}"."consultations_consultationfield"'
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {obstacle} (obstacle int)")
    lines: list[str] = []

    outcomes = migrate_schemas(
        [p.schema_name for p in (first, broken, last)], processes=1, report=lines.append
    )

    assert [bool(o.error) for o in outcomes] == [False, True, False]
    assert outcomes[0].fast and outcomes[2].fast
    assert any(line.startswith("portail 2/3 : casse … échec") for line in lines)
    assert lines[-1].startswith("3/3 portails (2 migrés, 0 déjà à jour, 1 en échec)")
    # Nothing of the plan stayed in the broken portal: not the tables created before the
    # obstacle, not the classifieds columns, not a record, not a permission.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {obstacle}")
    assert structure(broken.schema_name) == before
    assert not has_table(broken.schema_name, "consultations_consultationpage")
    assert unapplied(first.schema_name) == unapplied(last.schema_name) == []

    lines.clear()
    outcomes = migrate_schemas(
        [p.schema_name for p in (first, broken, last)], processes=1, report=lines.append
    )

    assert [o.schema for o in outcomes if o.applied] == [broken.schema_name]
    assert outcomes[1].fast
    assert lines[-1].startswith("3/3 portails (1 migrés, 2 déjà à jour, 0 en échec)")
    assert structure(broken.schema_name) == structure(first.schema_name)


def test_two_workers_take_the_fast_path_for_every_portal(make_portal, committed):
    portals = [make_portal(slug) for slug in ("un", "deux", "trois")]
    for portal in portals:
        roll_back(portal.schema_name, SQL_ONLY)

    outcomes = migrate_schemas(
        [p.schema_name for p in portals], processes=2, report=lambda line: None
    )

    assert [(o.fast, o.error) for o in outcomes] == [(True, "")] * 3
    for portal in portals:
        assert unapplied(portal.schema_name) == []
