"""``/healthz`` on every host: is this server fit to serve?

Answered by the first middleware, before the portal is looked up by host, so that a
load balancer's or an operator's probe (``curl http://127.0.0.1:8000/healthz``, whatever
the ``Host``) gets an answer, never the unknown host's 404 nor an HTTPS redirect. Three
checks, each cheap:

- the database: ``SELECT 1`` and the number of portals, in ``public``;
- the cache: a key written then read back in the ``default`` cache (Redis in production);
- the task queue: how long the oldest task that could run has waited
  (``core.task_queue.queue_delay``); past ``HEALTHZ_MAX_QUEUE_DELAY_MINUTES`` no worker
  is keeping up (or none runs), and e-mails wait.

200 with ``{"status": "ok", ...}``, or 503 with ``"status": "error"`` and, for each
check, ``"ok"`` or what failed. Never cached (``Cache-Control: no-store``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from core.task_queue import queue_delay
from tenants.models import Neighbourhood

logger = logging.getLogger(__name__)

HEALTHZ_PATH = "/healthz"


def _database(report: dict) -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["tenants"] = Neighbourhood.objects.count()
    except DatabaseError:
        report["database"] = "injoignable"
        return False
    report["database"] = "ok"
    return True


def _cache(report: dict) -> bool:
    key, value = "healthz-probe", uuid.uuid4().hex
    try:
        store = caches["default"]
        store.set(key, value, 30)
        answered = store.get(key)
    except Exception:  # any backend's own errors (Redis refused, file system full)
        logger.warning("Health check: cache failed", exc_info=True)
        answered = None
    report["cache"] = "ok" if answered == value else "injoignable"
    return answered == value


def _task_queue(report: dict, database_ok: bool) -> bool:
    if not database_ok:
        report["tasks"] = "inconnu"
        return False
    try:
        delay = queue_delay()
    except DatabaseError:
        report["tasks"] = "injoignable"
        return False
    limit = settings.HEALTHZ_MAX_QUEUE_DELAY_MINUTES * 60
    report["tasks_delay_seconds"] = int(delay.total_seconds())
    if delay.total_seconds() > limit:
        report["tasks"] = "en retard"
        return False
    report["tasks"] = "ok"
    return True


def health_report() -> tuple[bool, dict]:
    """Every check run (one failing does not hide another), and whether all passed."""
    connection.set_schema_to_public()  # the thread's last request may have left a portal's
    report: dict = {}
    database_ok = _database(report)
    cache_ok = _cache(report)
    tasks_ok = _task_queue(report, database_ok)
    healthy = database_ok and cache_ok and tasks_ok
    return healthy, {"status": "ok" if healthy else "error", **report}


class HealthCheckMiddleware:
    """Answers ``/healthz`` itself, on any host; passes every other request on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != HEALTHZ_PATH:
            return self.get_response(request)
        healthy, report = health_report()
        response = JsonResponse(report, status=200 if healthy else 503)
        add_never_cache_headers(response)
        return response
