"""Django's migrate as each schema runs it (tenants/migrate_command.py): the migrations of
the apps a schema does not hold move the state without touching the schema, and the
installed packages' migrations come before the project's."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.migrate_command import SchemaAwareExecutor, is_inert
from tests.tenants.test_migrations import unapplied_migrations

pytestmark = pytest.mark.django_db


def tables(schema: str, prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s",
            [schema, prefix + "%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_public_records_every_migration_and_holds_only_the_shared_apps_tables():
    public = get_public_schema_name()

    assert unapplied_migrations(public) == []
    assert tables(public, "tenants_neighbourhood")
    assert tables(public, "django_tasks_database_")
    assert tables(public, "portal_") == []
    assert tables(public, "wagtailcore_") == []
    assert tables(settings.TENANT_BASE_SCHEMA, "portal_")
    assert tables(settings.TENANT_BASE_SCHEMA, "tenants_") == []


def test_a_migration_is_inert_only_where_the_router_refuses_its_app():
    loader = MigrationLoader(connection)
    portal = loader.get_migration("portal", "0001_initial")
    registry = loader.get_migration("tenants", "0001_initial")
    # Wagtail's own DeleteModelIfExists looks at the schema before asking the router.
    editors_pick = loader.get_migration("wagtailsearch", "0007_delete_editorspick")

    with schema_context(get_public_schema_name()):
        assert is_inert(portal, connection.alias)
        assert not is_inert(registry, connection.alias)
        assert not is_inert(editors_pick, connection.alias)
    with schema_context(settings.TENANT_BASE_SCHEMA):
        assert not is_inert(portal, connection.alias)
        assert is_inert(registry, connection.alias)


def test_packages_migrations_come_first_in_an_order_the_dependencies_allow():
    with schema_context(settings.TENANT_BASE_SCHEMA):
        executor = SchemaAwareExecutor(connection)
        graph = executor.loader.graph
        full_plan = executor.migration_plan(graph.leaf_nodes(), clean_start=True)
        order = [migration for migration, _ in executor._packages_first(full_plan)]

    assert sorted(order, key=id) == sorted((m for m, _ in full_plan), key=id)
    position = {(m.app_label, m.name): index for index, m in enumerate(order)}
    for migration in order:
        for parent in graph.node_map[(migration.app_label, migration.name)].parents:
            assert position[parent.key] < position[(migration.app_label, migration.name)]
    labels = [migration.app_label for migration in order]
    assert labels.index("portal") > max(
        index for index, label in enumerate(labels) if label == "wagtaildocs"
    )
