"""Each portal's uploads are served from its own folder, and only at its own host."""

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django_tenants.utils import schema_context

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


@pytest.mark.parametrize(
    "name",
    [
        "images/affiche du marché.jpg",
        "images/café-été_2026.webp",
        "/images/lead.jpg",
        "images/../original_images/x.png",
        "a?b#c%20.jpg",
    ],
)
def test_an_uploads_address_is_djangos_and_names_each_portals_folder(alpha, beta, name):
    seen = {}
    for portal in (alpha, beta, alpha):
        with schema_context(portal.schema_name):
            ours = default_storage.url(name)
            # Django's own joining, from the address django-tenants gives the portal.
            djangos = FileSystemStorage(base_url=default_storage.base_url).url(name)
            seen.setdefault(portal.schema_name, set()).add(ours)
            assert ours == djangos
    assert all(len(addresses) == 1 for addresses in seen.values())
    assert seen[alpha.schema_name] != seen[beta.schema_name]
    assert next(iter(seen[alpha.schema_name])).startswith(f"/media/{alpha.schema_name}/")
