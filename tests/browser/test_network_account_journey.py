"""A person with roles in two portals signs in to both with one password; a role at A never
opens B (issue 20, §1)."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.default_portal import ANIMATORS, CONTRIBUTORS
from tenants.factories import PortalAccountFactory
from tests.browser.conftest import log_into_admin
from tests.browser.test_accessibility import violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EMAIL = "sam@example.org"


@pytest.fixture(scope="module")
def portals(make_portal, django_db_blocker) -> dict:
    """Three portals: Sam animates the first, writes in the second, has no role in the
    third (committed, for the live server)."""
    made = {
        "nord": make_portal("nord", name="Nord en direct"),
        "sud": make_portal("sud", name="Sud Info"),
        "tiers": make_portal("tiers", name="Le Tiers"),
    }
    with django_db_blocker.unblock():
        for slug, role in (("nord", ANIMATORS), ("sud", CONTRIBUTORS)):
            with schema_context(made[slug].schema_name):
                PortalAccountFactory(username=EMAIL, first_name="Sam", roles=[role])
    return made


def sign_in(page, base: str, password: str) -> None:
    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill(EMAIL)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()


def test_one_password_opens_both_portals_and_nothing_else(
    new_window, origin, portals, shoot
) -> None:
    page = new_window(bypass_csp=True)  # axe-core is added to the login page
    nord, sud, tiers = (origin(portals[slug]) for slug in ("nord", "sud", "tiers"))

    log_into_admin(page, nord, EMAIL, PASSWORD, fresh=True)
    expect(page).to_have_url(nord + "/admin/")
    expect(page.get_by_role("heading", name="Sam Martin")).to_be_visible()
    shoot(page, "nord-tableau-de-bord")

    # Cookies stay on their host: Sud asks Sam to sign in, with the same password.
    page.goto(sud + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator(".network-account-note")).to_contain_text("compte Quartiers")
    assert violations(page) == []
    shoot(page, "sud-connexion")
    log_into_admin(page, sud, EMAIL, PASSWORD, fresh=True)
    expect(page).to_have_url(sud + "/admin/")
    expect(page.get_by_role("heading", name="Sam Martin")).to_be_visible()
    shoot(page, "sud-tableau-de-bord")

    # A portal where Sam holds no role: the same password opens nothing.
    sign_in(page, tiers, PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator("#id_password")).to_be_visible()
    shoot(page, "tiers-refuse")
    page.goto(tiers + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))


def test_a_session_of_one_portal_carried_to_another_host_opens_nothing(
    new_window, origin, portals
) -> None:
    at_nord = new_window()
    log_into_admin(at_nord, origin(portals["nord"]), EMAIL, PASSWORD, fresh=True)
    (session,) = [c for c in at_nord.context.cookies() if c["name"].endswith("session")]

    thief = new_window()
    thief.context.add_cookies(
        [
            {
                "name": session["name"],
                "value": session["value"],
                "domain": portals["tiers"].get_primary_domain().domain,
                "path": "/",
            }
        ]
    )
    thief.goto(origin(portals["tiers"]) + "/admin/")

    expect(thief).to_have_url(re.compile(r"/admin/login/"))
