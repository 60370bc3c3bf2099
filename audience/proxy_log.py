"""Counting the page views nginx served from its own cache, from the log it writes of them.

Those views never reach the application (deploy/nginx/quartiers.conf): nginx logs each as
one JSON line holding the day, the host, the page's id, the referring host, the
infolettre's utm tags and the browser's name, nothing else. ``count_log`` files each line
under its portal (by host, from the registry) and kind of referrer, leaves robots and
anything that is no page view out, exactly as the application's own counting does, and
adds the counts to each portal's table in one transaction. The command then deletes the
log: counting a file twice would count its views twice.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from audience.daily import add_views
from audience.middleware import objects
from audience.referrers import referrer_kind
from audience.robots import is_robot
from audience.tally import Counts
from tenants.models import Domain


@dataclass
class LogCount:
    """What a log held: views by portal schema, and the lines left out."""

    views: dict[str, int] = field(default_factory=dict)
    left_out: int = 0


def _portal_of_hosts() -> dict[str, str]:
    with schema_context(get_public_schema_name()):
        return dict(Domain.objects.values_list("domain", "tenant__schema_name"))


def _view(line: str, portals: dict[str, str]) -> tuple[str, tuple] | None:
    """The portal's schema and the (day, kind, page id) of one log line, or None when the
    line is no page view of a portal (a robot, an error, a host nobody has...)."""
    try:
        entry = json.loads(line)
        day = datetime.date.fromisoformat(entry["day"])
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(entry, dict) or entry.get("method") != "GET":
        return None
    page, schema = str(entry.get("page", "")), portals.get(str(entry.get("host", "")).lower())
    if entry.get("status") != "200" or not page.isdigit() or schema is None:
        return None
    if entry.get("purpose") or is_robot(str(entry.get("agent", ""))):
        return None
    if objects(str(entry.get("gpc", "")), str(entry.get("dnt", ""))):
        return None
    referer_host = str(entry.get("referer_host", ""))
    query = {name: str(entry.get(name, "")) for name in ("utm_source", "utm_medium")}
    kind = referrer_kind(entry["host"], f"//{referer_host}" if referer_host else "", query)
    return schema, (day, str(kind), int(page))


def count_log(lines: Iterable[str]) -> LogCount:
    """Add the page views of nginx's log ``lines`` to their portals' tables."""
    portals = _portal_of_hosts()
    by_portal: dict[str, Counts] = defaultdict(Counter)
    outcome = LogCount()
    for line in lines:
        view = _view(line, portals) if line.strip() else None
        if view is None:
            outcome.left_out += bool(line.strip())
            continue
        by_portal[view[0]][view[1]] += 1
    with transaction.atomic():
        for schema, counts in by_portal.items():
            with schema_context(schema):
                add_views(counts)
            outcome.views[schema] = counts.total()
    return outcome


def count_log_file(path: Path, keep: bool = False) -> LogCount:
    """Count the log at ``path``, then delete it (unless ``keep``)."""
    with open(path, encoding="utf-8", errors="replace") as log:
        outcome = count_log(log)
    if not keep:
        path.unlink()
    return outcome
