"""An iCal server on 127.0.0.1 for the agenda's import tests: each test says what each
address answers (``feeds.serve(path, body)``), and reads what was asked."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from icalendar import Calendar, Event


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:
        self.server.asked.append(self.path)
        answer = self.server.answers.get(self.path)
        if answer is None:
            self.send_error(404)
            return
        status, body, delay = answer
        if delay:
            time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    answers: dict[str, tuple[int, bytes, float]]
    asked: list[str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def serve(self, path: str, body: bytes, status: int = 200, delay: float = 0) -> str:
        """Answer ``body`` at ``path`` from now on; returns the full address."""
        self.answers[path] = (status, body, delay)
        return self.base + path


@pytest.fixture(scope="module")
def _feed_server() -> Iterator[FeedServer]:
    server = FeedServer(("127.0.0.1", 0), FeedHandler)
    server.answers, server.asked = {}, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def feeds(_feed_server, settings) -> FeedServer:
    """The server, reachable: the tests' setting lets 127.0.0.1 through the SSRF guard."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    _feed_server.answers.clear()
    _feed_server.asked.clear()
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
