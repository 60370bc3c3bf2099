"""Other agendas in ours, seen in a browser: the animator's "Agendas suivis" listing with
each feed's last result, and an imported event's public page (its origin credited, its
outside text inert), at 1280 and 360 px, checked with axe-core."""

from __future__ import annotations

import datetime
import threading
import zoneinfo
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django_tenants.utils import schema_context

from portal.agenda.ical_import import import_active_subscriptions
from portal.factories import AgendaSubscriptionFactory
from portal.models import EventPage
from tenants.models import Neighbourhood
from tests.browser.conftest import animator_login, log_into_admin
from tests.browser.test_accessibility import sideways_overflow, violations, widest
from tests.portal.ical_server import FeedServer, ics

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "un-mot-de-passe-solide"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
WIDTHS = ((1280, 900), (360, 740))


@pytest.fixture(scope="module")
def followed(make_portal, django_db_blocker) -> Iterator[tuple[Neighbourhood, str]]:
    """A portal following two feeds (one answers, one is gone), imported once, committed
    for the live server. Gives the portal and the imported event's path."""
    portal = make_portal("agendasuivi", name="Quartier des Lilas")
    server = FeedServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start = datetime.datetime.combine(
        datetime.date.today() + datetime.timedelta(days=8), datetime.time(18, 30), tzinfo=PARIS
    )
    event = {
        "uid": "repair@mobilizon.example",
        "summary": "Repair café <script>alert('titre')</script>des Lilas",
        "dtstart": start,
        "dtend": start + datetime.timedelta(hours=3),
        "location": "Maison des associations, 12 rue des Lilas, 75020 Paris",
        "description": (
            "On répare ensemble vélos, grille-pain et vêtements.\n\n"
            'Apportez vos objets. <a href="javascript:alert(1)">Inscription</a> '
            '<img src=x onerror="alert(2)">'
        ),
        "url": "https://mobilizon.example/events/repair-cafe",
    }
    good = server.serve("/lilas.ics", ics(event))
    allowed = override_settings(OUTBOUND_ALLOWED_NETWORKS=["127.0.0.1/32"])
    with django_db_blocker.unblock(), allowed, schema_context(portal.schema_name):
        AgendaSubscriptionFactory(name="Mobilizon · Collectif des Lilas", url=good, trusted=True)
        AgendaSubscriptionFactory(name="Mairie du 20e", url=server.base + "/disparu.ics")
        import_active_subscriptions()
        path = EventPage.objects.get(source_url__contains="mobilizon").url
    with django_db_blocker.unblock():
        animator_login(portal, PASSWORD)  # committed: the live server checks it
    yield portal, path
    server.shutdown()
    server.server_close()


def test_the_animator_sees_each_feeds_last_result(followed, origin, new_window, shoot) -> None:
    from playwright.sync_api import expect

    portal, _path = followed
    base = origin(portal)
    page = new_window(bypass_csp=True)  # axe is injected as an inline script
    with schema_context(portal.schema_name):
        username = get_user_model().objects.get(groups__name="Animateurs").username
    log_into_admin(page, base, username, PASSWORD)

    page.goto(base + "/admin/agenda/agendas-suivis/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Agendas suivis")
    expect(page.get_by_text("1 ajouté(s), 0 modifié(s), 0 retiré(s)")).to_be_visible()
    expect(page.get_by_text("Le flux est introuvable (erreur 404)")).to_be_visible()
    problems = violations(page)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        shoot(page, f"agendas-suivis-{width}px")
    assert not problems, "\n".join(problems)


def test_an_imported_event_credits_its_origin_and_runs_none_of_its_text(
    followed, origin, new_window, shoot
) -> None:
    from playwright.sync_api import expect

    portal, path = followed
    page = new_window(bypass_csp=True)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    response = page.goto(origin(portal) + path)

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Repair café des Lilas")
    source = page.get_by_role("link", name="Mobilizon · Collectif des Lilas")
    expect(source).to_have_attribute("href", "https://mobilizon.example/events/repair-cafe")
    expect(page.get_by_text("Apportez vos objets.")).to_be_visible()
    assert page.locator("a[href^='javascript:'], img[onerror], script:text('alert')").count() == 0
    problems = violations(page)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        if overflow := sideways_overflow(page):
            problems.append(f"{width} px : {overflow} px de défilement, {widest(page)}")
        shoot(page, f"evenement-importe-{width}px")
    assert dialogs == []
    assert not problems, "\n".join(problems)
