"""MEDIA_STORAGE=s3: a backup of the network carries the bucket's objects, and restored on a
new server (another database, an empty bucket) the portal serves its image again.

Not in a test transaction (as ``tests/tenants/test_backups.py``): the backup's pg_dump
sees only what is committed, and serving from the restored database closes the
connection."""

from __future__ import annotations

import io
import os
from contextlib import contextmanager

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django_tenants.utils import schema_context
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from portal.factories import ArticlePageFactory
from tests.conftest import host
from tests.storage.conftest import s3_settings

# Backs up every schema of the database: no spare portal schema (tests/portal_pool.py).
pytestmark = [pytest.mark.s3, pytest.mark.usefixtures("no_spare_schemas")]

RESTORED = f"test_quartiers_s3_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@pytest.fixture(scope="module")
def alpha_content(bucket, alpha, django_db_blocker):
    """alpha's image (in the bucket) and a published article, committed."""
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        ArticlePageFactory(title="La fresque du gymnase", slug="fresque")
        image = get_image_model().objects.create(
            title="Fresque du gymnase", file=get_test_image_file(filename="fresque.png")
        )
        with image.file.open("rb") as handle:
            content = handle.read()
        url = image.file.url
    connection.set_schema_to_public()
    return image.file.name, url, content


def served(response) -> bytes:
    return b"".join(response.streaming_content)


def server_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(
        host=params["host"], port=params.get("port"), user=params["user"], dbname="postgres",
        autocommit=True,
    )  # fmt: skip


def drop_restored_database() -> None:
    with server_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')


@contextmanager
def serving_from(database: str):
    """The application pointed at another database, as after a restore on a new server."""
    name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database
    cache.clear()  # host -> portal lookups of the other database
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        cache.clear()


def test_a_backup_restored_on_a_new_server_brings_the_bucket_back(
    alpha, bucket, alpha_content, new_bucket, s3_server, django_db_blocker, tmp_path
):
    name, url, content = alpha_content
    empty = new_bucket()
    output = io.StringIO()
    with django_db_blocker.unblock():
        drop_restored_database()
        call_command("backup", str(tmp_path), stdout=output)
        [archive_path] = tmp_path.glob("quartiers-*.tar")
        try:
            # A new server: another database, another (empty) bucket.
            with override_settings(**s3_settings(s3_server, empty.name)):
                call_command("restore", str(archive_path), database=RESTORED, stdout=output)
                with serving_from(RESTORED):
                    visitor = Client(HTTP_HOST=host(alpha))
                    page = visitor.get("/actualites/fresque/")
                    image_file = visitor.get(url)
                    image_bytes = served(image_file)
        finally:
            drop_restored_database()

    assert f"media/alpha/{name}" in bucket.names()
    assert f"media/alpha/{name}" in empty.names()
    assert page.status_code == 200 and "La fresque du gymnase" in page.text
    assert image_file.status_code == 200 and image_bytes == content
    assert "Médias restaurés" in output.getvalue()
