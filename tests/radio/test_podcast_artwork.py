"""Every podcast feed carries square artwork that directories accept (JPEG or PNG, 1,400 to
3,000 px a side), from the portal's own media; a feed is offered only where it has entries.
"""

from __future__ import annotations

import io

import feedparser
import pytest
import wagtail_factories
from django_tenants.utils import schema_context
from PIL import Image

from home.site_settings import PortalSettings
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory
from radio.models import StationPage

pytestmark = pytest.mark.django_db


def big_image(title: str, width: int = 2000, height: int = 1600, colour: str = "green"):
    return wagtail_factories.ImageFactory(
        title=title,
        file__width=width,
        file__height=height,
        file__color=colour,
        file__format="PNG",
        file__filename=f"{title}.png",
    )


def feed_of(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(f"{url}podcast/")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def artwork(client, parsed, host: str) -> Image.Image:
    """The feed's artwork, fetched as a directory would, checked against the channel's
    <image> (the same picture in both tags)."""
    href = parsed.feed.image.href
    assert href.startswith(f"http://{host}/media/")
    assert parsed.feed.image.get("url", href) == href
    response = client.get(href.removeprefix(f"http://{host}"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def directories_accept(image: Image.Image) -> bool:
    return (
        image.format in {"JPEG", "PNG"}
        and image.width == image.height
        and (1400 <= image.width <= 3000)
    )


def with_episode(show) -> str:
    """Give ``show`` an uploaded episode; its address (read inside the portal's schema)."""
    EpisodePageFactory(parent=show)
    return show.url


@pytest.fixture
def no_logo(alpha):
    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.logo = None
        identity.accent_colour = "#8a1c4a"
        identity.save()


def test_a_large_show_image_becomes_a_1400_px_square_jpeg(alpha, client_for, no_logo):
    with schema_context(alpha.schema_name):
        show = with_episode(ShowPageFactory(title="Grand visuel", cover=big_image("Affiche")))
    browser = client_for(alpha)

    parsed = feed_of(browser, show)
    image = artwork(browser, parsed, "alpha.localhost")

    assert directories_accept(image)
    assert (image.format, image.size) == ("JPEG", (1400, 1400))
    assert "/media/alpha/images/" in parsed.feed.image.href
    # Each episode shows its show's artwork.
    assert parsed.entries[0].image.href == parsed.feed.image.href


def test_a_small_show_image_gives_way_to_the_portals_logo_on_a_square(alpha, client_for):
    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.logo = big_image("Logo large", 600, 200, "blue")
        identity.save()
        show = with_episode(
            ShowPageFactory(
                title="Petit visuel", cover=wagtail_factories.ImageFactory(title="Vignette")
            )
        )
    browser = client_for(alpha)

    served = artwork(browser, feed_of(browser, show), "alpha.localhost")
    image = served.convert("RGB")

    assert directories_accept(served)
    assert image.getpixel((5, 5)) == (255, 255, 255)  # the square around the logo
    assert image.getpixel((700, 700)) == (0, 0, 255)  # the logo, centred and enlarged
    assert image.getpixel((700, 100)) == (255, 255, 255)  # wide logo: white above it


def test_without_image_nor_logo_one_is_drawn_in_the_portals_colours_and_redrawn_on_change(
    alpha, client_for, no_logo
):
    with schema_context(alpha.schema_name):
        show = with_episode(ShowPageFactory(title="Sans visuel"))
    browser = client_for(alpha)

    first = feed_of(browser, show).feed.image.href
    served = artwork(browser, feed_of(browser, show), "alpha.localhost")
    image = served.convert("RGB")

    assert directories_accept(served)
    assert image.getpixel((10, 10)) == (0x8A, 0x1C, 0x4A)  # the accent colour
    assert feed_of(browser, show).feed.image.href == first  # stored once, served again

    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.accent_colour = "#1c4a8a"
        identity.save()
    redrawn = feed_of(browser, show)

    assert redrawn.feed.image.href != first
    assert artwork(browser, redrawn, "alpha.localhost").convert("RGB").getpixel((10, 10)) == (
        0x1C,
        0x4A,
        0x8A,
    )
    # The square drawn from the old colour is gone from the portal's media.
    assert browser.get(first.removeprefix("http://alpha.localhost")).status_code == 404


def test_a_station_feed_uses_the_station_logo_when_large_enough(alpha, client_for, no_logo):
    with schema_context(alpha.schema_name):
        station = StationPageFactory(title="Radio au grand logo", logo=big_image("Logo radio"))
        EpisodePageFactory(parent=ShowPageFactory(parent=station))
        station = station.url
    browser = client_for(alpha)

    image = artwork(browser, feed_of(browser, station), "alpha.localhost")

    assert (image.format, image.size) == ("JPEG", (1400, 1400))


def test_portal_a_artwork_is_never_served_from_portal_b_host(alpha, beta, client_for, no_logo):
    with schema_context(alpha.schema_name):
        show = with_episode(ShowPageFactory(title="Artwork d'Alpha"))
    href = feed_of(client_for(alpha), show).feed.image.href
    path = href.removeprefix("http://alpha.localhost")

    assert client_for(alpha).get(path).status_code == 200
    assert client_for(beta).get(path).status_code == 404
    # Nor under B's own folder name.
    assert client_for(beta).get(path.replace("/media/alpha/", "/media/beta/")).status_code == 404


def test_a_webtv_show_of_hosted_videos_advertises_no_podcast(alpha, client_for):
    with schema_context(alpha.schema_name):
        tv = StationPageFactory(title="TV du quartier", kind=StationPage.Kind.TV)
        videos = ShowPageFactory(parent=tv, title="Reportages")
        EpisodePageFactory(
            parent=videos, title="Sur PeerTube", media_file="", embed_url="https://youtu.be/xyz"
        )
        radio = StationPageFactory(title="Radio qui diffuse")
        sounds = ShowPageFactory(parent=radio, title="Les sons")
        EpisodePageFactory(parent=sounds, title="Un son")
        urls = [videos.url, tv.url, sounds.url, radio.url]
    browser = client_for(alpha)

    videos_page, tv_page, sounds_page, radio_page = (
        browser.get(url).content.decode() for url in urls
    )

    for page in (videos_page, tv_page):
        assert "application/rss+xml" not in page
        assert "podcast/" not in page
    assert 'type="application/rss+xml"' in sounds_page
    assert "S&#x27;abonner au podcast" in sounds_page or "S'abonner au podcast" in sounds_page
    assert 'type="application/rss+xml"' in radio_page
    assert "Le podcast de toutes les émissions" in radio_page
