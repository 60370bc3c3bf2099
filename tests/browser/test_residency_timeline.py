"""A residency's timeline, as visitors get it: read without JavaScript on a 360 px phone and
at 1280 px, passing axe-core's WCAG 2.1 A/AA rules, and printed whole on paper.

The portal holds the demo network's content, so the residency is the demo's own (its
phases link the demo's articles, workshop, events and webTV episode).
"""

from __future__ import annotations

import pytest

from tenants.models import Neighbourhood
from tests.browser.conftest import seed_content
from tests.browser.test_accessibility import sideways_overflow, violations, widest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

RESIDENCY = "/residences/residence-media/"
SECTION = "/residences/"
PHASES = 6  # the demo's: préfiguration, three weeks on site, restitution, follow-up


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker) -> Neighbourhood:
    made = make_portal("frise", name="Quartier de la Frise", territory="Les Tilleuls, Bondy")
    with django_db_blocker.unblock():
        seed_content(made)
    return made


@pytest.fixture(autouse=True)
def no_tiles(settings) -> None:
    settings.MAP_TILE_URL = ""


@pytest.mark.parametrize("width", [360, 1280])
def test_the_timeline_reads_without_javascript(width, portal, origin, new_window, shoot) -> None:
    page = new_window(java_script_enabled=False, viewport={"width": width, "height": 800})
    response = page.goto(origin(portal) + RESIDENCY)
    assert response is not None and response.status == 200

    phases = page.locator("ol.frise > li")
    assert phases.count() == PHASES
    for number in range(PHASES):
        phase = phases.nth(number)
        assert phase.is_visible()
        assert phase.locator("h3").is_visible()
        assert phase.locator("time").first.is_visible()
    # What the phases produced can be opened from the timeline.
    outputs = page.locator("ol.frise .frise-outputs a")
    assert outputs.count() >= 5
    assert page.locator("ol.frise").get_by_role("link", name="Atelier participatif").is_visible()
    assert page.locator('ol.frise > li[aria-current="step"]').count() == 1
    assert sideways_overflow(page) == 0, widest(page)
    shoot(page, f"residence-sans-javascript-{width}px")


@pytest.mark.parametrize("path", [RESIDENCY, SECTION])
def test_the_residency_pages_pass_axe_core(path, portal, origin, checks_window, shoot) -> None:
    page = checks_window
    response = page.goto(origin(portal) + path)
    assert response is not None and response.status == 200

    problems = []
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{width} px : {line}" for line in violations(page)]
        if overflow := sideways_overflow(page):
            problems.append(f"{width} px : {overflow} px de défilement, {widest(page)}")
        shoot(page, f"{path.strip('/').replace('/', '-')}-{width}px")

    assert not problems, "\n".join(problems)


def test_the_timeline_prints_whole(portal, origin, new_window, shoot) -> None:
    # An A4 page is about 794 CSS pixels wide.
    page = new_window(java_script_enabled=False, viewport={"width": 794, "height": 1123})
    page.goto(origin(portal) + RESIDENCY)
    page.emulate_media(media="print")

    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    phases = page.locator("ol.frise > li")
    assert phases.count() == PHASES
    for number in range(PHASES):
        phase = phases.nth(number)
        assert phase.is_visible()
        # No phase is cut across two sheets of paper.
        assert phase.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    # The markers on the line are printed as drawn, not dropped as a background.
    marker_adjust = phases.first.evaluate("e => getComputedStyle(e, '::before').printColorAdjust")
    assert marker_adjust == "exact"
    assert sideways_overflow(page) == 0, widest(page)
    shoot(page, "residence-impression")
    assert len(page.pdf(format="A4")) > 10_000
