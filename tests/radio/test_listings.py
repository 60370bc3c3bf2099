"""Listings cost the same number of queries however many episodes a station has."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from radio.blocks import SafeEmbedBlock
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory

pytestmark = pytest.mark.django_db


def queries_for(browser, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def test_station_page_queries_do_not_grow_with_its_episodes(alpha, client_for, settings):
    # Count what rendering costs, not what the caches spare after a warm-up.
    settings.PAGE_CACHE_ENABLED = settings.FRAGMENT_CACHE_ENABLED = False
    with schema_context(alpha.schema_name):
        station = StationPageFactory()
        show = ShowPageFactory(parent=station)
        EpisodePageFactory(parent=show)
        station_url, feed_url = station.url, f"{station.url}podcast/"
    browser = client_for(alpha)
    browser.get(station_url)  # warm the site's root paths, as any visit before does
    few = queries_for(browser, station_url), queries_for(browser, feed_url)

    with schema_context(alpha.schema_name):
        for _ in range(4):
            EpisodePageFactory(parent=ShowPageFactory(parent=station))
    many = queries_for(browser, station_url), queries_for(browser, feed_url)

    assert many == few


def test_embed_block_refuses_other_providers_in_french(alpha):
    block = SafeEmbedBlock()

    with schema_context(alpha.schema_name), pytest.raises(ValidationError) as refused:
        block.clean(block.to_python("https://www.tiktok.com/@quartier/video/1"))

    assert "Ce fournisseur n'est pas accepté" in refused.value.messages[0]
