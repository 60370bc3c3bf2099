"""New portals are copied from a dump of the template kept in the database, made once per
version of the template: not at each process's first provisioning (at a thousand portals
``pg_dump`` reads the catalogue for minutes)."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import Locale

from tenants import schema_copy
from tenants.models import TemplateDump
from tenants.template_schema import ensure_template_schema, template_name

# Changes the template and copies it: no spare portal schema made from an older template
# (tests/portal_pool.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spare_schemas")]


def test_the_template_migrated_comes_with_its_dump_kept(django_db_setup):
    ensure_template_schema(verbosity=0)

    kept = TemplateDump.objects.get()
    assert kept.fingerprint.startswith(f"{template_name()}:")
    assert f"CREATE TABLE {template_name()}.wagtailcore_page" in kept.sql


@pytest.fixture
def kept_dump(django_db_setup) -> TemplateDump:
    # Transactional tests elsewhere empty public tables: the dump is made again if so.
    schema_copy.store_template_dump(template_name())
    return TemplateDump.objects.get()


def test_a_new_process_copies_from_the_kept_dump_without_dumping_again(kept_dump, make_portal):
    kept = kept_dump
    # What only the kept row says: a process that dumped the template itself would not.
    kept.sql += "\nCOMMENT ON SCHEMA tpl_neighbourhood IS 'copie gardée';\n"
    kept.save()
    schema_copy._dumps.clear()  # a fresh process remembers nothing

    portal = make_portal("gardee")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
            [portal.schema_name],
        )
        assert cursor.fetchone()[0] == "copie gardée"
    assert TemplateDump.objects.get().pk == kept.pk  # nothing dumped


@pytest.fixture(scope="module")
def german_template(django_db_setup, django_db_blocker, make_portal):
    """A portal provisioned after the template gained a locale (committed, as pg_dump
    reads it from its own connection); the template is put back afterwards."""
    with django_db_blocker.unblock():
        schema_copy.store_template_dump(template_name())
        before = TemplateDump.objects.get().fingerprint
        with schema_context(template_name()):
            added = Locale.objects.create(language_code="de")
    try:
        yield make_portal("allemand"), before
    finally:
        with django_db_blocker.unblock():
            with schema_context(template_name()):
                added.delete()
            schema_copy._dumps.clear()
            schema_copy.store_template_dump(template_name())


def test_a_changed_template_is_dumped_again_and_only_its_new_version_kept(german_template):
    portal, before = german_template

    with schema_context(portal.schema_name):
        assert Locale.objects.filter(language_code="de").exists()
    assert TemplateDump.objects.get().fingerprint != before
