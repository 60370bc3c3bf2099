"""The federation's hub at 10, 100 and 1,000 portals sharing ten pages each.

    .venv/bin/python bench/federation.py [--levels 10,100,1000] [--requests 20]

The hub reads only the federation index (``tenants_sharedentry``), so its cost should not
grow with the number of portals. The bench opens a federation portal, fills the registry
and the index (registry rows only: the hub reads no portal schema), then requests the
hub's listing and a French full-text search through Django's test client (real
middleware, real Wagtail), and prints the median time and the query count per level.
Everything it creates is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.shared_sheets import share_sheets  # noqa: E402
from tenants.factories import PortalSpecFactory  # noqa: E402
from tenants.models import Neighbourhood, SharedEntry  # noqa: E402
from tenants.provisioning import provision_neighbourhood  # noqa: E402
from tenants.template_schema import ensure_template_schema  # noqa: E402

PREFIX = "benchhub"
PAGES_PER_PORTAL = 10


def fill_registry_to(count: int) -> None:
    """Registry rows and index entries until ``count`` bench portals share their pages."""
    existing = Neighbourhood.objects.filter(schema_name__startswith=PREFIX).count()
    portals = Neighbourhood.objects.bulk_create(
        Neighbourhood(schema_name=f"{PREFIX}{n}", name=f"Quartier {n}", city="Bench")
        for n in range(existing, count)
    )
    share_sheets(portals, PAGES_PER_PORTAL)


def measure(client: Client, path: str, requests: int) -> tuple[float, int]:
    client.get(path)  # warm the caches a visitor's first request would fill
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return statistics.median(timings), len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="10,100,1000")
    parser.add_argument("--requests", type=int, default=20)
    options = parser.parse_args()
    levels = [int(level) for level in options.levels.split(",")]
    # What the hub costs to build, not what the page cache spares (0 queries on a hit).
    settings.PAGE_CACHE_ENABLED = settings.FRAGMENT_CACHE_ENABLED = False

    ensure_template_schema(verbosity=0)
    hub_portal = provision_neighbourhood(
        PortalSpecFactory(slug="benchfederation", kind="federation", invite=False)
    ).neighbourhood
    client = Client(HTTP_HOST="benchfederation.localhost")
    rows = []
    try:
        for level in levels:
            print(f"{level} portails…", file=sys.stderr)
            fill_registry_to(level)
            entries = SharedEntry.objects.filter(tenant__schema_name__startswith=PREFIX).count()
            listing_ms, listing_queries = measure(client, "/ressources/", options.requests)
            search_ms, search_queries = measure(
                client, "/ressources/?q=cartographier", options.requests
            )
            rows.append((level, entries, listing_ms, listing_queries, search_ms, search_queries))
    finally:
        connection.set_schema_to_public()
        Neighbourhood.objects.filter(schema_name__startswith=PREFIX).delete()
        hub_portal.delete(force_drop=True)

    print(
        "\n| portals | shared pages | listing median (ms) | listing queries "
        "| search median (ms) | search queries |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for level, entries, listing_ms, listing_q, search_ms, search_q in rows:
        print(
            f"| {level} | {entries} | {listing_ms:.1f} | {listing_q} "
            f"| {search_ms:.1f} | {search_q} |"
        )


if __name__ == "__main__":
    main()
