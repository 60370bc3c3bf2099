"""Browser journeys: Debian's Chromium, driven by Playwright, against a live server.

The server is Django's own live-server thread in this process, on 127.0.0.1 and a free
port, serving the test database through the real tenant middleware. Portals answer at
``<slug>.localhost:<port>``: Chromium resolves ``*.localhost`` to the loopback itself.
Each journey saves screenshots under ``var/browser-artifacts/`` (or ``BROWSER_ARTIFACTS``).

Without ``/usr/bin/chromium`` (or the executable ``CHROMIUM_PATH`` names) every test marked
``browser`` is skipped with a reason that says so; ``.ci/run`` installs the package and sets
``QUARTIERS_REQUIRE=browser``, which turns such a skip into a failure (``tests/required.py``).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core import mail
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread

from tenants.models import Neighbourhood
from tests import portal_costs

# Playwright's synchronous API keeps an event loop in this thread; Django would then refuse
# the ORM calls that tests make between two browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", settings.BASE_DIR / "var/browser-artifacts"))
AXE = Path(__file__).parent / "vendor/axe-core/axe.min.js"
# How long a browser step may wait (a page to load, an element to appear, an ``expect``
# to come true) before the journey fails. Only a hang guard: a step that succeeds returns
# at once. Playwright's own ``expect`` default is 5 s, and on a loaded machine (several
# test runs at once on two cores) a page of the live server took longer: a journey failed
# now and then for no fault of the code (issue 23 §6).
STEP_TIMEOUT_MS = 60_000
# JPEG quality of the journeys' screenshots (``shoot``).
SHOT_QUALITY = 85
NOT_PLAYED = (
    f"Chromium absent ({CHROMIUM}) : parcours navigateur non joués "
    "(apt-get install chromium pour les jouer)."
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=NOT_PLAYED))


@pytest.fixture(scope="module")
def live_port(django_db_setup, django_db_blocker) -> Iterator[int]:
    """A live server of the project for this module; absolute links carry its port."""
    # A free port; ``LIVE_SERVER_PORT`` fixes it (``make guides``: links in the guides'
    # pictures then stay the same at every run).
    port = int(os.environ.get("LIVE_SERVER_PORT", "0"))
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=port)
    thread.daemon = True
    # The server's threads reach the database outside any test's own access window.
    with django_db_blocker.unblock():
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        with override_settings(PUBLIC_PORT=thread.port):
            yield thread.port
        thread.terminate()


@pytest.fixture(scope="module")
def origin(live_port: int) -> Callable[[Neighbourhood], str]:
    """``http://<portal host>:<port>`` of a portal on the live server."""

    def make(portal: Neighbourhood) -> str:
        return f"http://{portal.get_primary_domain().domain}:{live_port}"

    return make


@pytest.fixture(scope="session")
def chromium(django_db_setup) -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
        # While Playwright is open its event loop counts as running in this thread, and
        # Django then keeps this thread's database connections apart (asgiref's ``Local``
        # stores them per context while a loop runs): the test database's teardown, once
        # Playwright is closed, did not see the session its tests used, waited 10 s for it
        # to end (``end_other_sessions``), then killed it, at the end of every run
        # (issue 23 §6). Closed here, where they are seen.
        connections.close_all()


# Parts of Chromium's own window that no test sees. Headless Chromium still builds a whole
# browser window for each page opened (each ``open_window``), address bar included, and
# each window loaded the address bar's suggestions popup: a page of some 200 scripts
# (chrome://omnibox-popup.top-chrome) in a renderer process of its own. Ten windows
# opened and closed took 8.6 s of Chromium's CPU with it, 2.3 s without; four journey
# modules, 81 s instead of 58 to 68 (issue 23 §6).
CHROME_FEATURES_OFF = ("WebUIOmniboxPopup", "WebUIOmniboxFullPopup", "WebUIOmniboxAimPopup")


def launch_chromium(playwright) -> object:
    """Chromium as Playwright launches it, with ``CHROME_FEATURES_OFF`` turned off too.

    Chromium reads only the last ``--disable-features`` of its command line, and Playwright
    passes its own list (features that would break its automation), which a second one
    would replace. So the browser is launched once as Playwright does, its command line
    read (Linux's ``/proc``), and launched again with Playwright's list made longer. Where
    the list cannot be read, the first browser serves, only slower."""
    options = {
        "executable_path": str(CHROMIUM),
        "headless": True,
        # Chromium resolves *.localhost itself; pin it to the IPv4 loopback we serve on.
        "args": ["--host-resolver-rules=MAP *.localhost 127.0.0.1"],
    }
    browser = playwright.chromium.launch(**options)
    playwrights_list = _disabled_features_switch()
    if playwrights_list is None:
        return browser
    browser.close()
    longer = ",".join([playwrights_list, *CHROME_FEATURES_OFF])
    return playwright.chromium.launch(
        **options | {"args": [*options["args"], longer], "ignore_default_args": [playwrights_list]}
    )


def _disabled_features_switch() -> str | None:
    """The ``--disable-features=...`` switch of the Chromium this process launched (the
    one browser process among its descendants: no ``--type=``), or None."""
    proc = Path("/proc")
    parents: dict[int, list[int]] = {}
    for entry in proc.glob("[0-9]*"):
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(parent, []).append(int(entry.name))
    found = []
    waiting = list(parents.get(os.getpid(), []))
    while waiting:
        pid = waiting.pop()
        waiting += parents.get(pid, [])
        try:
            switches = (proc / str(pid) / "cmdline").read_bytes().decode().split("\0")
        except (OSError, UnicodeDecodeError):
            continue
        if any(s.startswith("--type=") for s in switches):
            continue
        found += [s for s in switches if s.startswith("--disable-features=")]
    return found[0] if len(found) == 1 else None


@pytest.fixture
def browser_page(chromium, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh French-speaking browser window (its own cookies) for one test."""
    page = open_window(chromium)
    yield page
    page.context.close()


def open_window(chromium, **options: object) -> object:
    """A new window (its own browser context: no cookie of another): French, a desk's
    width unless ``options`` say otherwise, each step waiting at most ``STEP_TIMEOUT_MS``.
    Whoever opens it closes its context."""
    options = {"locale": "fr-FR", "viewport": {"width": 1280, "height": 900}} | options
    context = chromium.new_context(**options)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    if options.get("bypass_csp"):
        # A window that lets axe-core in (``bypass_csp``: the checks' windows) is given it
        # in each document as the document is created, where Chromium compiles it once
        # for the window: handing its 650 kB to each page checked (``evaluate``) took a
        # fifth of a second a page on this machine, about as long as the check itself
        # (issue 23 §6). It only defines ``window.axe``; nothing runs until a check.
        context.add_init_script(script=axe_source())
    return context.new_page()


@pytest.fixture(scope="module")
def _module_checks_window(chromium) -> Iterator[object]:
    page = open_window(chromium, bypass_csp=True)
    yield page
    page.context.close()


@pytest.fixture
def checks_window(_module_checks_window) -> object:
    """The module's window for axe-core's checks (``bypass_csp``: axe-core in every
    document), given to each test as a first visit: no cookie of the pages checked before
    (the portal's public scripts keep nothing in the browser's storage), a desk's width.

    One window for the module's checks rather than one a test: opening a window (its
    renderer process, Playwright's set-up of the page) cost about as much as loading and
    checking the page it then showed (issue 23 §6)."""
    page = _module_checks_window
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


@cache
def axe_source() -> str:
    """axe-core's script, read once a process."""
    return AXE.read_text()


@pytest.fixture
def new_window(chromium) -> Iterator[Callable[..., object]]:
    """More windows for journeys with several people (each its own cookies)."""
    contexts = []

    def make(**options: object) -> object:
        page = open_window(chromium, **options)
        contexts.append(page.context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Callable[[object, str], Path]:
    """Save a full-page screenshot as a test artefact, numbered in journey order."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    # This run's shots only: an earlier run's, numbered otherwise, would read as steps of it.
    shutil.rmtree(folder, ignore_errors=True)
    # A tour of every page type at two widths takes some 100 shots.
    shots = iter(range(1, 1000))

    def take(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{next(shots):02d}-{name}.jpg"
        # JPEG rather than PNG: Chromium encodes a long page's PNG in twice the time, and
        # a run takes several hundred shots (issue 23 §6); at this quality the text reads
        # as well to the people who look through them.
        page.screenshot(path=str(path), full_page=True, type="jpeg", quality=SHOT_QUALITY)
        return path

    return take


def link_in_last_mail(pattern: str) -> str:
    """The first link of the last e-mail sent that matches ``pattern``."""
    assert mail.outbox, "aucun e-mail envoyé"
    body = mail.outbox[-1].body
    found = re.search(rf"https?://\S*{pattern}\S*", body)
    assert found, f"pas de lien {pattern!r} dans : {body}"
    return found.group(0).rstrip(".>)")


def seed_content(portal: Neighbourhood) -> Neighbourhood:
    """Fill a test portal with the demo network's content: every public page type."""
    from tenants.demo_network import seed_portal_content

    with portal_costs.timed("seed"):
        seed_portal_content(portal)
    return portal


def animator_login(portal: Neighbourhood, password: str) -> str:
    """Give the portal's first animator a known password (committed); their user name."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from tenants.network_login import set_network_password

    with schema_context(portal.schema_name):
        user = get_user_model().objects.get(groups__name="Animateurs")
        user.set_password(password)
        user.save(update_fields=["password"])
        # As their invitation link would: the password becomes their network password.
        set_network_password(user, user.password)
        return user.username


# The cookies each person's sign-in left, by portal address and user name, for the
# module's later windows of the same person (``log_into_admin``); forgotten at each
# module's end (``_forget_admin_sessions``: the next module's portals are new ones).
_admin_sessions: dict[tuple[str, str], list[dict]] = {}


@pytest.fixture(scope="module", autouse=True)
def _forget_admin_sessions() -> Iterator[None]:
    _admin_sessions.clear()
    yield
    _admin_sessions.clear()


def log_into_admin(page, base: str, username: str, password: str, *, fresh: bool = False) -> None:
    """Sign in through the portal's Wagtail login form, as a person would, typing the
    second factor's code when asked (``type_second_factor``); the window ends on the
    admin's dashboard.

    A person signed in once in the module is signed in again by their session: the
    window gets the cookies of their first sign-in and opens the dashboard, as their own
    browser would the next day. A sign-in through the form and its second factor took
    about 2 s of a loaded machine (four pages, the dashboard's included), 48 times a run,
    13 of them the same person again in the same module (issue 23 §6). When that session
    no longer opens the admin (the test signed them out, changed their password), or with
    ``fresh`` (a test about signing in itself), the form is used."""
    known = None if fresh else _admin_sessions.get((base, username))
    if known is not None:
        page.context.add_cookies(known)
        page.goto(base + "/admin/")
        if not _on_login(page.url):
            return
    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(lambda url: url.startswith(base + "/admin/") and not _on_login(url))
    type_second_factor(page, username)
    page.wait_for_url(f"{base}/admin/**")
    # Only this portal's cookies, and no message waiting to be shown (a message is shown
    # once, in the window where it arose).
    _admin_sessions[(base, username)] = [
        cookie for cookie in page.context.cookies(base) if cookie["name"] != "messages"
    ]


def _on_login(url: str) -> bool:
    from urllib.parse import urlparse

    return urlparse(url).path == "/admin/login/"


def type_second_factor(page, email: str) -> None:
    """On a code page (the admin's or the animators' space's), type the code of the
    person's app (computed from their device's key, as their phone does); on an enrolment
    page, set the app up with the key the page shows, then go on past the recovery codes.
    Elsewhere (no code asked), nothing."""
    from urllib.parse import urlparse

    from tenants.accounts import NetworkAccount, normal_email
    from tenants.second_factor import current_code, device_of
    from tests.conftest import SPACE_CODE, next_code

    path = urlparse(page.url).path
    if path not in ("/admin/login/code/", "/admin/login/code/activer/", SPACE_CODE):
        return
    key_shown = page.locator(".second-factor-key")
    if key_shown.count():
        shown = key_shown.inner_text().replace(" ", "")
        key = base64.b32decode(shown + "=" * (-len(shown) % 8)).hex()
        page.locator("#id_code").fill(current_code(key))
        page.locator("form:has(#id_code) button[type=submit]").click()
        page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    else:
        device = device_of(NetworkAccount.objects.get(email=normal_email(email)))
        page.locator("#id_code").fill(next_code(device, wait=True))
        page.locator("form:has(#id_code) button[type=submit]").click()
    page.wait_for_url(lambda url: urlparse(url).path not in (path, "/admin/login/code/activer/"))


def confirm_by_button(
    page,
    link: str,
    button: str,
    *,
    new_window: Callable[..., object] | None = None,
    shoot: Callable[[object, str], Path] | None = None,
) -> None:
    """Open an e-mailed confirmation link as its reader does, then press its button.

    Mail scanners open links ahead of their reader: opening the link must confirm nothing,
    so the page shows a button (a POST). Given ``new_window`` and ``shoot``, the page is
    first checked in a window of its own: axe-core's WCAG 2.1 AA rules and no sideways
    scroll at 1280 and 360 px, with a screenshot at each width.
    """
    from playwright.sync_api import expect

    from tests.browser.test_accessibility import sideways_overflow, violations

    if new_window is not None and shoot is not None:
        # Opening the link again is harmless: that is the point.
        checked = new_window(bypass_csp=True)
        problems = []
        for width, height in ((1280, 900), (360, 740)):
            checked.set_viewport_size({"width": width, "height": height})
            response = checked.goto(link)
            assert response is not None and response.status == 200, link
            problems += [f"{width} px : {line}" for line in violations(checked)]
            if overflow := sideways_overflow(checked):
                problems.append(f"{width} px : {overflow} px de défilement horizontal")
            shoot(checked, f"confirmer-{width}px")
        assert not problems, f"{link}\n" + "\n".join(problems)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirmer")
    page.get_by_role("button", name=button).click()
