"""Files people upload are served with types that cannot run on the portal's origin."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import Collection

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

HOSTILE = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def animator_browser(alpha, animator_of, client_for):
    return logged_in(client_for(alpha), animator_of(alpha))


def upload_document(browser, portal, name: str, content: bytes):
    with schema_context(portal.schema_name):
        root = Collection.get_first_root_node()
    return browser.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": root.pk},
    )


def documents_named(portal, name: str) -> list:
    with schema_context(portal.schema_name):
        return list(get_document_model().objects.filter(title=name))


@pytest.mark.parametrize("name", ["page.html", "dessin.svg", "script.js", "page.htm"])
def test_html_svg_and_scripts_cannot_be_uploaded_as_documents(alpha, animator_browser, name):
    response = upload_document(animator_browser, alpha, name, HOSTILE)

    assert response.status_code == 200  # the form again, with its error
    assert documents_named(alpha, name) == []


def test_html_disguised_as_text_is_served_as_text_that_cannot_run(
    alpha, animator_browser, client_for
):
    upload_document(animator_browser, alpha, "compte-rendu.txt", HOSTILE)
    [document] = documents_named(alpha, "compte-rendu.txt")

    response = client_for(alpha).get(document.url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    # The documents' own files are not reachable beside Wagtail's view (privacy checks).
    stored = document.file.name.split("/", 1)[-1]
    assert client_for(alpha).get(f"/media/alpha/{stored}").status_code == 404


def test_html_disguised_as_a_spreadsheet_is_a_download(alpha, animator_browser, client_for):
    upload_document(animator_browser, alpha, "budget.xlsx", HOSTILE)
    [document] = documents_named(alpha, "budget.xlsx")

    response = client_for(alpha).get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def planted_files(alpha):
    """Files that reached the media folder by another way (an old upload, a restore)."""
    folder = settings.MEDIA_ROOT / alpha.schema_name / "original_images"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in [("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'>" + HOSTILE)]:
        path = folder / name
        path.write_bytes(content)
        paths.append(path)
    html = folder / "affiche.html"
    html.write_bytes(HOSTILE)
    paths.append(html)
    png = folder / "affiche.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")
    paths.append(png)
    yield
    for path in paths:
        path.unlink()


@pytest.mark.parametrize("name", ["logo.svg", "affiche.html"])
def test_media_that_could_run_is_only_ever_downloaded(alpha, planted_files, client_for, name):
    response = client_for(alpha).get(f"/media/alpha/original_images/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_images_are_still_shown_inline(alpha, planted_files, client_for):
    response = client_for(alpha).get("/media/alpha/original_images/affiche.png")

    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")


def test_svg_images_cannot_be_uploaded(alpha, animator_browser):
    with schema_context(alpha.schema_name):
        root = Collection.get_first_root_node()
    svg = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")

    response = animator_browser.post(
        "/admin/images/add/", {"title": "logo", "file": svg, "collection": root.pk}
    )

    assert response.status_code == 200
    with schema_context(alpha.schema_name):
        from wagtail.images import get_image_model

        assert not get_image_model().objects.filter(title="logo").exists()
