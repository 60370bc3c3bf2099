"""Provisioning a portal: by cloning the template schema versus by running migrations.

    .venv/bin/python bench/provisioning.py [--portals 5] [--clone-only]

Prints a table of the time each method takes per portal (median, min, max) and their
ratio, on the database the project uses (the embedded PostgreSQL unless DATABASE_URL is
set). The bench portals are dropped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

import django

django.setup()

from django.test import override_settings  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from tenants.default_portal import build_default_portal  # noqa: E402
from tenants.factories import PortalSpecFactory  # noqa: E402
from tenants.models import Neighbourhood  # noqa: E402
from tenants.provisioning import provision_neighbourhood  # noqa: E402
from tenants.template_schema import ensure_template_schema  # noqa: E402


def by_clone(slug: str) -> float:
    """The whole service: clone, registry, domain, site, locales, animator."""
    started = time.perf_counter()
    provision_neighbourhood(PortalSpecFactory(slug=slug, invite=False))
    return time.perf_counter() - started


def by_migrations(slug: str) -> float:
    """What a portal would cost without the template: migrate a new schema, build its tree."""
    started = time.perf_counter()
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        portal = Neighbourhood(schema_name=slug, name=slug, city="Bench")
        portal.save(verbosity=0)
    with schema_context(slug):
        build_default_portal()
    return time.perf_counter() - started


def measure(method: Callable[[str], float], prefix: str, count: int) -> list[float]:
    timings = []
    for number in range(1, count + 1):
        seconds = method(f"{prefix}{number}")
        print(f"  {prefix}{number}: {seconds:.2f} s", file=sys.stderr)
        timings.append(seconds)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=5, help="portails par méthode (5)")
    parser.add_argument(
        "--clone-only", action="store_true", help="sans la méthode par migrations (lente)"
    )
    options = parser.parse_args()
    count = options.portals

    ensure_template_schema(verbosity=0)
    existing = Neighbourhood.objects.count()
    print(f"Provisioning {count} portals each way ({existing} portals already)…", file=sys.stderr)
    try:
        clone = measure(by_clone, "benchclone", count)
        migrations = [] if options.clone_only else measure(by_migrations, "benchmigrate", count)
    finally:
        for portal in Neighbourhood.objects.filter(schema_name__startswith="bench"):
            portal.delete(force_drop=True)

    rows = [("clone of the template", clone), ("migrations + default tree", migrations)]
    rows = [(label, timings) for label, timings in rows if timings]
    print("\n| method | portals | median (s) | min (s) | max (s) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, timings in rows:
        print(
            f"| {label} | {len(timings)} | {statistics.median(timings):.2f} "
            f"| {min(timings):.2f} | {max(timings):.2f} |"
        )
    if not migrations:
        return
    ratio = statistics.median(migrations) / statistics.median(clone)
    print(f"\nClone is {ratio:.1f} times faster than migrations (medians, same run).")


if __name__ == "__main__":
    main()
