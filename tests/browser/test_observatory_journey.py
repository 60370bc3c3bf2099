"""An animator reads their portal's observatory, changes the period, downloads the CSV
export and opens the printable bilan; on the day of an event, ticks who came from a phone.
Every screen passes axe-core; screenshots at 1,280 and 360 px."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from portal.factories import EventPageFactory
from registrations.factories import RegistrationFactory
from tenants.factories import DailyIndicatorFactory
from tenants.group_names import FEDERATION_STAFF
from tenants.models import DailyIndicator, Neighbourhood
from tests.browser.conftest import animator_login, log_into_admin
from tests.browser.test_accessibility import sideways_overflow, violations
from tests.browser.test_consultation_journey import committed
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True}


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker):
    """A portal with six weeks of figures, committed so that the live server sees them."""
    made = make_portal("observe", name="Quartier Observé")
    today = timezone.localdate()
    with django_db_blocker.unblock():
        for n in range(42):
            day = today - datetime.timedelta(days=n + 1)
            DailyIndicatorFactory(portal=made, day=day, indicator="articles", value=n % 4)
            DailyIndicatorFactory(portal=made, day=day, indicator="subscribers", value=80 - n)
    yield made
    with django_db_blocker.unblock():
        DailyIndicator.objects.filter(portal=made).delete()


@pytest.fixture(scope="module")
def federation(make_portal, django_db_blocker):
    made = make_portal("federation", kind="federation", name="Fédération Quartiers")
    with django_db_blocker.unblock(), schema_context(made.schema_name):
        user = get_user_model().objects.create_user(
            username="obs@federation.example", email="obs@federation.example"
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=FEDERATION_STAFF))
    return made


@pytest.fixture(scope="module")
def animator(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return animator_login(portal, PASSWORD)


def assert_accessible(page, where: str) -> None:
    problems = violations(page)
    assert not problems, f"{where}\n" + "\n".join(problems)


def test_an_animator_reads_the_dashboard_and_downloads_an_export(
    portal, animator, origin, browser_page, new_window, shoot
):
    base = origin(portal)
    page = browser_page
    log_into_admin(page, base, animator, PASSWORD)

    page.get_by_role("link", name="Observatoire").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observatoire")
    articles = page.locator("#graphique-articles svg[role=img]")
    expect(articles).to_be_visible()
    expect(articles.locator("desc")).to_contain_text("au total")
    page.get_by_label("Période", exact=True).select_option("90")
    page.get_by_role("button", name="Afficher", exact=True).click()
    expect(page.locator('tr[data-indicator="subscribers"] td').first).to_have_text("80")
    assert_accessible(page, "tableau de bord, 1280 px")
    shoot(page, "tableau-de-bord-1280px")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Quartier Observé;Articles;articles" in text

    page.get_by_role("link", name="Bilan imprimable").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan de Quartier Observé")
    assert_accessible(page, "bilan")
    shoot(page, "bilan-1280px")
    page.emulate_media(media="print")
    shoot(page, "bilan-impression")

    phone = new_window(**PHONE)
    log_into_admin(phone, base, animator, PASSWORD)
    phone.goto(base + "/admin/observatoire/?jours=30")
    phone.locator("summary", has_text="Les données : Articles").click()
    assert_accessible(phone, "tableau de bord, 360 px")
    assert sideways_overflow(phone) == 0
    shoot(phone, "tableau-de-bord-360px")


def test_the_animator_ticks_who_came_from_a_phone(portal, animator, origin, new_window, shoot):
    made = {}

    def register() -> None:
        made["event"] = EventPageFactory(registrations_open=True, title="Repas de quartier")
        RegistrationFactory(event=made["event"], name="Fatou Diallo", people=2)
        RegistrationFactory(event=made["event"], name="Jean Martin")

    committed(portal, register)  # the live server reads committed rows only
    event = made["event"]
    base = origin(portal)
    phone = new_window(**PHONE)
    log_into_admin(phone, base, animator, PASSWORD)

    phone.goto(f"{base}/admin/inscriptions/presences/{event.pk}/")
    assert_accessible(phone, "présences, 360 px")
    assert sideways_overflow(phone) == 0
    phone.get_by_role("button", name="Fatou Diallo est venu·e").click()

    expect(phone.get_by_text("2 personnes venues sur 3 inscrites.")).to_be_visible()
    expect(phone.get_by_role("button", name="Annuler la présence de Fatou Diallo")).to_be_visible()
    shoot(phone, "presences-360px")


def test_federation_staff_compare_the_portals_on_a_map_and_a_sortable_table(
    portal, federation, origin, browser_page, new_window, shoot
):
    committed(  # on the registry, committed: the live server reads it
        portal,
        lambda: Neighbourhood.objects.filter(pk=portal.pk).update(latitude=48.87, longitude=2.38),
    )
    base = origin(federation)
    page = browser_page
    log_into_admin(page, base, "obs@federation.example", PASSWORD)

    page.get_by_role("link", name="Observatoire du réseau").first.click()
    expect(page.locator('tr[data-portal="observe"]')).to_be_visible()
    page.get_by_role("link", name="Articles").first.click()
    expect(page.locator("th[aria-sort]")).to_contain_text("Articles")
    expect(page.locator("svg.obs-map circle")).to_have_count(1)
    assert_accessible(page, "réseau, 1280 px")
    shoot(page, "reseau-1280px")
    page.locator("svg.obs-map").scroll_into_view_if_needed()
    shoot(page, "reseau-carte-1280px")

    phone = new_window(**PHONE)
    log_into_admin(phone, base, "obs@federation.example", PASSWORD)
    phone.goto(base + "/admin/observatoire/reseau/?jours=90")
    assert_accessible(phone, "réseau, 360 px")
    assert sideways_overflow(phone) == 0
    shoot(phone, "reseau-360px")
