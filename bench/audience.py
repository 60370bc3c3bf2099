"""What counting a page view adds to a request: each step of the audience's middleware.

    .venv/bin/python bench/audience.py [--views 20000]

A page served from the page cache costs about 1 ms here (docs/deploy.md); counting it adds
the robot check (remembered per User-Agent), the referrer's kind (no query unless the
referrer is an unknown site and the registry changed) and one increment in the store:
an append to a file without Redis; with ``REDIS_URL``, a count in the worker's memory,
sent with the others in one command every few seconds (the per-view figure includes that
command's share; the last views are sent before the figure is taken). Prints
microseconds per view for each, on this machine's store. Touches no database: the counts
go to a bench schema's spool (or Redis keys), removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from audience import robots  # noqa: E402
from audience.referrers import referrer_kind  # noqa: E402
from audience.tally import _redis, count_view, send_waiting_views, spool_folder  # noqa: E402
from core.caching import CACHE_ALIAS  # noqa: E402

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def per_call(function, times: int) -> float:
    """Microseconds per call of ``function`` over ``times`` calls."""
    start = time.perf_counter()
    for n in range(times):
        function(n)
    return (time.perf_counter() - start) / times * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=20_000)
    views = parser.parse_args().views
    connection.schema_name = "bench_audience"  # what the cache keys and spool are named by
    today = timezone.localdate()
    store = "Redis" if _redis() else "fichiers"
    rows = [
        ("robot ? (agent déjà vu)", per_call(lambda n: robots.is_robot(BROWSER), views)),
        (
            "robot ? (agent jamais vu)",
            per_call(lambda n: robots.is_robot(f"{BROWSER} v{n}"), max(views // 20, 1)),
        ),
        (
            "provenance : directe",
            per_call(lambda n: referrer_kind("belleville.example", "", {}), views),
        ),
        (
            "provenance : moteur",
            per_call(
                lambda n: referrer_kind("belleville.example", "https://www.qwant.com/", {}), views
            ),
        ),
        (f"incrément ({store})", per_call(lambda n: _count_and_send(today, n, views), views)),
    ]
    print(f"{'étape':<28} {'µs par vue':>10}")
    for name, micros in rows:
        print(f"{name:<28} {micros:>10.1f}")
    print(f"{'total (agent vu, moteur)':<28} {rows[0][1] + rows[3][1] + rows[4][1]:>10.1f}")
    if _redis() is None:
        shutil.rmtree(spool_folder(), ignore_errors=True)
    else:
        cache = caches[CACHE_ALIAS]
        client = cache._cache.get_client(write=True)
        client.delete(cache.make_key(f"audience:views:{today}"), cache.make_key("audience:days"))


def _count_and_send(today, n: int, views: int) -> None:
    count_view(today, "direct", n % 50)
    if n == views - 1:
        send_waiting_views()  # the last views' command counted in the figure


if __name__ == "__main__":
    main()
