"""The animator sees why the infolettre stopped writing to an address; a radio show with
episodes offers its podcast and its drawn artwork, a webTV show of hosted videos does not."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from anymail.signals import EventType
from django.test import Client
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from newsletter import bounces, subscriptions
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory
from radio.models import StationPage
from tests.browser.conftest import animator_login, log_into_admin
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("rebonds", name="Les Rebonds")


@pytest.fixture(scope="module")
def content(portal, django_db_blocker) -> dict:
    """Two subscribers, one stopped by a hard bounce; a radio show and a webTV show."""
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        for email in ("lectrice@example.org", "partie@example.org"):
            subscriber = subscriptions.subscribe(email, None, "test", "J'accepte", notify=False)
            subscriptions.confirm(subscriber)
        bounces.record(
            "partie@example.org",
            EventType.BOUNCED,
            "550 5.1.1 The email account that you tried to reach does not exist.",
        )
        radio = ShowPageFactory(parent=StationPageFactory(title="Radio Rebonds"), title="Matins")
        EpisodePageFactory(parent=radio, title="Premier matin")
        tv = StationPageFactory(title="TV Rebonds", kind=StationPage.Kind.TV)
        videos = ShowPageFactory(parent=tv, title="Reportages")
        EpisodePageFactory(
            parent=videos, title="En vidéo", media_file="", embed_url="https://youtu.be/abc"
        )
        return {
            "animator": animator_login(portal, PASSWORD),
            "radio": radio.url,
            "videos": videos.url,
        }


@pytest.mark.parametrize("width", [1280, 360])
def test_animator_sees_why_an_address_gets_no_more_letters(
    new_window, origin, portal, content, shoot, width
) -> None:
    base = origin(portal)
    page = new_window(viewport={"width": width, "height": 800})
    log_into_admin(page, base, content["animator"], PASSWORD)

    page.goto(f"{base}/admin/infolettre/abonnes/")

    row = page.locator("tr", has_text="partie@example.org")
    expect(row).to_contain_text("Adresse en échec (rejet définitif)")
    expect(row).to_contain_text("550 5.1.1")
    expect(page.locator("tr", has_text="lectrice@example.org")).not_to_contain_text("échec")
    shoot(page, f"abonnes-{width}")


@pytest.mark.parametrize("width", [1280, 360])
def test_only_a_show_with_episodes_offers_its_podcast(
    new_window, origin, portal, content, shoot, width
) -> None:
    base = origin(portal)
    page = new_window(viewport={"width": width, "height": 800})

    page.goto(base + content["radio"])
    expect(page.get_by_role("link", name="S'abonner au podcast (RSS)")).to_be_visible()
    shoot(page, f"emission-radio-{width}")
    # Chromium would download the feed: read it as a podcast app would, then look at its art.
    feed = Client(HTTP_HOST=f"{portal.schema_name}.localhost").get(content["radio"] + "podcast/")
    artwork = feed.text.split('<itunes:image href="', 1)[1].split('"', 1)[0]
    page.goto(base + urlsplit(artwork).path)
    shoot(page, f"visuel-{width}")

    page.goto(base + content["videos"])
    expect(page.get_by_role("heading", name="Reportages")).to_be_visible()
    expect(page.get_by_role("link", name="S'abonner au podcast (RSS)")).to_have_count(0)
    shoot(page, f"emission-tv-{width}")
