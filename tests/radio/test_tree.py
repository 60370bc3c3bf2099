"""Where radio pages may live, what they hold, and that each page type renders and edits."""

import pytest
from django_tenants.utils import schema_context
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from portal.models import ArticleIndexPage
from radio.factories import (
    EpisodePageFactory,
    ShowPageFactory,
    StationPageFactory,
    TimeSlotFactory,
)
from radio.models import EpisodePage, RadioPage, ShowPage, StationPage
from tests.conftest import PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db


class TreeChecks(WagtailPageTestCase):
    """Wagtail's own page assertions, used from pytest functions."""

    __test__ = False

    def runTest(self):  # unittest wants a test method to build an instance
        pass


checks = TreeChecks()


def test_stations_live_only_in_the_radio_section_and_hold_only_shows():
    checks.assertAllowedParentPageTypes(StationPage, {RadioPage})
    checks.assertAllowedSubpageTypes(RadioPage, {StationPage})
    checks.assertAllowedSubpageTypes(StationPage, {ShowPage})


def test_shows_live_only_under_a_station_and_hold_only_episodes():
    checks.assertAllowedParentPageTypes(ShowPage, {StationPage})
    checks.assertCanNotCreateAt(RadioPage, ShowPage)
    checks.assertCanNotCreateAt(HomePage, ShowPage)
    checks.assertAllowedSubpageTypes(ShowPage, {EpisodePage})


def test_episodes_live_only_under_a_show_and_hold_nothing():
    checks.assertAllowedParentPageTypes(EpisodePage, {ShowPage})
    checks.assertCanNotCreateAt(StationPage, EpisodePage)
    checks.assertCanNotCreateAt(ArticleIndexPage, EpisodePage)
    checks.assertAllowedSubpageTypes(EpisodePage, set())


def test_each_radio_factory_builds_a_published_page_in_its_place(alpha):
    with schema_context(alpha.schema_name):
        slot = TimeSlotFactory()
        episode = EpisodePageFactory()
        show = ShowPageFactory()
        station = StationPageFactory()

        assert slot.show.live and isinstance(slot.show.get_parent().specific, StationPage)
        assert episode.live and episode.media_file.name.endswith(".mp3")
        assert isinstance(episode.get_parent().specific, ShowPage)
        assert isinstance(show.get_parent().specific, StationPage)
        assert isinstance(station.get_parent().specific, RadioPage)


def test_every_radio_page_renders_for_visitors(alpha, client_for):
    with schema_context(alpha.schema_name):
        episode = EpisodePageFactory(title="Les voix du marché")
        show = episode.get_parent()
        station = show.get_parent()
        TimeSlotFactory(show=show.specific)
        urls = [
            "/radio-tv/",
            station.url,
            f"{station.url}grille/",
            f"{station.url}direct/",
            show.url,
            episode.url,
        ]

    responses = {url: client_for(alpha).get(url) for url in urls}

    assert {url: r.status_code for url, r in responses.items()} == dict.fromkeys(urls, 200)
    assert "Les voix du marché" in responses[show.url].text
    assert '<audio controls preload="metadata"' in responses[episode.url].text


def test_animator_can_open_every_radio_page_in_the_editor(alpha, animator_of, client_for):
    animator = animator_of(alpha)
    browser = client_for(alpha)
    browser.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
    pass_second_factor(browser)
    with schema_context(alpha.schema_name):
        episode = EpisodePageFactory()
        pages = [episode, episode.get_parent(), episode.get_parent().get_parent()]

    statuses = [browser.get(f"/admin/pages/{page.pk}/edit/").status_code for page in pages]
    settings_page = browser.get("/admin/settings/radio/radiosettings/", follow=True)

    assert statuses == [200, 200, 200]
    assert settings_page.status_code == 200
    assert 'name="peertube_hosts"' in settings_page.text
