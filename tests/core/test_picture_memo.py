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
from tests.core.conftest import ONE_SECOND

pytestmark = pytest.mark.django_db


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


def _around(visitor, portal, change) -> tuple[list[str], list[str]]:
    """The news listing's picture files within one second, just before and just after
    ``change()`` (run in ``portal``'s schema), each view seen twice: the second one's
    HTML is the kept one."""
    with time_machine.travel(ONE_SECOND, tick=False):
        visitor.get("/actualites/")
        before = _card_sources(visitor.get("/actualites/").text)
        with schema_context(portal.schema_name):
            change()
        visitor.get("/actualites/")
        after = _card_sources(visitor.get("/actualites/").text)
    return before, after


def test_a_moved_focal_point_shows_the_new_cut_at_once(alpha, client_for, every_cache_off):
    with schema_context(alpha.schema_name):
        image = _article_with_cover("Jardin partagé").cover

    def move_the_focal_point() -> None:
        image.focal_point_x, image.focal_point_y = 1400, 100
        image.focal_point_width, image.focal_point_height = 200, 200
        image.save()

    before, after = _around(client_for(alpha), alpha, move_the_focal_point)

    assert before and after
    assert not set(before) & set(after)


def test_a_rendition_drawn_again_is_offered_at_its_new_file(alpha, client_for, every_cache_off):
    with schema_context(alpha.schema_name):
        image = _article_with_cover("Fête de quartier").cover

    before, after = _around(client_for(alpha), alpha, lambda: image.renditions.all().delete())
    with schema_context(alpha.schema_name):
        drawn = {rendition.url for rendition in image.renditions.all()}

    assert before and after
    assert set(after) <= drawn
