"""Pictures written once per process (``core.picture_memo``) always show the renditions
the request read: another portal's files never, a moved focal point or a redrawn
rendition at once. Every cache off, the clock stopped, where a picture's HTML is kept
from one request to the next."""

import datetime
import re

import pytest
import time_machine
from django_tenants.utils import schema_context
from wagtail_factories import ImageFactory

from portal.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

ONE_SECOND = datetime.datetime(2026, 12, 3, 10, 0, 0, 200_000, tzinfo=datetime.UTC)


@pytest.fixture
def every_cache_off(settings) -> None:
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False


def _card_sources(html: str) -> list[str]:
    """The files the news listing's pictures offer, in order."""
    pictures = re.findall(r"<picture>.*?</picture>", html, flags=re.S)
    return [url for picture in pictures for url in re.findall(r'(/media/[^" ]+)', picture)]


def _article_with_cover(title: str):
    cover = ImageFactory(title=title, file__width=1600, file__height=900)
    return ArticlePageFactory(
        title=title, cover=cover, cover_alt="La place", date=datetime.date(2026, 12, 2)
    )


def test_two_portals_show_each_their_own_files(alpha, beta, client_for, every_cache_off):
    for portal in (alpha, beta):
        with schema_context(portal.schema_name):
            _article_with_cover("Fresque")

    with time_machine.travel(ONE_SECOND, tick=False):
        pages = [
            (portal, client_for(portal).get("/actualites/").text) for portal in (alpha, beta) * 2
        ]

    for portal, page in pages:
        files = _card_sources(page)
        assert files
        assert all(url.startswith(f"/media/{portal.schema_name}/") for url in files)


def test_a_moved_focal_point_shows_the_new_cut_at_once(alpha, client_for, every_cache_off):
    with schema_context(alpha.schema_name):
        article = _article_with_cover("Jardin partagé")
    visitor = client_for(alpha)

    with time_machine.travel(ONE_SECOND, tick=False):
        visitor.get("/actualites/")
        before = _card_sources(visitor.get("/actualites/").text)
        with schema_context(alpha.schema_name):
            image = article.cover
            image.focal_point_x, image.focal_point_y = 1400, 100
            image.focal_point_width, image.focal_point_height = 200, 200
            image.save()
        after = _card_sources(visitor.get("/actualites/").text)
        again = _card_sources(visitor.get("/actualites/").text)

    assert before and after
    assert not set(before) & set(after)
    assert again == after


def test_a_rendition_drawn_again_is_offered_at_its_new_file(alpha, client_for, every_cache_off):
    with schema_context(alpha.schema_name):
        article = _article_with_cover("Fête de quartier")
    visitor = client_for(alpha)

    with time_machine.travel(ONE_SECOND, tick=False):
        visitor.get("/actualites/")
        before = _card_sources(visitor.get("/actualites/").text)
        with schema_context(alpha.schema_name):
            article.cover.renditions.all().delete()
        visitor.get("/actualites/")
        after = _card_sources(visitor.get("/actualites/").text)
        with schema_context(alpha.schema_name):
            drawn = {rendition.url for rendition in article.cover.renditions.all()}

    assert before and after
    assert set(after) <= drawn
