"""The health of remote servers, shared by every portal's deliveries (public schema).

A server that keeps failing is paused for the whole network at once: without it, each of
a thousand portals would retry its own deliveries to a dead server on its own schedule.
Every delivery asks ``paused_until`` first and waits (is deferred, never dropped) while
the server is paused; then it reports how it went (``record_failure``/``record_success``).
Only the server's own failures count (no answer, too slow, a 5xx or a 429): a 4xx is the
server refusing one activity, which says nothing of its health.

Read and written in ``public`` knowingly (``schema_context``), whatever portal's schema the
delivery runs in.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from fediverse.servers.models import RemoteServer


def server_of(url: str) -> str:
    """The server an inbox is on: its host name, with its port when it has one."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def pause_length(pauses_before: int) -> datetime.timedelta:
    """How long the next pause of a server lasts, after ``pauses_before`` pauses in a row:
    the first pause, doubled each time, up to the longest."""
    seconds = settings.FEDIVERSE_FIRST_PAUSE_SECONDS * 2 ** min(pauses_before, 20)
    return datetime.timedelta(seconds=min(seconds, settings.FEDIVERSE_LONGEST_PAUSE_SECONDS))


def paused_until(host: str) -> datetime.datetime | None:
    """When deliveries to ``host`` may go again; None when they may go now."""
    with schema_context(get_public_schema_name()):
        server = RemoteServer.objects.paused().filter(host=host).first()
    return server.paused_until if server else None


def record_failure(host: str, error: str) -> datetime.datetime | None:
    """Count one more failure of ``host`` in a row, and pause it when that makes enough;
    return the end of its pause when it is paused. Rows are locked: two workers failing at
    once count two failures.

    Only a failure outside a pause starts a longer one: the deliveries that were already
    under way when the server was paused (a publication of fifty portals) fail too, and
    must not stretch a ten-minute pause to a day."""
    now = timezone.now()
    with schema_context(get_public_schema_name()), transaction.atomic():
        server, _created = RemoteServer.objects.select_for_update().get_or_create(host=host)
        server.consecutive_failures += 1
        server.last_error = error[:500]
        server.last_failure_at = now
        threshold = settings.FEDIVERSE_FAILURES_BEFORE_PAUSE
        if server.consecutive_failures >= threshold and not server.is_paused(now):
            server.paused_until = now + pause_length(server.pauses)
            server.pauses += 1
        server.save()
    return server.paused_until if server.is_paused(now) else None


def record_success(host: str) -> None:
    """``host`` took a delivery: its failures are forgotten and its pause ends. Writes only
    when there was something to forget (a healthy server costs no write per delivery)."""
    with schema_context(get_public_schema_name()):
        RemoteServer.objects.filter(host=host).exclude(
            consecutive_failures=0, paused_until=None
        ).update(consecutive_failures=0, paused_until=None, pauses=0)


def paused_servers() -> list[RemoteServer]:
    """The servers paused now, soonest back first (for the network's admin)."""
    with schema_context(get_public_schema_name()):
        return list(RemoteServer.objects.paused().order_by("paused_until"))
