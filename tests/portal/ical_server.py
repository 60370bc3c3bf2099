"""An iCal server on 127.0.0.1 for the agenda's import tests: each test says what each
address answers (``feeds.serve(path, body)``), and reads what was asked."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from icalendar import Calendar, Event

from tests.local_server import LocalServer, local_server

CALENDAR = "text/calendar; charset=utf-8"


class FeedServer(LocalServer):
    """``tests.local_server.LocalServer`` answering calendars."""

    def serve(  # type: ignore[override]
        self, path: str, body: bytes, status: int = 200, delay: float = 0
    ) -> str:
        """Answer the calendar ``body`` at ``path`` from now on; returns the full address."""
        return super().serve(path, body, CALENDAR, status, delay)

    @property
    def asked(self) -> list[str]:
        """The addresses asked for, in order."""
        return [received.path for received in self.received if received.method == "GET"]


@pytest.fixture(scope="module")
def _feed_server() -> Iterator[FeedServer]:
    with local_server(FeedServer) as server:
        yield server


@pytest.fixture
def feeds(_feed_server, settings) -> FeedServer:
    """The server, reachable: the tests' setting lets 127.0.0.1 through the SSRF guard."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    _feed_server.reset()
    return _feed_server


def ics(*events: dict) -> bytes:
    """A calendar holding ``events``, each a dict of iCal properties (lower case)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tests Quartiers//FR")
    calendar.add("version", "2.0")
    for properties in events:
        event = Event()
        event.add("dtstamp", datetime.datetime.now(tz=datetime.UTC))
        for name, value in properties.items():
            event.add(name, value)
        calendar.add_component(event)
    return calendar.to_ical()
