"""An episode of one portal is never seen through another portal's host."""

import pytest
from django_tenants.utils import schema_context

from radio.episodes import latest_episodes
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory

pytestmark = pytest.mark.django_db


def build_station(portal, episode_title=None):
    """The same tree in each portal: /radio-tv/webradio/la-matinale/."""
    with schema_context(portal.schema_name):
        station = StationPageFactory(title="Webradio", slug="webradio")
        show = ShowPageFactory(parent=station, title="La matinale", slug="la-matinale")
        if episode_title:
            episode = EpisodePageFactory(parent=show, title=episode_title, slug="assemblee")
            return episode.url, episode.media_file.url
    return None


def test_episode_of_alpha_is_absent_from_beta_listings_feeds_and_pages(alpha, beta, client_for):
    episode_url, file_url = build_station(alpha, "Assemblée des locataires d'Alpha")
    build_station(beta)
    at_beta = client_for(beta)

    detail = at_beta.get(episode_url)
    pages = [
        at_beta.get(url).text
        for url in (
            "/radio-tv/",
            "/radio-tv/webradio/",
            "/radio-tv/webradio/la-matinale/",
            "/radio-tv/webradio/podcast/",
            "/radio-tv/webradio/la-matinale/podcast/",
        )
    ]
    sound = at_beta.get(file_url)
    with schema_context(beta.schema_name):
        latest_at_beta = latest_episodes(10)

    assert client_for(alpha).get(episode_url).status_code == 200
    assert detail.status_code == 404
    assert sound.status_code == 404
    assert all("Assemblée des locataires" not in page for page in pages)
    assert latest_at_beta == []


def test_feed_links_of_each_portal_point_to_its_own_host(alpha, beta, client_for):
    build_station(alpha, "Épisode d'Alpha")
    build_station(beta, "Épisode de Beta")

    alpha_feed = client_for(alpha).get("/radio-tv/webradio/podcast/").text
    beta_feed = client_for(beta).get("/radio-tv/webradio/podcast/").text

    assert "http://beta.localhost/" in beta_feed
    assert "alpha.localhost" not in beta_feed
    assert "beta.localhost" not in alpha_feed


@pytest.mark.parametrize(
    "path",
    [
        "/radio-tv/webradio/grille/dimanche/",
        "/radio-tv/webradio/podcast/extra/",
        "/radio-tv/webradio/direct/%3Cscript%3E/",
        "/radio-tv/inconnue/podcast/",
    ],
)
def test_odd_addresses_under_a_station_are_a_404_not_an_error(alpha, client_for, path):
    build_station(alpha)

    assert client_for(alpha).get(path).status_code == 404
