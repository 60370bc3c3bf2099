"""A small HTTP server on 127.0.0.1 for tests that need a remote party: each test says
what each address answers to a GET (``serve``), and reads every request that came
(``received``), POSTs included (answered 202 at a known address, 404 elsewhere)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    """One request the server got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def _record(self) -> Received:
        length = int(self.headers.get("Content-Length") or 0)
        received = Received(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        self.server.received.append(received)
        return received

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._record()
        answer = self.server.answers.get(self.path)
        if answer is None:
            self._answer(404, "text/plain", b"not found")
            return
        status, content_type, body, delay = answer
        if delay:
            time.sleep(delay)  # a slow remote party, for the timeouts' tests
        self._answer(status, content_type, body)

    def do_POST(self) -> None:
        received = self._record()
        status = self.server.post_statuses.get(received.path)
        self._answer(status or 404, "text/plain", b"")

    def log_message(self, format: str, *args: object) -> None:
        pass


class LocalServer(ThreadingHTTPServer):
    """The server; ``base`` is its address. A kind of server that answers by its own
    rules (an oEmbed provider reading the query) names its ``handler``."""

    daemon_threads = True
    handler: type[BaseHTTPRequestHandler] = _Handler

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), self.handler)
        self.answers: dict[str, tuple[int, str, bytes, float]] = {}
        self.post_statuses: dict[str, int] = {}
        self.received: list[Received] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def serve(
        self, path: str, body: bytes, content_type: str, status: int = 200, delay: float = 0
    ) -> str:
        """Answer ``body`` to GETs of ``path`` from now on (after ``delay`` seconds);
        returns the full address."""
        self.answers[path] = (status, content_type, body, delay)
        return self.base + path

    def accept_posts(self, path: str, status: int = 202) -> str:
        """Answer ``status`` to POSTs to ``path``; returns the full address."""
        self.post_statuses[path] = status
        return self.base + path

    def reset(self) -> None:
        self.answers.clear()
        self.post_statuses.clear()
        self.received.clear()

    def posts_to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and r.path == path]


@contextmanager
def local_server(kind: type[LocalServer] = LocalServer) -> Iterator[LocalServer]:
    """A running ``LocalServer`` (or ``kind`` of it), shut down at the end of the block."""
    server = kind()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
