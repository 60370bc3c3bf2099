"""A portal's schema, kept for the next test module (``tests/portal_pool.py``), carries
nothing of the module that used it: row for row the template, sequences included, no
file left, and a structure changed by a test is never kept."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context, schema_exists
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from classifieds.factories import ClassifiedFactory
from portal.factories import ArticlePageFactory
from tenants.factories import PortalAccountFactory
from tenants.media import media_store, portal_prefix
from tenants.models import Neighbourhood
from tenants.schema_copy import template_fingerprint
from tenants.template_schema import template_name
from tests import portal_pool
from tests.conftest import _drop, _provision


def sequence_positions(schema: str) -> dict[str, tuple[int, bool]]:
    """Where each sequence of the schema stands."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace"
            " AND relkind = 'S' ORDER BY relname",
            [schema],
        )
        names = [row[0] for row in cursor.fetchall()]
        positions = {}
        for name in names:
            quoted = f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(name)}"
            cursor.execute(f"SELECT last_value, is_called FROM {quoted}")  # noqa: S608
            positions[name] = cursor.fetchone()
    return positions


def fill(portal: Neighbourhood) -> None:
    """What a module's tests leave in a portal: pages, people, ads, a picture."""
    with schema_context(portal.schema_name):
        ArticlePageFactory(title="Écrit par le module d'avant")
        PortalAccountFactory(username="module-avant@example.org", roles=["Animateurs"])
        ClassifiedFactory()
        get_image_model().objects.create(title="Fresque", file=get_test_image_file())


@pytest.fixture
def unblocked(django_db_setup, django_db_blocker):
    """Committed work, as the modules' fixtures do (``make_portal``)."""
    with django_db_blocker.unblock():
        yield


def test_a_used_portal_is_put_back_into_the_templates_state_and_the_next_sees_nothing(
    unblocked, client_for
):
    template = template_name()
    used = _provision("reemploi")
    fill(used)
    assert template_fingerprint("reemploi") != template_fingerprint(template)
    assert media_store().names(portal_prefix("reemploi"))

    _drop(used)

    spare = portal_pool._spares[-1]
    assert not schema_exists("reemploi")
    assert template_fingerprint(spare) == template_fingerprint(template)
    assert sequence_positions(spare) == sequence_positions(template)
    assert media_store().names(portal_prefix("reemploi")) == []

    fresh = _provision("suivant")
    try:
        assert not schema_exists(spare), "the next portal took the spare schema"
        with schema_context("suivant"):
            assert not get_user_model().objects.filter(username__startswith="module-avant")
            assert not get_image_model().objects.exists()
        page = client_for(fresh).get("/")
        assert page.status_code == 200
        assert "Écrit par le module d'avant" not in page.content.decode()
        assert not Neighbourhood.objects.filter(schema_name="reemploi").exists()
    finally:
        _drop(fresh)


def test_a_portal_whose_structure_changed_is_dropped_not_kept(unblocked):
    changed = _provision("modifie")
    with connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "modifie"."classifieds_classified" ADD COLUMN extra int')
    spares = list(portal_pool._spares)

    _drop(changed)

    assert not schema_exists("modifie")
    assert portal_pool._spares == spares


def test_a_spare_reset_while_the_template_held_other_rows_is_not_taken(unblocked):
    """A test that wrote a row into the template, then took it out again, leaves spares
    reset from the template as it was meanwhile: the next portal is a new copy."""
    from django.contrib.auth.models import Group

    template = template_name()
    with schema_context(template):
        leaked = Group.objects.create(name="Écrit dans le modèle")
    try:
        _drop(_provision("pendant"))
        assert portal_pool._spares, "the portal's schema was kept as a spare"
    finally:
        with schema_context(template):
            leaked.delete()

    after = _provision("apres")
    try:
        with schema_context("apres"):
            assert not Group.objects.filter(name="Écrit dans le modèle").exists()
    finally:
        _drop(after)


def test_a_schema_put_back_a_second_time_is_the_template_again(unblocked):
    """A spare goes round many modules; once it was put back, only the tables a module
    wrote into are written again: rows added, changed or removed all go."""
    from django.contrib.auth.models import Group

    template = template_name()
    _drop(_provision("premier"))
    spare = portal_pool._spares[-1]
    second = _provision("second")
    assert not schema_exists(spare), "the second portal took the spare schema"
    fill(second)
    with schema_context("second"):
        group = Group.objects.order_by("name").first()
        group.permissions.clear()
        Group.objects.filter(pk=group.pk).update(name="Renommé par le module")

    _drop(second)

    spare = portal_pool._spares[-1]
    assert template_fingerprint(spare) == template_fingerprint(template)
    assert sequence_positions(spare) == sequence_positions(template)


def test_no_spare_is_taken_once_the_templates_structure_changed(unblocked):
    """An index added to the template (a migration would add one): the spares, reset
    from the template as it was, are dropped rather than taken."""
    _drop(_provision("avantindex"))
    spare = portal_pool._spares[-1]
    template = connection.ops.quote_name(template_name())
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX pool_probe ON {template}.auth_group (name)")
    taken = None
    try:
        taken = portal_pool.take("apresindex")
        assert taken is None
        assert not schema_exists(spare)
    finally:
        if taken is not None:
            portal_pool.put_back("apresindex", taken)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {template}.pool_probe")


def test_portals_given_back_together_are_each_the_template_again(unblocked):
    """A module's teardown reads the template's state once for all its portals
    (``template_left_alone``): each is still put back into the template's rows, and the
    state is read again once the block is over."""
    from django.contrib.auth.models import Group

    template = template_name()
    first, second = _provision("ensemble1"), _provision("ensemble2")
    fill(first)
    fill(second)
    with portal_pool.template_left_alone():
        _drop(first)
        _drop(second)
    spares = portal_pool._spares[-2:]
    for spare in spares:
        assert template_fingerprint(spare) == template_fingerprint(template)
        assert sequence_positions(spare) == sequence_positions(template)
    assert portal_pool._steady is None

    before = portal_pool._template_state()
    with schema_context(template):
        leaked = Group.objects.create(name="Écrit dans le modèle après")
    try:
        assert portal_pool._template_state() != before, "read again outside the block"
    finally:
        with schema_context(template):
            leaked.delete()
