"""Attack review of the agenda's import of outside iCal feeds (issue 26, point 3).

A feed is written by strangers: its bytes must neither reach the server's own network
(redirects), nor stop the agenda with one odd event, nor put anything unescaped or a
dangerous link on a page. The subscriptions are the animators' alone. Real HTTP servers
on 127.0.0.1, real PostgreSQL, the portal's real host and middleware.
"""

from __future__ import annotations

import datetime
import threading
import zoneinfo
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context

from portal.agenda.ical_import import import_subscription
from portal.agenda.subscriptions import AgendaSubscription
from portal.factories import AgendaSubscriptionFactory
from portal.models import EventPage
from tests.conftest import PASSWORD, logged_in
from tests.portal.ical_server import _feed_server, feeds

__all__ = ["_feed_server", "feeds"]

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
LISTING = "/admin/agenda/agendas-suivis/"


def stamp(days: int, hour: int = 18) -> str:
    """An iCal UTC date-time ``days`` from now."""
    moment = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=30).strftime("%Y%m%dT%H%M%SZ")


def calendar(*events: str, extra: str = "") -> bytes:
    """A VCALENDAR written by hand (``icalendar`` would not write the odd ones)."""
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Piege//FR\r\n" + extra
    return (text + "".join(events) + "END:VCALENDAR\r\n").encode()


def vevent(uid: str, summary: str, *lines: str, start: str | None = None) -> str:
    body = [f"UID:{uid}", f"SUMMARY:{summary}", f"DTSTART:{start or stamp(5)}", *lines]
    return "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in body) + "END:VEVENT\r\n"


def subscribe(portal, url: str, **fields) -> AgendaSubscription:
    with schema_context(portal.schema_name):
        return AgendaSubscriptionFactory(name="Agenda inconnu", url=url, **fields)


def run(portal, subscription: AgendaSubscription):
    with schema_context(portal.schema_name):
        return import_subscription(AgendaSubscription.objects.get(pk=subscription.pk))


def imported_titles(portal) -> list[str]:
    with schema_context(portal.schema_name):
        return sorted(EventPage.objects.exclude(source_name="").values_list("title", flat=True))


# --- One odd event must not stop the agenda ------------------------------------------


@pytest.mark.parametrize(
    "odd_line",
    ["UID:nul\x00@piege.example", "URL:https://piege.example/e\x00v"],
    ids=["nul-in-uid", "nul-in-url"],
)
def test_a_nul_character_in_one_event_does_not_stop_the_others(alpha, feeds, odd_line):
    # PostgreSQL refuses NUL in text: written as is, it failed the whole feed at each run.
    odd = vevent("odd@piege.example", "Piège", odd_line)
    if odd_line.startswith("UID:"):
        odd = odd.replace("UID:odd@piege.example\r\n", "")
    body = calendar(odd, vevent("ok@piege.example", "Repair café"))
    subscription = subscribe(alpha, feeds.serve("/nul.ics", body))

    result = run(alpha, subscription)

    assert result.error == ""
    assert "Repair café" in imported_titles(alpha)


def test_events_with_impossible_dates_are_left_aside_and_the_rest_imported(alpha, feeds):
    body = calendar(
        vevent("fin-des-temps@x", "Fin des temps", start="99991231T235900Z"),
        vevent("an-un@x", "An un", "DTEND;VALUE=DATE:00010101", start="00010101"),
        vevent("duree@x", "Durée folle", "DURATION:P99999999W"),
        vevent("pas-une-date@x", "Pas une date", start="demain"),
        vevent("fuseau@x", "Fuseau inconnu", start="X").replace(
            "DTSTART:X", "DTSTART;TZID=Mars/Olympus_Mons:20991231T100000"
        ),
        vevent("ok@x", "Repair café"),
    )
    subscription = subscribe(alpha, feeds.serve("/dates.ics", body))

    result = run(alpha, subscription)

    assert result.error == ""
    assert "Repair café" in imported_titles(alpha)
    assert "Fin des temps" not in imported_titles(alpha)


def test_deeply_nested_components_give_a_french_error_not_a_crash(alpha, feeds):
    nested = "BEGIN:X-A\r\n" * 5000 + "END:X-A\r\n" * 5000
    subscription = subscribe(alpha, feeds.serve("/profond.ics", calendar(nested)))

    result = run(alpha, subscription)

    assert imported_titles(alpha) == []
    with schema_context(alpha.schema_name):
        subscription.refresh_from_db()
    assert subscription.last_run_at is not None
    assert result.error == subscription.last_error


def test_a_giant_field_is_cut_and_the_page_renders(alpha, feeds, client_for):
    giant = "&amp;" * 3000 + "Z" * 20_000
    body = calendar(vevent("geant@x", giant, f"DESCRIPTION:{giant}", f"LOCATION:{giant},{giant}"))
    subscription = subscribe(alpha, feeds.serve("/geant.ics", body), trusted=True)

    result = run(alpha, subscription)

    assert (result.added, result.error) == (1, "")
    with schema_context(alpha.schema_name):
        page = EventPage.objects.get(source_name="Agenda inconnu")
        url = page.url
    assert len(page.title) <= 255 and len(page.place_name) <= 200
    assert client_for(alpha).get(url).status_code == 200


# --- The server's own network ---------------------------------------------------------


class Redirector(BaseHTTPRequestHandler):
    """Answers every address with a redirect to the one in the path's query."""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.path.split("?to=", 1)[1])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def redirector() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.2:5432/",
        "http://[::1]/",
        "http://10.0.0.1/agenda.ics",
        "file:///etc/passwd",
    ],
)
def test_a_feed_redirecting_into_the_servers_network_is_refused(alpha, feeds, redirector, target):
    # The test setting lets 127.0.0.1 (the redirector) through, nothing else.
    subscription = subscribe(alpha, f"{redirector}/feed.ics?to={target}")

    result = run(alpha, subscription)

    assert "Flux injoignable" in result.error
    assert imported_titles(alpha) == []


# --- Links and roles ------------------------------------------------------------------


def test_an_event_link_is_a_web_address_or_the_feeds(alpha, feeds, client_for):
    body = calendar(
        vevent("a@x", "Lien data", "URL:data:text/html;base64,PHNjcmlwdD4="),
        vevent("b@x", "Lien vbscript", "URL:vbscript:msgbox(1)"),
        vevent("c@x", "Lien guillemets", 'URL:https://x.example/" onmouseover="alert(1)'),
        vevent("d@x", "Lien relatif", "URL://pistage.example/a"),
    )
    url = feeds.serve("/liens.ics", body)
    subscription = subscribe(alpha, url, trusted=True)

    run(alpha, subscription)

    with schema_context(alpha.schema_name):
        pages = list(EventPage.objects.filter(source_name="Agenda inconnu"))
        addresses = [page.url for page in pages]
    assert len(pages) == 4
    for page, address in zip(pages, addresses, strict=True):
        # A refused link leaves no link at all (never the feed's own address).
        assert page.source_url == "" or page.source_url.startswith(("https://", "http://"))
        assert url not in client_for(alpha).get(address).content.decode()
        text = client_for(alpha).get(address).content.decode()
        for forbidden in ("data:text", "vbscript:", 'onmouseover="', 'href="//'):
            assert forbidden not in text


def test_a_contributor_reaches_no_subscription_through_any_admin_view(alpha, client_for):
    with schema_context(alpha.schema_name):
        subscription = AgendaSubscriptionFactory(
            name="Agenda privé", url="https://cal.example/private-secret123/basic.ics"
        )
        user = get_user_model().objects.create_user(
            username="contributrice", email="c@example.org", password=PASSWORD
        )
        user.groups.add(Group.objects.get(name="Contributeurs"))
    browser = logged_in(client_for(alpha), user)

    for path in (
        "/admin/snippets/choose/portal/agendasubscription/",
        "/admin/snippets/choose/portal/agendasubscription/results/",
        f"/admin/snippets/choose/portal/agendasubscription/chosen/{subscription.pk}/",
        f"{LISTING}?q=secret",
        f"{LISTING}results/",
        f"{LISTING}history/{subscription.pk}/",
        f"{LISTING}usage/{subscription.pk}/",
        f"{LISTING}inspect/{subscription.pk}/",
        "/admin/reports/site-history/",
    ):
        response = browser.get(path)
        assert "private-secret123" not in response.content.decode(), path


# --- What the agenda shows afterwards -------------------------------------------------


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x1b", "\x1f"])
def test_control_characters_from_a_feed_do_not_break_the_agendas_pages(
    alpha, feeds, client_for, character
):
    # XML 1.0 has no place for them: Django's RSS writer raises on them, a 500 for every
    # visitor of the agenda's feed as long as the event is upcoming.
    body = calendar(
        vevent(
            "controle@x",
            f"Fête{character}du quartier",
            f"LOCATION:Salle{character}des fêtes, rue{character}X",
            f"DESCRIPTION:Venez{character} nombreux",
        )
    )
    subscription = subscribe(alpha, feeds.serve("/controle.ics", body), trusted=True)

    run(alpha, subscription)

    with schema_context(alpha.schema_name):
        page = EventPage.objects.get(source_name="Agenda inconnu")
        page_url, agenda_url = page.url, page.get_parent().url
    pages = (agenda_url + "rss/", page_url, page_url + "ical/", agenda_url, agenda_url + "ical/")
    assert page.live
    visitor = client_for(alpha)
    for address in pages:
        response = visitor.get(address)
        assert response.status_code == 200, address
        assert character not in response.content.decode(), address


@pytest.mark.parametrize(
    "url",
    [
        "https://agenda.example/\x00.ics",
        "https://[::1",
        "webcal://",
        "https://" + "a" * 600 + ".example/feed.ics",
        " \t ",
    ],
    ids=["nul", "bad-ipv6", "webcal-alone", "too-long", "blank"],
)
def test_the_subscription_form_answers_odd_addresses_in_french(alpha, animator_of, client_for, url):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    response = browser.post(
        LISTING + "add/", {"name": "Mairie", "url": url, "trusted": "", "active": "on"}
    )

    assert response.status_code == 200
    assert "error-message" in response.content.decode()
    with schema_context(alpha.schema_name):
        assert not AgendaSubscription.objects.exists()
