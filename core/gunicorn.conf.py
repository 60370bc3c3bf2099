"""Gunicorn's configuration for Quartiers: ``gunicorn -c core/gunicorn.conf.py core.wsgi``.

Every value can be overridden by the environment (``GUNICORN_WORKERS=4``...) or on the
command line. Sync workers on purpose: django-tenants sets the schema on the synchronous
connection (DESIGN.md, "WSGI, not ASGI"), and a page is CPU-bound once its queries are few.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gunicorn.arbiter import Arbiter


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# The loopback only: nginx on the same machine is the way in (docs/deploy.md), and a worker
# reached directly would skip its TLS and cache and believe any X-Forwarded-Proto. Another
# application server behind a shared nginx sets GUNICORN_BIND to its private address;
# `make run` (development) binds 0.0.0.0 on its command line.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# (2 x cores) + 1 is gunicorn's own advice for sync workers; each keeps one persistent
# database connection (CONN_MAX_AGE), so PostgreSQL's max_connections must exceed
# workers x app servers (or sit behind PgBouncer in session mode, docs/deploy.md).
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A page that takes more than this is a bug or an attack: the worker is recycled.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind nginx, which keeps client connections itself.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (jittered so they do not all restart together): bounds the
# memory any slow leak could take.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Load the application once in the master: workers share its memory pages (copy on write)
# and start faster. Database connections are opened per worker, after the fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The proxies whose X-Forwarded-Proto gunicorn believes: the same as the application's
# TRUSTED_PROXIES (core/settings.py) unless told otherwise.
forwarded_allow_ips = os.environ.get(
    "FORWARDED_ALLOW_IPS", os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")
)


# gunicorn's control socket (``gunicornc``) is one path per user by default
# ($XDG_RUNTIME_DIR/gunicorn.ctl): a second instance on the host (another port, a staging
# copy) would take it over, and the first one stopping would delete the second's.
RUN_FOLDER = Path(__file__).resolve().parent.parent / "var" / "run"


def on_starting(server: Arbiter) -> None:
    """Give this instance a control socket of its own: ``GUNICORN_CONTROL_SOCKET``, else
    ``--control-socket``, else ``var/run/gunicorn-<address>.ctl`` after where it listens
    (the command line's ``--bind`` included)."""
    setting = server.cfg.settings["control_socket"]
    if os.environ.get("GUNICORN_CONTROL_SOCKET"):
        server.cfg.set("control_socket", os.environ["GUNICORN_CONTROL_SOCKET"])
    elif setting.value == setting.default:
        address = re.sub(r"[^A-Za-z0-9.]+", "-", "_".join(server.cfg.bind)).strip("-")
        server.cfg.set("control_socket", str(RUN_FOLDER / f"gunicorn-{address}.ctl"))


def when_ready(server: Arbiter) -> None:
    """With the application preloaded, move what the master loaded out of the garbage
    collector's reach before the workers are forked (``gc.freeze``, as Python's manual
    advises for a pre-forking server). A worker's full collections then walk only what
    it made itself, not the hundreds of thousands of objects of Django, Wagtail and the
    project: every cache off, a full collection had paused a page for up to 200 ms and
    cost about 2 ms a page on average (issue 25 §2). The collector no longer writes to
    the shared memory pages either (reference counts still do)."""
    if server.cfg.preload_app:
        gc.collect()
        gc.freeze()
