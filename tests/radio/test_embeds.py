"""Videos and sounds hosted elsewhere: allowed providers only, shown behind a notice."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from wagtail.embeds.models import Embed

from radio.embeds import validate_embed_url
from radio.factories import EpisodePageFactory, ShowPageFactory
from radio.models import EpisodePage, RadioSettings
from tests.radio.conftest import PEERTUBE_HOST, episode_form

pytestmark = pytest.mark.django_db

YOUTUBE_VIDEO = "https://www.youtube.com/watch?v=marche42"


def embedded_episode(portal, url, title="Le marché du dimanche") -> str:
    """Publish an episode hosted at ``url``; return the address of its page."""
    with schema_context(portal.schema_name):
        return EpisodePageFactory(title=title, media_file="", embed_url=url).url


def test_youtube_video_is_shown_from_youtube_nocookie_only_after_a_notice(
    alpha, oembed_provider, client_for
):
    episode_url = embedded_episode(alpha, YOUTUBE_VIDEO)

    page = client_for(alpha).get(episode_url).text

    assert "Ce contenu est hébergé par YouTube" in page
    assert "data-radio-embed-load" in page
    # The player waits, inert, inside a <template> until the visitor asks for it.
    template = page.split("<template>", 1)[1].split("</template>", 1)[0]
    assert template.startswith('<iframe src="https://www.youtube-nocookie.com/embed/marche42')
    assert 'title="Le marché du dimanche"' in template
    assert f'href="{YOUTUBE_VIDEO}"' in page


def test_provider_answer_is_stored_once_per_portal_and_not_asked_again(
    alpha, beta, oembed_provider, client_for
):
    episode_url = embedded_episode(alpha, YOUTUBE_VIDEO)

    client_for(alpha).get(episode_url)
    client_for(alpha).get(episode_url)

    assert oembed_provider.asked == [YOUTUBE_VIDEO]
    with schema_context(alpha.schema_name):
        stored = Embed.objects.get(url=YOUTUBE_VIDEO)
    with schema_context(beta.schema_name):
        assert not Embed.objects.filter(url=YOUTUBE_VIDEO).exists()
    assert stored.html.startswith('<iframe src="https://www.youtube-nocookie.com/embed/marche42')


def test_provider_html_is_never_kept_as_it_comes(alpha, oembed_provider, client_for):
    episode_url = embedded_episode(alpha, "https://www.youtube.com/watch?v=marche43")

    page = client_for(alpha).get(episode_url).text

    with schema_context(alpha.schema_name):
        stored = Embed.objects.get(url="https://www.youtube.com/watch?v=marche43")
    for unwanted in ("<script", "onload", "pistage.example"):
        assert unwanted not in stored.html
    for unwanted in ("track.js", "onload", "pistage.example", "miniature.jpg"):
        assert unwanted not in page


def test_player_from_another_host_is_refused_and_a_plain_link_shown(
    alpha, oembed_provider, client_for
):
    url = "https://www.youtube.com/watch?v=piege"
    episode_url = embedded_episode(alpha, url)

    response = client_for(alpha).get(episode_url)

    assert response.status_code == 200
    assert "pistage.example" not in response.text
    assert "<template>" not in response.text
    link = f'<a href="{url}" rel="noopener noreferrer">Voir « Le marché du dimanche » sur YouTube'
    assert link in response.text
    with schema_context(alpha.schema_name):
        assert not Embed.objects.filter(url=url).exists()


def test_unreachable_provider_gives_a_plain_link_not_an_error(alpha, client_for, settings):
    settings.RADIO_OEMBED_ENDPOINTS = {"youtube": "http://127.0.0.1:9/oembed"}
    episode_url = embedded_episode(alpha, "https://youtu.be/horsligne")

    response = client_for(alpha).get(episode_url)

    assert response.status_code == 200
    assert '<a href="https://youtu.be/horsligne" rel="noopener noreferrer">' in response.text


def test_peertube_instance_listed_by_the_animator_is_accepted_in_that_portal_only(
    alpha, beta, oembed_provider, client_for
):
    video = f"https://{PEERTUBE_HOST}/w/reportage7"
    with schema_context(alpha.schema_name):
        RadioSettings.objects.update_or_create(defaults={"peertube_hosts": PEERTUBE_HOST})
        validate_embed_url(video)
        episode_url = EpisodePageFactory(media_file="", embed_url=video).url
    with schema_context(beta.schema_name), pytest.raises(ValidationError):
        validate_embed_url(video)

    page = client_for(alpha).get(episode_url).text

    assert f'<iframe src="https://{PEERTUBE_HOST}/videos/embed/reportage7' in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://www.tiktok.com/@quartier/video/1234", "Ce fournisseur n&#x27;est pas accepté"),
        ("https://video.inconnu.example/w/abc", "Ce fournisseur n&#x27;est pas accepté"),
        ("javascript:alert(document.cookie)", "Saisissez une URL valide"),
        ("data:text/html;base64,PHNjcmlwdD4=", "Saisissez une URL valide"),
    ],
)
def test_editor_refuses_other_providers_and_scripts_with_a_french_message(
    alpha, editor, url, message
):
    with schema_context(alpha.schema_name):
        show = ShowPageFactory()
    browser = editor(alpha)

    response = browser.post(
        f"/admin/pages/add/radio/episodepage/{show.pk}/", episode_form(embed_url=url)
    )

    assert response.status_code == 200
    assert message in response.text
    with schema_context(alpha.schema_name):
        assert not EpisodePage.objects.child_of(show).exists()


def test_editor_saves_an_episode_with_an_allowed_video(alpha, editor):
    with schema_context(alpha.schema_name):
        show = ShowPageFactory()
    browser = editor(alpha)

    response = browser.post(
        f"/admin/pages/add/radio/episodepage/{show.pk}/",
        episode_form(embed_url="https://vimeo.com/76979871"),
    )

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        episode = EpisodePage.objects.child_of(show).get()
    assert episode.embed_url == "https://vimeo.com/76979871"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>", "http://www.youtube.com/watch?v=a"]
)
def test_only_secure_web_addresses_can_be_embedded(alpha, url):
    with schema_context(alpha.schema_name), pytest.raises(ValidationError) as refused:
        validate_embed_url(url)

    assert "https://" in refused.value.messages[0]
