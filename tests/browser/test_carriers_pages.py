"""The carriers' pages (free pages, the cooperative) and the partners (home block, footer
strip) pass axe-core's WCAG 2.1 A/AA rules and reflow on a phone; a screenshot of each at
360 and 1280 px."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from carriers.demo import seed_carriers
from home.demo import seed_home
from tenants.models import Neighbourhood
from tests.browser.test_accessibility import sideways_overflow, violations, widest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = {
    "accueil-partenaires": "/",
    "a-propos": "/a-propos/",
    "nous-rejoindre": "/a-propos/nous-rejoindre/",
    "mentions-legales": "/mentions-legales/",
    "cooperative": "/cooperative/",
}


@pytest.fixture(scope="module")
def carried(make_portal, django_db_blocker) -> dict[str, Neighbourhood]:
    """A neighbourhood and the federation with the home page's and the carriers' demo."""
    portals = {
        "quartier": make_portal("porte", name="Quartier Porté"),
        "federation": make_portal("federationporte", kind="federation", name="Fédération"),
    }
    with django_db_blocker.unblock():
        for portal in portals.values():
            with schema_context(portal.schema_name):
                seed_home(portal)
                seed_carriers(portal)
    return portals


@pytest.mark.parametrize("where", ["quartier", "federation"])
@pytest.mark.parametrize("name", list(PAGES))
def test_carriers_pages_are_accessible_at_360_and_1280(
    where, name, carried, origin, checks_window, shoot
) -> None:
    page = checks_window
    response = page.goto(origin(carried[where]) + PAGES[name])
    assert response is not None and response.status == 200

    problems = violations(page)
    assert page.locator("footer .partner-strip img").count() == 6
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        if overflow := sideways_overflow(page):
            problems.append(f"{width} px : {overflow} px de défilement, {widest(page)}")
        shoot(page, f"{where}-{name}-{width}px")

    assert not problems, "\n".join(problems)
