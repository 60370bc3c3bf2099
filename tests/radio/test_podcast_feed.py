"""Podcast feeds, read back the way a podcast app reads them."""

import datetime

import feedparser
import pytest
import wagtail_factories
from django_tenants.utils import schema_context

from radio.demo import silent_mp3
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory
from radio.models import ShowPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def show(alpha):
    """A show with a cover, an uploaded episode and one hosted on YouTube."""
    with schema_context(alpha.schema_name):
        station = StationPageFactory(title="Radio Alpha")
        show = ShowPageFactory(
            parent=station,
            title="La matinale",
            slug="la-matinale",
            description="<p>Le réveil du quartier.</p>",
            # Square artwork needs 1,400 px a side (test_podcast_artwork.py).
            cover=wagtail_factories.ImageFactory(
                title="Micro", file__width=1500, file__height=1500
            ),
            category=ShowPage.Category.NEWS,
        )
        EpisodePageFactory(
            parent=show,
            title="Spécial fête de quartier",
            date=datetime.date(2026, 6, 12),
            duration=datetime.timedelta(minutes=52, seconds=30),
        )
        EpisodePageFactory(
            parent=show, title="En vidéo", media_file="", embed_url="https://youtu.be/abc"
        )
        yield show


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return response, feedparser.parse(response.content)


def test_show_feed_has_what_podcast_apps_require(alpha, show, client_for):
    with schema_context(alpha.schema_name):
        feed_url = f"{show.url}podcast/"

    response, parsed = read_feed(client_for(alpha), feed_url)

    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    channel = parsed.feed
    assert channel.title == "La matinale"
    assert channel.link == "http://alpha.localhost/radio-tv/radio-alpha/la-matinale/"
    assert channel.summary == "Le réveil du quartier."
    assert channel.author == "Portail Alpha"
    assert channel.image.href.startswith("http://alpha.localhost/media/alpha/images/")
    assert [tag.term for tag in channel.tags] == ["News"]
    # Apple's "true"/"false" (feedparser only reads the older "yes"/"clean").
    assert b"<itunes:explicit>false</itunes:explicit>" in response.content
    assert channel.language == "fr"
    assert len(channel.podcast_guid) == 36
    assert channel.podcast_medium == "podcast"
    [item] = parsed.entries  # the YouTube episode has no file: not a podcast episode
    assert item.title == "Spécial fête de quartier"
    assert item.itunes_duration == "00:52:30"
    assert item.id.startswith("urn:uuid:")
    assert item.guidislink is False
    assert item.image.href == channel.image.href
    assert item.published_parsed[:3] == (2026, 6, 12)


def test_enclosure_is_an_absolute_address_of_the_portal_that_serves_the_sound(
    alpha, show, client_for
):
    with schema_context(alpha.schema_name):
        feed_url = f"{show.url}podcast/"
    browser = client_for(alpha)

    _, parsed = read_feed(browser, feed_url)
    [enclosure] = parsed.entries[0].enclosures
    sound = browser.get(enclosure.href.removeprefix("http://alpha.localhost"))

    assert enclosure.href.startswith("http://alpha.localhost/media/alpha/radio/episodes/")
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == len(silent_mp3(1))
    assert sound.status_code == 200
    assert b"".join(sound.streaming_content) == silent_mp3(1)


def test_station_feed_gathers_the_episodes_of_every_show(alpha, show, client_for):
    with schema_context(alpha.schema_name):
        station = show.get_parent().specific
        other = ShowPageFactory(parent=station, title="Micro jeunesse")
        EpisodePageFactory(parent=other, title="Les 12-17 ans au micro")
        feed_url = f"{station.url}podcast/"

    _, parsed = read_feed(client_for(alpha), feed_url)

    assert parsed.feed.title == "Radio Alpha"
    assert {entry.title for entry in parsed.entries} == {
        "Spécial fête de quartier",
        "Les 12-17 ans au micro",
    }
    assert all(entry.enclosures for entry in parsed.entries)
