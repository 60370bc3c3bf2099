"""The radio and TV of a demo portal: built once, offline, and every page answers."""

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Page

from radio.demo import seed_radio
from radio.models import EpisodePage, ShowPage, StationPage, TimeSlot

pytestmark = pytest.mark.django_db


def test_demo_radio_gives_a_webradio_with_three_shows_and_a_webtv_once(alpha):
    with schema_context(alpha.schema_name):
        seed_radio(alpha)
        pages_after_first = Page.objects.count()
        seed_radio(alpha)

        assert Page.objects.count() == pages_after_first
        radio = StationPage.objects.get(kind=StationPage.Kind.RADIO)
        tv = StationPage.objects.get(kind=StationPage.Kind.TV)
        assert ShowPage.objects.child_of(radio).count() == 3
        assert TimeSlot.objects.filter(show__in=ShowPage.objects.child_of(radio)).count() == 7
        assert EpisodePage.objects.descendant_of(tv).exclude(embed_url="").count() == 2


def test_demo_pages_answer_offline_with_plain_links_for_videos(alpha, client_for):
    with schema_context(alpha.schema_name):
        seed_radio(alpha)
        urls = [page.url for page in Page.objects.type(StationPage, ShowPage, EpisodePage)]
        video = EpisodePage.objects.exclude(embed_url="").first()
        video_url = video.url
    browser = client_for(alpha)

    statuses = {url: browser.get(url).status_code for url in urls}
    video_page = browser.get(video_url).text
    radio_feed = browser.get("/radio-tv/webradio/podcast/")

    assert set(statuses.values()) == {200}
    assert f'<a href="{video.embed_url}" rel="noopener noreferrer">' in video_page
    assert radio_feed.status_code == 200
    assert radio_feed.text.count("<enclosure") == 3
