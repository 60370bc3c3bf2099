"""Query strings cannot flood the page cache.

Only the parameters a portal's pages read to choose what they show (``page``, a category,
a tag, a listing's filters) are part of a cached page's key, in a fixed order. An address
with any other parameter (``?x=1``, a tracker's ``utm_source``, a search's free text) is
served without reading or filling the cache: a robot requesting ``/?x=1`` to ``/?x=n``
makes no entry at all, instead of n.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import caches
from django_tenants.utils import schema_context

from core.page_cache import HEADER
from portal.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_pages_of_cycling_news(alpha) -> None:
    """Thirteen articles tagged "velo": the news listing (12 a page) has a page 2."""
    with schema_context(alpha.schema_name):
        for number in range(13):
            article = ArticlePageFactory(title=f"Vélo {number}", slug=f"velo-{number}", live=False)
            article.tags.add("velo")
            article.save_revision().publish()


def cached_entries() -> int:
    """How many pages the file cache shared by the workers holds (``var/cache/pages``)."""
    folder = getattr(caches["pages"], "_dir", None)
    if folder is None:
        pytest.skip("counts the files of the page cache, which is in Redis (REDIS_URL)")
    return sum(1 for _ in Path(folder).glob("*.djcache"))


def test_a_flood_of_unknown_parameters_creates_no_cache_entry(alpha, client_for):
    visitor = client_for(alpha)
    visitor.get("/")
    before = cached_entries()

    answers = [visitor.get("/", {"x": number}) for number in range(20)]

    assert {answer.status_code for answer in answers} == {200}
    assert {answer[HEADER] for answer in answers} == {"BYPASS"}
    assert cached_entries() == before


def test_a_tracker_parameter_is_served_fresh_and_not_kept(alpha, client_for):
    visitor = client_for(alpha)

    answers = [visitor.get("/actualites/", {"utm_source": "infolettre"}) for _ in range(2)]

    assert [answer[HEADER] for answer in answers] == ["BYPASS", "BYPASS"]
    assert "public" not in answers[1]["Cache-Control"]


def test_free_text_searches_are_not_kept(alpha, client_for):
    visitor = client_for(alpha)

    answers = [visitor.get("/actualites/", {"q": f"mot {number}"}) for number in range(3)]

    assert {answer[HEADER] for answer in answers} == {"BYPASS"}


def test_a_listing_page_and_its_filters_are_still_cached(
    alpha, client_for, two_pages_of_cycling_news
):
    visitor = client_for(alpha)

    first = visitor.get("/actualites/", {"page": "2"})
    second = visitor.get("/actualites/", {"page": "2"})

    assert (first[HEADER], second[HEADER]) == ("MISS", "HIT")


def test_the_same_filters_in_another_order_share_one_entry(
    alpha, client_for, two_pages_of_cycling_news
):
    visitor = client_for(alpha)

    first = visitor.get("/actualites/?tag=velo&page=2")
    second = visitor.get("/actualites/?page=2&tag=velo")

    assert (first[HEADER], second[HEADER]) == ("MISS", "HIT")


def test_a_known_parameter_given_twice_is_not_kept(alpha, client_for):
    visitor = client_for(alpha)

    answers = [visitor.get("/actualites/?page=1&page=2") for _ in range(2)]

    assert [answer[HEADER] for answer in answers] == ["BYPASS", "BYPASS"]


def test_a_flood_of_values_of_a_known_parameter_creates_no_more_than_one_entry(alpha, client_for):
    # review2: ``?page=1`` ... ``?page=n`` (or any slug as ``tag``) past what the listing
    # has are the same answer (Paginator.get_page gives the last page), one entry each.
    visitor = client_for(alpha)
    visitor.get("/actualites/")
    before = cached_entries()

    answers = [visitor.get("/actualites/", {"page": 1000 + number}) for number in range(20)]

    assert {answer.status_code for answer in answers} == {200}
    assert cached_entries() - before <= 1


def test_a_listing_filter_matching_nothing_is_not_kept(alpha, client_for):
    visitor = client_for(alpha)
    visitor.get("/actualites/")
    before = cached_entries()

    answers = [visitor.get("/actualites/", {"tag": f"inconnu-{number}"}) for number in range(5)]

    assert {answer.status_code for answer in answers} == {200}
    assert cached_entries() == before


def test_a_listing_page_number_written_otherwise_is_not_kept(alpha, client_for):
    visitor = client_for(alpha)
    visitor.get("/actualites/")
    before = cached_entries()

    answers = [visitor.get("/actualites/", {"page": "0" * zeros + "1"}) for zeros in range(1, 6)]

    assert {answer.status_code for answer in answers} == {200}
    assert cached_entries() == before
