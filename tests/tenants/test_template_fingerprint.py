"""The template's fingerprint covers every row it was furnished with: change a default in
the template (a collection permission, a classifieds category) and the next portal gets
the change, instead of a copy of the dump made before it."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import GroupCollectionPermission

from classifieds.models import ClassifiedCategory
from tenants import schema_copy
from tenants.models import Neighbourhood
from tenants.template_schema import ensure_template_schema, template_name

# Changes the template and copies it: no spare portal schema made from an older template
# (tests/portal_pool.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spare_schemas")]


def _fingerprint() -> str:
    return schema_copy.template_fingerprint(template_name())


@pytest.fixture(scope="module")
def without_image_deletion(django_db_setup, django_db_blocker, make_portal) -> Neighbourhood:
    """A portal provisioned after the template's animators lost the right to delete images
    (committed: pg_dump reads the template from its own connection). The template is put
    back at once, before the test runs."""
    with django_db_blocker.unblock():
        schema_copy.store_template_dump(template_name())  # the dump of the template as it is
        with schema_context(template_name()):
            removed = GroupCollectionPermission.objects.get(permission__codename="delete_image")
            group, collection, permission = (
                removed.group,
                removed.collection,
                removed.permission,
            )
            removed.delete()
    try:
        portal = make_portal("sanssuppression")
    finally:
        with django_db_blocker.unblock():
            with schema_context(template_name()):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
            schema_copy._dumps.clear()
            schema_copy.store_template_dump(template_name())
    return portal


def test_a_collection_permission_removed_from_the_template_is_absent_from_the_next_portal(
    without_image_deletion: Neighbourhood,
):
    with schema_context(without_image_deletion.schema_name):
        assert not GroupCollectionPermission.objects.filter(
            permission__codename="delete_image"
        ).exists()


@pytest.fixture(scope="module")
def renamed_category(django_db_setup, django_db_blocker, make_portal) -> tuple[Neighbourhood, str]:
    """A portal provisioned after a classifieds category of the template was renamed (the
    template is put back at once)."""
    with django_db_blocker.unblock():
        schema_copy.store_template_dump(template_name())  # the dump of the template as it is
        with schema_context(template_name()):
            category = ClassifiedCategory.objects.order_by("sort_order").first()
            old_name = category.name
            ClassifiedCategory.objects.filter(pk=category.pk).update(name="Coups de main")
    try:
        portal = make_portal("renommee")
    finally:
        with django_db_blocker.unblock():
            with schema_context(template_name()):
                ClassifiedCategory.objects.filter(pk=category.pk).update(name=old_name)
            schema_copy._dumps.clear()
            schema_copy.store_template_dump(template_name())
    return portal, category.slug


def test_a_category_renamed_in_the_template_is_renamed_in_the_next_portal(
    renamed_category: tuple[Neighbourhood, str],
):
    portal, slug = renamed_category

    with schema_context(portal.schema_name):
        assert ClassifiedCategory.objects.get(slug=slug).name == "Coups de main"


def test_furnishing_an_unchanged_template_again_keeps_its_fingerprint(django_db_setup):
    # migrate_network furnishes the template at each run: an unchanged template must not
    # be dumped again each time (pg_dump takes minutes at a thousand portals).
    before = _fingerprint()

    ensure_template_schema(verbosity=0)

    assert _fingerprint() == before


def test_every_table_of_the_template_is_fingerprinted(django_db_setup):
    # A table the models do not name (a raw-SQL table, a missed app) would escape the
    # fingerprint: every table of the template must be among those it hashes.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace"
            " AND relkind IN ('r', 'p')",
            [template_name()],
        )
        in_template = {row[0] for row in cursor.fetchall()}

    assert in_template - set(schema_copy.tenant_tables()) == set()
