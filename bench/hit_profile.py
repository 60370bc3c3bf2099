"""Where a page-cache hit's time goes: the WSGI application called as gunicorn calls it.

    .venv/bin/python bench/hit_profile.py [--host belleville.localhost] [--path /] \\
        [--requests 5000] [--top 30]

Runs in its own process with the production settings ``bench/pages.py`` serves
(``DJANGO_ENV=production``, its database ``bench_pages``, the page cache in a temporary
folder, or in Redis when ``REDIS_URL`` is set), fills the cache with one request, then
calls the WSGI application ``--requests`` times with the environment a ``wrk`` request
makes (a ``Host`` header and nothing else: no cookie), reading the body as a server would.
Prints the time of a hit without the profiler, the database queries a hit made (none
expected) and cProfile's top functions by their own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environ(host: str, path: str) -> dict[str, object]:
    """The WSGI environment gunicorn builds for ``GET path`` with only a ``Host`` header."""
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "HTTP_HOST": host,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="belleville.localhost")
    parser.add_argument("--path", default="/")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="the checkout whose code runs (this one's)"
    )
    parser.add_argument("--no-profile", action="store_true", help="the time of a hit only")
    args = parser.parse_args()

    os.environ.update(
        {
            "QUARTIERS_DATABASE": "bench_pages",
            "DJANGO_ENV": "production",
            "QUARTIERS_LOCAL_HTTP": "1",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
            "PAGE_CACHE": "1",
            "PAGE_CACHE_DIR": os.environ.get("PAGE_CACHE_DIR") or tempfile.mkdtemp(),
            "DJANGO_SETTINGS_MODULE": "core.settings",
        }
    )
    sys.path.insert(0, str(args.code.resolve()))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.wsgi import application

    statuses: list[str] = []

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        statuses.append(status)
        hit = dict(headers).get("X-Cache")
        statuses.append(hit or "")

    def one() -> None:
        result = application(environ(args.host, args.path), start_response)
        for _chunk in result:
            pass
        if hasattr(result, "close"):
            result.close()

    for _ in range(3):
        one()
    assert statuses[-2].startswith("200") and statuses[-1] == "HIT", statuses[-2:]
    with CaptureQueriesContext(connection) as queries:
        one()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        one()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{args.host}{args.path}: {elapsed / args.requests * 1e6:.0f} µs a hit, "
        f"{cpu / args.requests * 1e6:.0f} µs of CPU ({args.requests} hits), "
        f"{len(queries)} queries a hit, "
        f"cache: {'Redis' if os.environ.get('REDIS_URL') else 'files'}"
    )
    if args.no_profile:
        return
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        one()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
