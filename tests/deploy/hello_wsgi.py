"""A WSGI application with nothing in it, for tests of gunicorn's configuration alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
    """Answer every request with a short text."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
