"""An animator with a second factor signs in: the password, then the code of their app
(computed from the device's key, as their phone does), then the admin (issue 20, §3); the
same code, typed again from another browser, is refused.
Screenshots of the code page at 1280 and 360 px; axe-core and no sideways scroll."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.accounts import NetworkAccount
from tenants.default_portal import ANIMATORS, CONTRIBUTORS
from tenants.factories import PortalAccountFactory, SecondFactorDeviceFactory
from tests.browser.test_accessibility import sideways_overflow, violations
from tests.conftest import PASSWORD, next_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EMAIL = "leila@example.org"
# The least room between the title's words and the card's edges, in pixels: the card's
# own padding on the other lines is 24 at 360 px.
MIN_ROOM = 16


def title_room(page) -> int:
    """The narrowest room, in px, between the page title's words and its card's edges."""
    return page.evaluate(
        """() => {
            const title = document.querySelector("main h1");
            const card = title.closest(".content-wrapper").getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(title);
            const words = range.getBoundingClientRect();
            return Math.floor(Math.min(words.left - card.left, card.right - words.right));
        }"""
    )


def problems_at_both_widths(page, shoot, name: str) -> list[str]:
    """axe-core's violations, sideways scroll and a title too near the card's edge, at
    1280 and 360 px, with a screenshot at each; back to 1280 px after."""
    problems = []
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{width} px : {line}" for line in violations(page)]
        if overflow := sideways_overflow(page):
            problems.append(f"{width} px : {overflow} px de défilement horizontal")
        if (room := title_room(page)) < MIN_ROOM:
            problems.append(f"{width} px : le titre à {room} px du bord de la carte")
        shoot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker):
    """A portal where Leïla is animator, with her app set up (committed, for the server)."""
    made = make_portal("codejourney", name="Quartier du Code")
    with django_db_blocker.unblock():
        with schema_context(made.schema_name):
            PortalAccountFactory(username=EMAIL, first_name="Leïla", roles=[ANIMATORS])
        SecondFactorDeviceFactory(account=NetworkAccount.objects.get(email=EMAIL))
    return made


def test_an_animator_with_a_second_factor_signs_in_with_the_code(
    new_window, origin, portal, shoot
) -> None:
    page = new_window(bypass_csp=True)  # axe-core is added to the pages
    base = origin(portal)
    device = NetworkAccount.objects.get(email=EMAIL).second_factor

    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()

    # The password alone opens nothing: the code page, and the admin still closed.
    expect(page).to_have_url(base + "/admin/login/code/")
    expect(page.get_by_role("heading", name="Code de double authentification")).to_be_visible()
    problems = problems_at_both_widths(page, shoot, "code")

    # A wrong code: refused in French, still on the code page.
    wrong = "000000" if next_code(device) != "000000" else "111111"
    page.get_by_label("Code de l'application ou code de secours").fill(wrong)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Ce code n'est pas le bon")).to_be_visible()
    shoot(page, "code-refuse")

    code = next_code(device, wait=True)
    page.get_by_label("Code de l'application ou code de secours").fill(code)
    page.get_by_role("button", name="Valider").click()

    expect(page).to_have_url(base + "/admin/")
    expect(page.get_by_role("heading", name=re.compile("Leïla"))).to_be_visible()
    shoot(page, "tableau-de-bord")

    # The same code, typed again from another browser: it has served, the server refuses
    # it (the tests move a device's last step back only in place of a person's wait for
    # the next code, never to let a code serve twice).
    other = new_window()
    other.goto(base + "/admin/login/")
    other.locator("#id_username").fill(EMAIL)
    other.locator("#id_password").fill(PASSWORD)
    other.locator("form button[type=submit]").first.click()
    expect(other).to_have_url(base + "/admin/login/code/")
    other.get_by_label("Code de l'application ou code de secours").fill(code)
    other.get_by_role("button", name="Valider").click()
    expect(other.get_by_text("Ce code n'est pas le bon, ou il a déjà servi")).to_be_visible()
    expect(other).to_have_url(base + "/admin/login/code/")
    assert problems == []


CONTRIBUTOR = "yanis@example.org"


@pytest.fixture(scope="module")
def contributor(portal, django_db_blocker) -> None:
    """Yanis, a contributor of the same portal, who turned the factor on himself."""
    with django_db_blocker.unblock():
        with schema_context(portal.schema_name):
            PortalAccountFactory(username=CONTRIBUTOR, first_name="Yanis", roles=[CONTRIBUTORS])
        SecondFactorDeviceFactory(account=NetworkAccount.objects.get(email=CONTRIBUTOR))


def test_a_contributor_turns_the_second_factor_off_from_his_account(
    new_window, origin, portal, contributor, shoot
) -> None:
    page = new_window(bypass_csp=True)
    base = origin(portal)
    device = NetworkAccount.objects.get(email=CONTRIBUTOR).second_factor
    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill(CONTRIBUTOR)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.get_by_label("Code de l'application ou code de secours").fill(next_code(device, wait=True))
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(base + "/admin/")

    page.goto(base + "/admin/account/")
    page.get_by_role("tab", name=re.compile("actions", re.IGNORECASE)).click()
    page.get_by_role("link", name=re.compile("^Double authentification")).click()

    expect(page).to_have_url(base + "/admin/double-authentification/desactiver/")
    heading = page.get_by_role("heading", name="Désactiver la double authentification")
    expect(heading).to_be_visible()
    problems = problems_at_both_widths(page, shoot, "desactiver")
    page.get_by_label("Code de l'application ou code de secours").fill(next_code(device, wait=True))
    page.get_by_role("button", name="Désactiver", exact=True).click()

    expect(page).to_have_url(base + "/admin/")
    expect(page.get_by_text("La double authentification est désactivée.")).to_be_visible()
    assert problems == []
