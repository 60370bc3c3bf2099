"""Each portal's uploads are served from its own folder, and only at its own host."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha_file(alpha):
    folder = settings.MEDIA_ROOT / alpha.schema_name / "radio" / "episodes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "compte-rendu.mp3"
    path.write_text("Son de l'assemblée d'alpha")
    yield path
    path.unlink()


def test_a_portal_serves_its_own_upload(alpha, alpha_file, client_for):
    response = client_for(alpha).get("/media/alpha/radio/episodes/compte-rendu.mp3")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "Son de l'assemblée d'alpha"


def test_another_portal_cannot_serve_it_even_by_climbing_folders(
    alpha, beta, alpha_file, client_for
):
    direct = client_for(beta).get("/media/alpha/radio/episodes/compte-rendu.mp3")
    climbing = client_for(beta).get("/media/beta/../alpha/radio/episodes/compte-rendu.mp3")
    encoded = client_for(beta).get("/media/beta/%2e%2e/alpha/radio/episodes/compte-rendu.mp3")

    assert [direct.status_code, climbing.status_code, encoded.status_code] == [404, 404, 404]
