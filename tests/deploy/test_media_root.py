"""``MEDIA_ROOT`` set in the environment is where uploads go and where the application
serves them from (nginx passes ``/media/`` to it: deploy/nginx/quartiers.conf).

A separate process, configured only by its environment as a deployed one is, uploads an
image through Wagtail's image model into a committed portal of the test database, then
asks the application for the image's address, at the portal's host.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection

from tests.security.test_deploy_settings import run

pytestmark = pytest.mark.django_db

UPLOAD_THEN_FETCH = """
import io, json, django
django.setup()
from django.conf import settings
from django.core.files.images import ImageFile
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image as Picture
from wagtail.images import get_image_model

picture = io.BytesIO()
Picture.new("RGB", (4, 3), "teal").save(picture, "PNG")
with schema_context("{schema}"):
    image = get_image_model()(title="Fresque du marché")
    image.file.save("fresque.png", ImageFile(picture, name="fresque.png"), save=True)
    path, url = image.file.path, image.file.url
response = Client(HTTP_HOST="{host}").get(url)
print(json.dumps({{
    "media_root": str(settings.MEDIA_ROOT), "path": path, "url": url,
    "status": response.status_code,
    "same": b"".join(response.streaming_content) == open(path, "rb").read(),
}}))
"""


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("mediatheque", name="Médiathèque")


def database_environment() -> dict[str, str]:
    """The environment that points another process at this test database."""
    name = connection.settings_dict["NAME"]
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {"QUARTIERS_DATABASE": name}
    return {"DATABASE_URL": urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()}


def test_uploads_go_to_the_media_root_of_the_environment_and_are_served_from_it(portal, tmp_path):
    code = UPLOAD_THEN_FETCH.format(
        schema=portal.schema_name, host=portal.get_primary_domain().domain
    )
    result = run(
        ["-c", code],
        MEDIA_ROOT=str(tmp_path),
        DJANGO_SETTINGS_MODULE="tests.settings",
        **database_environment(),
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])

    assert shown["media_root"] == str(tmp_path)
    assert Path(shown["path"]).parent == tmp_path / portal.schema_name / "original_images"
    assert shown["url"].startswith(f"/media/{portal.schema_name}/original_images/")
    assert shown["status"] == 200
    assert shown["same"]
