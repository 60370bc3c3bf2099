"""Episode files uploaded in the editor: sounds and videos only, refused in French otherwise."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from radio.demo import silent_mp3
from radio.factories import ShowPageFactory
from radio.models import EpisodePage
from tests.radio.conftest import episode_form

pytestmark = pytest.mark.django_db


def add_episode(portal, browser, upload, **fields):
    with schema_context(portal.schema_name):
        show = ShowPageFactory()
    response = browser.post(
        f"/admin/pages/add/radio/episodepage/{show.pk}/",
        episode_form(media_file=upload, **fields),
    )
    with schema_context(portal.schema_name):
        episodes = list(EpisodePage.objects.child_of(show))
    return response, episodes


def test_animator_uploads_an_mp3_and_visitors_can_play_it(alpha, editor, client_for):
    upload = SimpleUploadedFile("matinale.mp3", silent_mp3(1), content_type="audio/mpeg")

    response, episodes = add_episode(alpha, editor(alpha), upload)

    assert response.status_code == 302
    [episode] = episodes
    served = client_for(alpha).get(episode.media_file.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == silent_mp3(1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tract.pdf", b"%PDF-1.4 un tract", "Format refusé : déposez un fichier audio ou vidéo"),
        ("emission.exe", b"MZ\x90\x00", "Format refusé"),
        ("emission.mp3", b"%PDF-1.4 deguise", "n&#x27;est pas un vrai fichier .mp3"),
        ("reportage.mp4", b"<html><script>", "n&#x27;est pas un vrai fichier .mp4"),
    ],
)
def test_upload_that_is_not_a_sound_or_a_video_is_refused(alpha, editor, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="audio/mpeg")

    response, episodes = add_episode(alpha, editor(alpha), upload)

    assert response.status_code == 200
    assert message in response.text
    assert episodes == []


def test_upload_over_the_size_limit_is_refused(alpha, editor, settings):
    settings.RADIO_MAX_UPLOAD_MB = 0
    upload = SimpleUploadedFile("long.mp3", silent_mp3(1), content_type="audio/mpeg")

    response, episodes = add_episode(alpha, editor(alpha), upload)

    assert "Fichier trop lourd : 0 Mo au plus." in response.text
    assert episodes == []


def test_an_episode_needs_a_file_or_an_address_but_not_both(alpha, editor):
    browser = editor(alpha)
    upload = SimpleUploadedFile("matinale.mp3", silent_mp3(1), content_type="audio/mpeg")

    neither, none_saved = add_episode(alpha, browser, "")
    both, both_saved = add_episode(
        alpha, browser, upload, embed_url="https://www.youtube.com/watch?v=abc"
    )

    for response in (neither, both):
        assert response.status_code == 200
        assert "l&#x27;un ou l&#x27;autre" in response.text
    assert none_saved == both_saved == []
