"""Deleting a portal deletes its uploads (MEDIA_ROOT/<slug>/), and never another's."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from tenants.factories import PortalSpecFactory
from tenants.lifecycle import archive, delete_archived
from tenants.provisioning import provision_neighbourhood

pytestmark = pytest.mark.django_db


def settle_deferred_checks() -> None:
    """Run the foreign-key checks deferred to the commit now: a schema with checks pending
    cannot be dropped in the transaction that filled it (real life uses two)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def upload(slug: str, text: str):
    path = settings.MEDIA_ROOT / slug / "images" / "fresque.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def uploads(beta):
    made = {
        "own": upload("ephemere", "photo d'ephemere"),
        "other": upload(beta.schema_name, "photo de beta"),
        "lookalike": upload("ephemere2", "photo d'un portail au nom voisin"),
    }
    yield made
    for path in made.values():
        path.unlink(missing_ok=True)


def test_deleting_a_portal_deletes_its_media_folder_and_no_other(
    uploads, django_capture_on_commit_callbacks
):
    portal = provision_neighbourhood(PortalSpecFactory(slug="ephemere")).neighbourhood
    archive(portal, "Fin du projet")
    settle_deferred_checks()

    with django_capture_on_commit_callbacks(execute=True):
        delete_archived(portal, portal.name)

    assert not (settings.MEDIA_ROOT / "ephemere").exists()
    assert uploads["other"].read_text() == "photo de beta"
    assert uploads["lookalike"].read_text() == "photo d'un portail au nom voisin"


def test_a_deletion_rolled_back_keeps_the_media(uploads):
    portal = provision_neighbourhood(PortalSpecFactory(slug="ephemere")).neighbourhood
    archive(portal, "Fin du projet")
    settle_deferred_checks()

    # Inside the test's transaction, never committed: the portal is still there.
    delete_archived(portal, portal.name)

    assert uploads["own"].read_text() == "photo d'ephemere"
