"""The design system seen by a visitor: each page type at a phone's, a tablet's and a
desk's width, the phone menu without JavaScript, a right-to-left home page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import seed_content
from tests.browser.test_accessibility import sideways_overflow, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = (360, 768, 1280)
PAGES = {
    "accueil": "/",
    "article": None,  # the newest article, found in the page
    "agenda": "/agenda/",
    "petites-annonces": "/petites-annonces/",
}


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker):
    portal = make_portal("vitrine", name="Quartier Vitrine")
    with django_db_blocker.unblock():
        return seed_content(portal)


@pytest.fixture(autouse=True)
def no_tiles(settings) -> None:
    """Tests have no Internet: maps without a tile layer."""
    settings.MAP_TILE_URL = ""


def _article_path(page, base: str) -> str:
    page.goto(base + "/actualites/")
    return page.locator("main .card h2 a, main .card h3 a").first.get_attribute("href")


def test_each_page_type_at_three_widths(portal, origin, new_window, shoot) -> None:
    base = origin(portal)
    page = new_window(bypass_csp=True)
    paths = dict(PAGES, article=_article_path(page, base))
    problems = []
    for name, path in paths.items():
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(base + path)
            if overflow := sideways_overflow(page):
                problems.append(f"{name} {width} px : {overflow} px de défilement horizontal")
            if width == 360:
                problems += [f"{name} : {line}" for line in violations(page)]
            shoot(page, f"{name}-{width}")
    assert not problems, "\n".join(problems)
