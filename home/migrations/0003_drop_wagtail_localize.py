"""wagtail-localize left Quartiers for Wagtail's simple_translation (docs/languages.md).

Its 14 tables (96 relations of a portal's schema) go from every portal that had them,
with its migrations' records, content types and permissions. Translated pages are
Wagtail's own rows (a locale and a translation key on each page) and stay as they are.
A new portal or a fresh template never had the tables: every statement is a no-op there.
The package is no longer installed, so this cannot be ``migrate wagtail_localize zero``.
"""

from django.db import migrations
from django_tenants.utils import quote_schema_name

LOCALIZE_APPS = ["wagtail_localize", "wagtail_localize_locales"]
LOCALIZE_TABLES = [
    "wagtail_localize_localesynchronization",
    "wagtail_localize_overridablesegment",
    "wagtail_localize_relatedobjectsegment",
    "wagtail_localize_segmentoverride",
    "wagtail_localize_string",
    "wagtail_localize_stringsegment",
    "wagtail_localize_stringtranslation",
    "wagtail_localize_template",
    "wagtail_localize_templatesegment",
    "wagtail_localize_translatableobject",
    "wagtail_localize_translation",
    "wagtail_localize_translationcontext",
    "wagtail_localize_translationlog",
    "wagtail_localize_translationsource",
]


def drop_localize(apps, schema_editor) -> None:
    connection = schema_editor.connection
    # Named in the portal's own schema: the search path ends in public, never a fallback.
    schema = quote_schema_name(connection.schema_name)
    tables = ", ".join(f"{schema}.{connection.ops.quote_name(name)}" for name in LOCALIZE_TABLES)
    # CASCADE drops only the tables' own foreign keys (to locales, revisions, users,
    # content types); no table of ours points at them.
    schema_editor.execute(f"DROP TABLE IF EXISTS {tables} CASCADE")
    schema_editor.execute(
        f"DELETE FROM {schema}.django_migrations WHERE app = ANY(%s)", [LOCALIZE_APPS]
    )
    # Their permissions (the groups' "submit_translation" included) go with them.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label__in=LOCALIZE_APPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_latest_sources_registered_by_features"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(drop_localize, migrations.RunPython.noop)]
