"""The actors' map in a real browser: the markers are those of the filtered selection, and
without JavaScript the page is the list alone.

Self-contained for now (a WSGI server of the project in a thread, a portal on
``<slug>.localhost``); shared browser fixtures can replace ``live_portal`` later.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django_tenants.utils import schema_context

from portal.models import Actor

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    # pytest-django sets up the test database only for modules that ask for it; the data
    # the server thread reads is committed by the module fixture, outside the test's own
    # transaction.
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason=f"Chromium absent ({CHROMIUM})"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

# Spread around Belleville, with two shops, three cultural places and one unlocated one.
ACTORS = [
    ("Boulangerie Saïd", Actor.Kind.SHOP, "48.871000", "2.384000"),
    ("Épicerie du coin", Actor.Kind.SHOP, "48.872000", "2.386000"),
    ("Médiathèque des Lilas", Actor.Kind.CULTURE, "48.873000", "2.383000"),
    ("Théâtre de l'Est", Actor.Kind.CULTURE, "48.870500", "2.387500"),
    ("Conservatoire", Actor.Kind.CULTURE, "48.874000", "2.381000"),
    ("Compagnie sans adresse", Actor.Kind.CULTURE, None, None),
]


class QuietHandler(WSGIRequestHandler):
    """Serves one connection in its own thread, silently, and closes that thread's database
    connections afterwards (CONN_MAX_AGE would keep them, and block the test database's
    removal)."""

    def handle(self) -> None:
        try:
            super().handle()
        finally:
            connections.close_all()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def live_portal(make_portal, django_db_blocker) -> Iterator[str]:
    """A portal with located actors (committed) and the project served on a free port:
    yields the portal's base URL, ``http://<slug>.localhost:<port>``."""
    portal = make_portal("carte")
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        for name, kind, latitude, longitude in ACTORS:
            Actor.objects.create(
                name=name,
                kind=kind,
                latitude=Decimal(latitude) if latitude else None,
                longitude=Decimal(longitude) if longitude else None,
            )
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    # Request threads are joined on close, so that none keeps a database session open
    # when the test database is dropped (the browser, closed first, ends keep-alives).
    server.daemon_threads = False
    server.block_on_close = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    with django_db_blocker.unblock():
        thread.start()
        yield f"http://{portal.get_primary_domain().domain}:{server.server_port}"
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        connections.close_all()


@pytest.fixture
def no_tiles(settings) -> None:
    """Tests have no Internet: a map without a tile layer."""
    settings.MAP_TILE_URL = ""


@pytest.fixture
def browser() -> Iterator[object]:
    """Chromium, started for each test once the test's database transaction is open:
    Playwright's sync API runs an event loop on this thread, and Django must not open a
    connection from inside it."""
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # Chromium resolves *.localhost itself; pin it to the IPv4 loopback we serve on.
            args=["--host-resolver-rules=MAP *.localhost 127.0.0.1"],
        )
        yield chromium
        chromium.close()


def test_the_map_shows_one_marker_per_located_actor_of_the_filtered_selection(
    live_portal, browser, no_tiles
):
    page = browser.new_page()
    page.goto(f"{live_portal}/acteurs/")
    page.wait_for_selector("#carte-acteurs .leaflet-marker-icon")
    all_markers = page.locator(".leaflet-marker-icon").count()

    page.select_option("#id_type", "culture")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/acteurs/?type=culture**")
    page.wait_for_selector("#carte-acteurs .leaflet-marker-icon")

    assert all_markers == 5
    assert page.locator(".leaflet-marker-icon").count() == 3
    assert page.locator("#carte-acteurs").is_visible()
    # The list still gives every actor of the selection, the unlocated one too.
    assert page.locator(".actor-list li").count() == 4
    page.locator(".leaflet-marker-icon").first.click()
    assert page.locator(".leaflet-popup-content a").count() == 1
    page.close()


def test_without_javascript_the_directory_is_a_complete_list_and_no_map(
    live_portal, browser, no_tiles
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_portal}/acteurs/?type=shop")

    assert page.locator(".actor-list li").count() == 2
    assert not page.locator("#carte-acteurs").is_visible()
    assert page.locator(".leaflet-marker-icon").count() == 0
    context.close()
