"""collectstatic writes what docs/deploy.md promises, and each copy reaches the browser:
.gz and .br next to every text file; nginx sends the .gz as it is (gzip_static), WhiteNoise
sends the .br when the application serves /static/ itself.

collectstatic runs once, with the production settings, into a folder of the test's own
(``STATIC_ROOT`` from the environment). Wagtail's own files are left out (``-i wagtail*``):
they are compressed the same way, and take most of the time.
"""

from __future__ import annotations

import gzip
import http.client
import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

from tests.nginx_front import NOT_INSTALLED, free_port, nginx_in_front_of, nginx_installed
from tests.security.test_deploy_settings import run

STYLESHEET = "core/quartiers.css"


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """STATIC_ROOT after ``manage.py collectstatic`` in production."""
    root = tmp_path_factory.mktemp("static")
    result = run(
        ["manage.py", "collectstatic", "--noinput", "--verbosity", "0", "-i", "wagtail*"],
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        STATIC_ROOT=str(root),
    )
    assert result.returncode == 0, result.stderr
    return root


def hashed_name(root: Path, name: str) -> str:
    """The name collectstatic gave ``name`` (with the hash of its content)."""
    return json.loads((root / "staticfiles.json").read_text())["paths"][name]


def test_collectstatic_writes_gzip_and_brotli_copies_of_each_stylesheet(collected):
    stylesheet = collected / hashed_name(collected, STYLESHEET)
    original = stylesheet.read_bytes()

    assert gzip.decompress(Path(f"{stylesheet}.gz").read_bytes()) == original
    assert brotli.decompress(Path(f"{stylesheet}.br").read_bytes()) == original


@pytest.fixture
def nginx_with_static(collected) -> Iterator[int]:
    # Nothing listens upstream: /static/ must be answered by nginx alone.
    with nginx_in_front_of(free_port(), static_root=collected) as port:
        yield port


@pytest.mark.nginx
@pytest.mark.skipif(not nginx_installed(), reason=NOT_INSTALLED)
def test_nginx_sends_the_gzip_copy_as_it_is(collected, nginx_with_static):
    name = hashed_name(collected, STYLESHEET)
    connection = http.client.HTTPConnection("127.0.0.1", nginx_with_static, timeout=30)
    connection.request("GET", f"/static/{name}", headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    body = response.read()
    connection.close()

    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    # The file written by collectstatic, byte for byte: not compressed again on the fly.
    assert body == (collected / f"{name}.gz").read_bytes()
    assert "immutable" in response.getheader("Cache-Control")


def test_whitenoise_sends_the_brotli_copy_to_a_browser_that_accepts_it(collected, settings):
    settings.STATIC_ROOT = collected
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False  # as in production (tests/settings.py)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    serve = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    name = hashed_name(collected, STYLESHEET)
    request = RequestFactory().get(f"/static/{name}", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    response = serve(request)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert b"".join(response.streaming_content) == (collected / f"{name}.br").read_bytes()
