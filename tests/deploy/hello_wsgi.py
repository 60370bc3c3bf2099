"""A WSGI application with nothing in it, for tests of gunicorn's configuration alone."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable


def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
    """Answer every request with a short text; ``/frozen``: how many objects of the
    worker's heap the garbage collector leaves alone (``gc.get_freeze_count``)."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    if environ.get("PATH_INFO") == "/frozen":
        return [str(gc.get_freeze_count()).encode()]
    return [b"ok"]
