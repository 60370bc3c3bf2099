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


@pytest.fixture
def private_files(alpha):
    """A document of a private collection and a photo waiting for moderation, where
    Wagtail and the moderation views keep them in alpha's folder."""
    made = []
    for name, text in [
        ("documents/bureau-confidentiel.txt", "Ordre du jour du bureau"),
        ("private/photos/portrait-en-attente.jpg", "Photo pas encore acceptée"),
    ]:
        path = settings.MEDIA_ROOT / alpha.schema_name / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        made.append(path)
    yield
    for path in made:
        path.unlink()


@pytest.mark.parametrize("folder", ["documents", "private/photos"])
@pytest.mark.parametrize(
    "spelling",
    [
        "{folder}/{file}",
        "./{folder}/{file}",
        "x/../{folder}/{file}",
        "%2e/{folder}/{file}",
        "{folder}/./{file}",
        "{folder}//{file}",
        "/{folder}/{file}",
        "./{folder}/%2e/{file}",
    ],
)
def test_no_spelling_of_a_private_folders_address_serves_its_file(
    alpha, private_files, client_for, folder, spelling
):
    file = "bureau-confidentiel.txt" if folder == "documents" else "portrait-en-attente.jpg"
    address = "/media/alpha/" + spelling.format(folder=folder, file=file)

    response = client_for(alpha).get(address)

    assert response.status_code == 404, address


def test_a_public_upload_is_served_at_its_one_address_only(alpha, alpha_file, client_for):
    visitor = client_for(alpha)

    plain = visitor.get("/media/alpha/radio/episodes/compte-rendu.mp3")
    dotted = visitor.get("/media/alpha/radio/./episodes/compte-rendu.mp3")

    assert [plain.status_code, dotted.status_code] == [200, 404]


@pytest.mark.parametrize("address", ["/media/alpha/x%00.jpg", "/media/alpha/radio/%00/a.mp3"])
def test_a_nul_byte_in_a_media_address_is_a_404(alpha, client_for, address):
    assert client_for(alpha).get(address).status_code == 404
