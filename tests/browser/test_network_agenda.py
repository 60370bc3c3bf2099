"""The network's agenda in a browser: readable by everyone (axe-core, no sideways scroll
at 360 and 1280 px), and a visitor goes from it to the event on its own portal."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tenants.models import Neighbourhood, SharedEntry
from tenants.public_links import align_portal_links
from tests.browser.conftest import seed_content
from tests.browser.test_accessibility import sideways_overflow, violations, widest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def network(make_portal, live_port, django_db_blocker) -> dict[str, Neighbourhood]:
    """The federation and two neighbourhoods with the demo content (which shares two
    upcoming events of each), their links on the live server's port."""
    portals = {
        "federation": make_portal("federation", kind="federation", name="Fédération Quartiers"),
        "lilas": make_portal("lilas", name="Les Lilas en direct", city="Les Lilas"),
        "dalle": make_portal("dalle", name="La Dalle TV", city="Argenteuil"),
    }
    with django_db_blocker.unblock():
        for portal in portals.values():
            seed_content(portal)
        align_portal_links(list(portals.values()))
    return portals


def test_the_network_agenda_is_accessible_at_360_and_1280_px(
    network, origin, new_window, shoot
) -> None:
    page = new_window(bypass_csp=True)
    response = page.goto(origin(network["federation"]) + "/reseau/agenda/")

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda du réseau")
    expect(page.get_by_text("Proposé par").first).to_be_visible()
    problems = violations(page)
    for name, (width, height) in {
        "bureau-1280px": (1280, 900),
        "telephone-360px": (360, 740),
    }.items():
        page.set_viewport_size({"width": width, "height": height})
        if overflow := sideways_overflow(page):
            problems.append(f"{name} : {overflow} px de défilement horizontal, {widest(page)}")
        shoot(page, name)
    assert not problems, "\n".join(problems)


def test_a_visitor_goes_from_the_network_agenda_to_the_event_on_its_portal(
    network, origin, new_window, shoot
) -> None:
    entry = (
        SharedEntry.objects.filter(kind="event", tenant=network["lilas"])
        .order_by("starts_at")
        .first()
    )
    page = new_window()
    page.goto(origin(network["federation"]) + "/reseau/agenda/")

    card = page.locator("li.card", has_text="Les Lilas en direct").first
    card.get_by_role("link").first.click()

    expect(page).to_have_url(entry.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(entry.title)
    shoot(page, "evenement-sur-son-portail")
    page.go_back()
    page.get_by_role("link", name="Les Lilas en direct").first.click()
    expect(page).to_have_url(origin(network["lilas"]) + "/")
