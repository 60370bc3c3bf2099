"""A portal opened while wagtail-localize was installed loses its tables on the next
network migration (home's migration 0003), and keeps its translated pages.

The portal is made as such a portal was: its schema is given wagtail-localize 1.14.5's
tables (their DDL as pg_dump printed it from the template before the change), its
migrations' records, its content types and the animators' "submit_translation"
permission, and a row pointing at a translated article; home's migration is marked
unapplied. Then the portal is migrated as ``migrate_network`` migrates every portal.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import quote_schema_name, schema_context
from wagtail.models import Locale

from portal.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

LOCALIZE_DDL = Path(__file__).parent.parent / "fixtures" / "wagtail_localize_1_14_tables.sql"
LOCALIZE_MIGRATIONS = [
    "0001_initial",
    "0002_translation",
    "0003_delete_translation_sources",
    "0004_one_source_per_objectlocale",
    "0005_remove_translationsource_object",
    "0006_create_submit_translation_permission",
    "0007_stringtranslation_type_and_tool_name",
    "0008_stringtranslation_last_translated_by",
    "0009_stringtranslation_errors",
    "0010_overridablesegment",
    "0011_segmentoverride",
    "0012_localesynchronization",
    "0013_translationsource_schema_version",
    "0014_remove_translation_source_last_updated_at",
    "0015_translationcontext_field_path",
    "0016_rename_page_revision_translationlog_revision",
]


@pytest.fixture(scope="module")
def opened_before(make_portal):
    return make_portal("avantlechangement", languages=["ar"])


def give_localize_back(schema: str, translation_key: str) -> None:
    """The schema as wagtail-localize left it in a portal that used it."""
    # Inside the schema, unqualified names are its own (it comes first in the search path).
    ddl = LOCALIZE_DDL.read_text().replace("__schema__.", quote_schema_name(schema) + ".")
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(ddl)
        for name in LOCALIZE_MIGRATIONS:
            cursor.execute(
                "INSERT INTO django_migrations (app, name, applied)"
                " VALUES ('wagtail_localize', %s, now())",
                [name],
            )
        cursor.execute(
            "DELETE FROM django_migrations"
            # With the home migrations after it (they depend on it; up to 0005 they only
            # change the blocks a StreamField offers, 0006's columns are dropped below).
            " WHERE app = 'home' AND name >= '0003_drop_wagtail_localize'"
        )
        # Such a portal had no identity banner nor headings' typeface either (home 0006
        # adds them): without them, as it was, for the migrations to replay.
        cursor.execute(
            "ALTER TABLE home_portalsettings"
            " DROP COLUMN IF EXISTS banner_id, DROP COLUMN IF EXISTS heading_font"
        )
    with schema_context(schema):
        content_type = ContentType.objects.create(app_label="wagtail_localize", model="translation")
        permission = Permission.objects.create(
            content_type=content_type, codename="submit_translation", name="Can submit translations"
        )
        Group.objects.get(name="Animateurs").permissions.add(permission)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO wagtail_localize_translatableobject"
                " (translation_key, content_type_id) VALUES (%s, %s)",
                [
                    translation_key,
                    ContentType.objects.get(app_label="wagtailcore", model="page").pk,
                ],
            )
            # In a portal these rows were committed long ago: check their deferred foreign
            # keys now, as a commit would (PostgreSQL refuses to drop a table whose checks
            # are still pending in the transaction), then defer again as Django does.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def localize_tables(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema = %s AND table_name LIKE 'wagtail\\_localize%%'",
            [schema],
        )
        return cursor.fetchone()[0]


def test_migration_drops_localize_and_keeps_the_translated_article(opened_before, client_for):
    schema = opened_before.schema_name
    with schema_context(schema):
        arabic = Locale.objects.get(language_code="ar")
        article = ArticlePageFactory(title="Fête des voisins", slug="fete-des-voisins")
        translation = article.copy_for_translation(arabic, copy_parents=True)
        translation.title = "عيد الجيران"
        translation.save_revision().publish()
    give_localize_back(schema, str(article.translation_key))
    assert localize_tables(schema) == 14

    call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=0)
    ContentType.objects.clear_cache()

    assert localize_tables(schema) == 0
    with schema_context(schema):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'wagtail_localize'")
            assert cursor.fetchone()[0] == 0
        assert not ContentType.objects.filter(app_label="wagtail_localize").exists()
        animators = Group.objects.get(name="Animateurs")
        assert not animators.permissions.filter(content_type__app_label="wagtail_localize")
        assert animators.permissions.filter(
            content_type__app_label="simple_translation", codename="submit_translation"
        ).exists()
    visitor = client_for(opened_before)
    arabic_page = visitor.get("/ar/actualites/fete-des-voisins/")
    assert arabic_page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in arabic_page.text
    assert "عيد الجيران" in arabic_page.text
    assert 'hreflang="ar"' in visitor.get("/actualites/fete-des-voisins/").text


def test_migration_is_a_no_op_where_localize_never_was(opened_before):
    """A portal opened after the change (a copy of the new template) has nothing to drop."""
    schema = opened_before.schema_name
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations"
            # With the home migrations after it (they depend on it; up to 0005 they only
            # change the blocks a StreamField offers, 0006's columns are dropped below).
            " WHERE app = 'home' AND name >= '0003_drop_wagtail_localize'"
        )
        # Such a portal had no identity banner nor headings' typeface either (home 0006
        # adds them): without them, as it was, for the migrations to replay.
        cursor.execute(
            "ALTER TABLE home_portalsettings"
            " DROP COLUMN IF EXISTS banner_id, DROP COLUMN IF EXISTS heading_font"
        )

    call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=0)

    assert localize_tables(schema) == 0
    with schema_context(schema):
        assert Group.objects.get(name="Animateurs").permissions.filter(
            content_type__app_label="simple_translation"
        )
