"""The template schema every portal is cloned from, kept migrated and furnished."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import quote_schema_name, schema_context, schema_exists

from tenants.default_portal import build_default_portal
from tenants.schema_copy import store_template_dump


def template_name() -> str:
    return settings.TENANT_BASE_SCHEMA


def ensure_template_schema(verbosity: int = 1) -> bool:
    """Create the template schema if missing, migrate it, furnish it, and keep the dump new
    portals are copied from up to date. True if created."""
    name = template_name()
    created = not schema_exists(name)
    if created:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote_schema_name(name)}")
    call_command(
        "migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=verbosity
    )
    with schema_context(name):
        build_default_portal()
    store_template_dump(name)
    return created
