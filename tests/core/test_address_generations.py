"""A row shown on one page only forgets that page and its sub-views, not the portal."""

import pytest
from django_tenants.utils import schema_context

from core import caching


def test_a_path_sits_under_each_of_its_addresses_but_not_the_root():
    assert caching._address_levels("/actualites/jardin/rss/") == [
        "/actualites/",
        "/actualites/jardin/",
        "/actualites/jardin/rss/",
    ]
    assert caching._address_levels("/") == []
    deep = "/" + "x/" * 50
    assert len(caching._address_levels(deep)) == caching.MAX_ADDRESS_LEVELS


@pytest.mark.django_db
def test_bumping_an_address_changes_it_and_below_and_nothing_beside(alpha):
    with schema_context(alpha.schema_name):
        page, feed, sibling = "/actualites/a/", "/actualites/a/reactions/rss/", "/actualites/b/"
        portal_before = caching.generations()
        before = {path: caching.address_generations(path) for path in (page, feed, sibling)}

        caching.address_changed(page)

        assert caching.address_generations(page) != before[page]
        assert caching.address_generations(feed) != before[feed]
        assert caching.address_generations(sibling) == before[sibling]
        assert caching.generations() == portal_before
