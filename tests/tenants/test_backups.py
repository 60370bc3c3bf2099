"""A backup of the whole network comes back whole: restored into a second database and
an empty media folder, a portal serves its page, its classified and its image again."""

from __future__ import annotations

import io
import json
import tarfile
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from classifieds.factories import ClassifiedFactory
from portal.factories import ArticlePageFactory
from tenants.backups import BackupError
from tenants.restores import restore_network
from tests.conftest import host

# Backs up every schema of the database: no spare portal schema (tests/portal_pool.py).
pytestmark = pytest.mark.usefixtures("no_spare_schemas")

RESTORED = "test_quartiers_restauree"


def server_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(
        host=params["host"],
        port=params.get("port"),
        user=params["user"],
        dbname="postgres",
        autocommit=True,
    )


def drop_restored_database() -> None:
    with server_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')


@pytest.fixture(scope="module")
def network(make_portal, django_db_blocker):
    """A portal with a page, a published classified and an image, all committed."""
    gamma = make_portal("gamma")
    with django_db_blocker.unblock(), schema_context(gamma.schema_name):
        ArticlePageFactory(title="La fresque du gymnase", slug="fresque")
        ad = ClassifiedFactory(title="Donne vélo enfant")
        image = get_image_model().objects.create(title="Fresque", file=get_test_image_file())
        with image.file.open("rb") as handle:
            image_bytes = handle.read()
    connection.set_schema_to_public()
    yield {"portal": gamma, "ad": ad, "image": image, "image_bytes": image_bytes}
    with django_db_blocker.unblock():
        drop_restored_database()


@contextmanager
def serving_from(database: str, media_root):
    """The application pointed at another database and media folder, as after a restore
    on a new server."""
    name, media = connection.settings_dict["NAME"], settings.MEDIA_ROOT
    connection.close()
    connection.settings_dict["NAME"] = database
    settings.MEDIA_ROOT = media_root
    cache.clear()  # host -> portal lookups of the other database
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        settings.MEDIA_ROOT = media
        cache.clear()


def test_backup_then_restore_into_an_empty_database_brings_the_network_back(
    network, django_db_blocker, tmp_path
):
    portal, ad, image = network["portal"], network["ad"], network["image"]
    output = io.StringIO()
    with django_db_blocker.unblock():
        drop_restored_database()
        call_command("backup", str(tmp_path / "sauvegardes"), stdout=output)
        [archive] = (tmp_path / "sauvegardes").glob("quartiers-*.tar")
        call_command(
            "restore",
            str(archive),
            database=RESTORED,
            media_root=str(tmp_path / "medias"),
            stdout=output,
        )
        with serving_from(RESTORED, tmp_path / "medias"):
            visitor = Client(HTTP_HOST=host(portal))
            page = visitor.get("/actualites/fresque/")
            classified = visitor.get(f"/petites-annonces/annonce/{ad.pk}/")
            image_file = visitor.get(image.file.url)
            image_bytes = b"".join(image_file.streaming_content)

    log = output.getvalue()
    assert "Sauvegarde de la base" in log and "Base restaurée" in log
    assert "Restauration terminée : " in log
    assert page.status_code == 200 and "La fresque du gymnase" in page.text
    assert classified.status_code == 200 and "Donne vélo enfant" in classified.text
    assert image_file.status_code == 200
    assert image_bytes == network["image_bytes"]


def test_the_manifest_lists_portals_schemas_and_versions(network, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        call_command("backup", str(tmp_path), stdout=io.StringIO())
    [archive] = tmp_path.glob("quartiers-*.tar")

    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
        names = opened.getnames()

    assert {"public", "tpl_neighbourhood", "gamma"} <= set(manifest["schemas"])
    assert "gamma" in [portal["schema"] for portal in manifest["portals"]]
    assert manifest["versions"]["postgresql"]
    dumped = [schema for dump in manifest["dumps"] for schema in dump["schemas"]]
    assert sorted(dumped) == sorted(manifest["schemas"])
    assert all(dump["member"] in names for dump in manifest["dumps"])


def test_restore_refuses_a_database_that_is_not_empty(network, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        call_command("backup", str(tmp_path), stdout=io.StringIO())
        [archive] = tmp_path.glob("quartiers-*.tar")
        with pytest.raises(CommandError, match="n'est pas vide"):
            call_command(
                "restore",
                str(archive),
                media_root=str(tmp_path / "medias"),
                stdout=io.StringIO(),
            )
        # Nothing was touched: the portal is still served.
        assert Client(HTTP_HOST=host(network["portal"])).get("/").status_code == 200


def test_restore_refuses_a_file_that_is_not_a_backup(django_db_blocker, tmp_path):
    bogus = tmp_path / "vacances.tar"
    with tarfile.open(bogus, "w") as archive:
        archive.add(__file__, arcname="photo.jpg")

    with django_db_blocker.unblock(), pytest.raises(BackupError, match="pas une sauvegarde"):
        restore_network(bogus, database=RESTORED, media_root=tmp_path / "m")
