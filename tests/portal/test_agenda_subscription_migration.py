"""Portals opened before the agenda's subscriptions: migrating them gives their animators
the rights a new portal's get. Runs outside the test transaction, like the network's
migration tests: what a migration commits is what the test reads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context

from portal.agenda.hooks import SUBSCRIPTION_PERMISSIONS

BEFORE = ("portal", "0011_covers")
AFTER = ("portal", "0012_agenda_subscriptions")


@pytest.fixture
def committed(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


def test_migrating_an_older_portal_gives_its_animators_the_subscriptions(make_portal, committed):
    portal = make_portal("avantagendas")
    with schema_context(portal.schema_name):
        MigrationExecutor(connection).migrate([BEFORE])
        Permission.objects.filter(codename__in=SUBSCRIPTION_PERMISSIONS).delete()
        animators = Group.objects.get(name="Animateurs")
        assert not animators.permissions.filter(codename__in=SUBSCRIPTION_PERMISSIONS).exists()

        MigrationExecutor(connection).migrate([AFTER])

        granted = animators.permissions.filter(codename__in=SUBSCRIPTION_PERMISSIONS)
        assert sorted(granted.values_list("codename", flat=True)) == sorted(
            SUBSCRIPTION_PERMISSIONS
        )
        contributors = Group.objects.get(name="Contributeurs")
        assert not contributors.permissions.filter(codename__in=SUBSCRIPTION_PERMISSIONS).exists()
