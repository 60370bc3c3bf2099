"""Importing an outside iCal feed into a portal's agenda: first run, second run, changes.

    .venv/bin/python bench/agenda_import.py [--events 100]

Opens a bench portal, serves a feed of ``--events`` upcoming events from 127.0.0.1 (let
through the SSRF guard for the bench only), then imports it with the real code three
times: the first run creates a page per event (published: a trusted source), the second
finds nothing changed, the third finds a tenth of them changed. Prints seconds and
queries per run. Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from portal.agenda.ical_import import import_subscription  # noqa: E402
from portal.agenda.subscriptions import AgendaSubscription  # noqa: E402
from tenants.factories import PortalSpecFactory  # noqa: E402
from tenants.provisioning import provision_neighbourhood  # noqa: E402
from tenants.template_schema import ensure_template_schema  # noqa: E402
from tests.portal.ical_server import FeedHandler, FeedServer, ics  # noqa: E402


def feed(count: int, changed: int = 0) -> bytes:
    """``count`` events a day apart from tomorrow; the first ``changed`` retitled."""
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    return ics(
        *(
            {
                "uid": f"bench-{n}@agenda.example",
                "summary": f"Événement {n}" + (" (déplacé)" if n < changed else ""),
                "dtstart": start + datetime.timedelta(days=n),
                "dtend": start + datetime.timedelta(days=n, hours=2),
                "location": "Maison des associations, 12 rue des Lilas, Paris",
                "description": "Un paragraphe.\n\nUn autre, plus long, pour le corps de la page.",
            }
            for n in range(count)
        )
    )


def counting(queries: list[str]):
    """A database wrapper that notes each query (Django's own log keeps 9,000 at most)."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100)
    args = parser.parse_args()

    server = FeedServer(("127.0.0.1", 0), FeedHandler)
    server.answers, server.asked = {}, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    url = server.serve("/bench.ics", feed(args.events))

    ensure_template_schema(verbosity=0)
    portal = provision_neighbourhood(
        PortalSpecFactory(slug="benchagenda", name="Bench Agenda", invite=False)
    ).neighbourhood
    rows = []
    try:
        with tenant_context(portal):
            subscription = AgendaSubscription.objects.create(name="Bench", url=url, trusted=True)
            for label, body in (
                ("premier import", None),
                ("second import (rien de changé)", None),
                (f"{args.events // 10} changés", feed(args.events, args.events // 10)),
            ):
                if body is not None:
                    server.serve("/bench.ics", body)
                queries = []
                with connection.execute_wrapper(counting(queries)):
                    started = time.perf_counter()
                    result = import_subscription(subscription)
                    seconds = time.perf_counter() - started
                assert not result.error, result.error
                rows.append((label, result, seconds, len(queries)))
    finally:
        server.shutdown()
        portal.delete(force_drop=True)

    print(f"Import d'un flux de {args.events} événements (source de confiance) :")
    print()
    print("| passage | ajoutés | modifiés | retirés | secondes | requêtes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, result, seconds, queries in rows:
        print(
            f"| {label} | {result.added} | {result.changed} | {result.removed} | "
            f"{seconds:.2f} | {queries} |"
        )


if __name__ == "__main__":
    main()
