"""Migrating the network: the template and every clone of it end up fully migrated."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context

pytestmark = pytest.mark.django_db


def unapplied_migrations(schema: str) -> list[str]:
    with schema_context(schema):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def test_a_cloned_portal_is_seen_as_fully_migrated(alpha):
    assert unapplied_migrations(alpha.schema_name) == []


def test_migrate_network_walks_public_template_and_portals_with_progress(alpha, beta, capsys):
    call_command("migrate_network")
    output = capsys.readouterr().out

    assert "1/5 Schéma public" in output
    assert f"2/5 Schéma modèle {settings.TENANT_BASE_SCHEMA}" in output
    assert "3/5 2 portail(s)" in output
    assert "2/2 portails (0 migrés, 2 déjà à jour, 0 en échec)" in output
    assert "4/5 Nouvelles sections" in output
    assert "5/5 Comptes du réseau" in output
    assert unapplied_migrations(settings.TENANT_BASE_SCHEMA) == []
    assert unapplied_migrations(beta.schema_name) == []
