"""MEDIA_STORAGE=s3: each portal's uploads live under its own prefix of the bucket, are
served only at its own host, private documents only after Wagtail's check, and backups,
export/import and deletion carry the bucket's objects."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction

from tenants.factories import PortalSpecFactory
from tenants.lifecycle import archive, delete_archived
from tenants.portability import export_portal, import_portal
from tenants.provisioning import provision_neighbourhood
from tests.conftest import logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

RESTORED = f"test_quartiers_s3_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@pytest.fixture(scope="module")
def alpha_image(bucket, alpha, django_db_blocker):
    """An image of alpha (committed), saved through Django's storage into the bucket."""
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        image = get_image_model().objects.create(
            title="Fresque du gymnase", file=get_test_image_file(filename="fresque.png")
        )
        with image.file.open("rb") as handle:
            content = handle.read()
        image.served_at = image.file.url  # the portal's own address, built in its schema
    connection.set_schema_to_public()
    return image, content


def served(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_image_is_stored_under_its_portals_prefix(bucket, alpha_image):
    image, content = alpha_image

    key = f"media/alpha/{image.file.name}"

    assert image.file.name.startswith("original_images/")
    assert key in bucket.names("media/alpha/")
    assert bucket.read(key) == content


def test_the_portal_serves_its_image_and_renditions_at_its_own_address(
    bucket, alpha, alpha_image, client_for
):
    image, content = alpha_image
    with schema_context(alpha.schema_name):
        rendition_url = image.get_rendition("width-20").url

    original = client_for(alpha).get(image.served_at)
    rendition = client_for(alpha).get(rendition_url)

    assert image.served_at.startswith("/media/alpha/original_images/")
    assert original.status_code == 200 and served(original) == content
    assert original["Content-Type"] == "image/png"
    assert rendition.status_code == 200 and served(rendition).startswith(b"\x89PNG")
    assert any(key.startswith("media/alpha/images/") for key in bucket.names("media/alpha/"))


def test_a_revalidation_is_answered_not_modified(alpha, alpha_image, client_for):
    image, _ = alpha_image
    first = client_for(alpha).get(image.served_at)

    again = client_for(alpha).get(image.served_at, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_another_portal_cannot_serve_alphas_object(alpha, beta, alpha_image, client_for):
    image, _ = alpha_image
    name = image.file.name

    direct = client_for(beta).get(f"/media/alpha/{name}")
    climbing = client_for(beta).get(f"/media/beta/../alpha/{name}")
    encoded = client_for(beta).get(f"/media/beta/%2e%2e/alpha/{name}")
    own_prefix = client_for(beta).get(f"/media/beta/{name}")

    statuses = [r.status_code for r in (direct, climbing, encoded, own_prefix)]
    assert statuses == [404, 404, 404, 404]


def test_a_file_that_could_run_is_only_ever_downloaded(bucket, alpha, client_for):
    bucket.put("media/alpha/original_images/affiche.html", b"<script>alert(1)</script>")

    response = client_for(alpha).get("/media/alpha/original_images/affiche.html")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_private_document_is_served_only_to_whom_wagtail_lets_in(
    bucket, alpha, animator_of, client_for
):
    with schema_context(alpha.schema_name):
        private = Collection.get_first_root_node().add_child(name="Bureau")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
    animator = logged_in(client_for(alpha), animator_of(alpha))
    animator.post(
        "/admin/documents/add/",
        {
            "title": "Compte rendu du bureau",
            "file": SimpleUploadedFile("bureau.txt", b"Ordre du jour confidentiel"),
            "collection": private.pk,
        },
    )
    with schema_context(alpha.schema_name):
        document = get_document_model().objects.get(title="Compte rendu du bureau")

    visitor = client_for(alpha).get(document.url)
    beside = client_for(alpha).get(f"/media/alpha/{document.file.name}")
    member = animator.get(document.url)

    assert f"media/alpha/{document.file.name}" in bucket.names("media/alpha/documents/")
    assert visitor.status_code == 302 and "login" in visitor["Location"]
    assert beside.status_code == 404
    assert member.status_code == 200 and served(member) == b"Ordre du jour confidentiel"


def test_deleting_a_portal_deletes_its_prefix_and_no_other(
    bucket, beta, django_capture_on_commit_callbacks
):
    # Provisioned and deleted inside the test's transaction, rolled back at its end.
    portal = provision_neighbourhood(PortalSpecFactory(slug="ephemere")).neighbourhood
    bucket.put("media/ephemere/images/fresque.jpg", b"photo d'ephemere")
    bucket.put("media/ephemere2/images/fresque.jpg", b"un portail au nom voisin")
    bucket.put("media/beta/images/fresque.jpg", b"photo de beta")
    archive(portal, "Fin du projet")
    with connection.cursor() as cursor:
        # The deferred checks first: a schema with checks pending cannot be dropped in
        # the transaction that filled it (real life uses two).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with django_capture_on_commit_callbacks(execute=True):
        delete_archived(portal, portal.name)

    assert bucket.names("media/ephemere/") == []
    assert bucket.read("media/ephemere2/images/fresque.jpg") == b"un portail au nom voisin"
    assert bucket.read("media/beta/images/fresque.jpg") == b"photo de beta"


def test_an_exported_portal_comes_back_with_its_objects(
    bucket, alpha, alpha_image, tmp_path, client_for, django_capture_on_commit_callbacks
):
    image, content = alpha_image
    exported = export_portal(alpha, tmp_path / "alpha.tar.gz")
    with django_capture_on_commit_callbacks(execute=True):
        gamma = import_portal(exported, "gamma", domain="gamma.localhost", name="Copie d'alpha")

    served_copy = client_for(gamma).get(f"/media/gamma/{image.file.name}")

    assert bucket.read(f"media/gamma/{image.file.name}") == content
    assert served_copy.status_code == 200 and served(served_copy) == content
    assert bucket.read(f"media/alpha/{image.file.name}") == content  # the source keeps its
