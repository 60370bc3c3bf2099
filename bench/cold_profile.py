"""Where a cold page's time goes: cProfile over one page, time shared out by layer.

    .venv/bin/python bench/cold_profile.py --host belleville.localhost --path / \\
        [--fragments] [--requests 30]

Runs in its own process with the production settings that ``bench/pages.py`` serves
(``DJANGO_ENV=production``, its database ``bench_pages``, the page cache off, the fragment
cache on only with ``--fragments``), asks for the page ``--requests`` times through the
whole middleware (Django's test client, after a few warm-up requests as a worker has had),
and prints what the requests spent, by layer:

- the database: the driver sending each query and waiting for its rows (psycopg, Django's
  backend);
- the ORM building querysets, compiling them to SQL and turning rows into objects;
- templates (Django's engine, template tags, escaping);
- Wagtail (blocks, rich text, pages, images) and modelcluster;
- Quartiers' own modules;
- the rest of Django (middleware, cache, sessions, translation) and the installed
  middleware packages;
- Python itself (json, pickle, copy...).

Each function's own time goes to the layer its file belongs to; a built-in (``getattr``,
``isinstance``...) has no file, and its time is shared among its callers' layers in the
measure of what each caller spent in it. ``bench/pages.py`` prints this for every cold-page
goal it misses: a miss comes with the profile that explains it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (layer, the path fragments of its files), the first match wins.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base de données (pilote, attente des lignes)", ("/psycopg", "/django/db/backends/")),
    ("ORM (requêtes construites, SQL compilé, objets)", ("/django/db/",)),
    (
        "gabarits (moteur, balises, échappement)",
        ("/django/template/", "/templatetags/", "/django/utils/html.py", "/safestring.py"),
    ),
    ("Wagtail et modelcluster", ("/wagtail/", "/modelcluster/", "/willow/", "/modelsearch/")),
    ("Django, le reste (middleware, cache, sessions, traduction)", ("/django/",)),
    ("paquets du middleware (tenants, axes, whitenoise)", ("/site-packages/",)),
    ("code de Quartiers", (str(ROOT) + "/",)),
]
PYTHON = "Python (json, pickle, copie, autres)"

Function = tuple[str, int, str]


def layer_of(filename: str) -> str | None:
    """The layer a function's file belongs to; None for a built-in (no file)."""
    if filename.startswith("~") or filename.startswith("<"):
        return None
    if "/site-packages/" not in filename and not filename.startswith(str(ROOT)):
        return PYTHON
    for name, fragments in LAYERS:
        if any(fragment in filename for fragment in fragments):
            return name
    return PYTHON


def shares(stats: dict[Function, tuple]) -> dict[str, float]:
    """Seconds of own time per layer; a built-in's own time split among its callers'
    layers in proportion to the time each caller's calls took in it."""
    totals: dict[str, float] = defaultdict(float)
    for function, (_, _, own, _, callers) in stats.items():
        layer = layer_of(function[0])
        if layer is not None:
            totals[layer] += own
            continue
        spent = {caller: timing[2] for caller, timing in callers.items()}
        whole = sum(spent.values())
        if not whole:
            totals[PYTHON] += own
            continue
        for caller, part in spent.items():
            totals[layer_of(caller[0]) or PYTHON] += own * part / whole
    return totals


def profile(host: str, path: str, requests: int) -> tuple[float, dict[str, float], list]:
    """(ms a request without the profiler, seconds per layer, our slowest functions) for
    ``requests`` requests of ``path`` at ``host``."""
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST=host)
    status = client.get(path).status_code
    if status != 200:
        raise SystemExit(f"{host}{path} a répondu {status}")
    for _ in range(3):
        client.get(path)
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    plain_ms = (time.perf_counter() - started) / requests * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    ours = sorted(
        (
            (cumulative, function)
            for function, (_, _, _, cumulative, _) in stats.items()
            if function[0].startswith(str(ROOT) + "/") and "/.venv/" not in function[0]
        ),
        reverse=True,
    )
    return plain_ms, shares(stats), ours


def print_profile(host: str, path: str, fragments: bool, requests: int) -> None:
    """The profile of ``path`` as a Markdown table (share of the time by layer, then the
    project's functions that took the most, inclusive of what they call)."""
    plain_ms, totals, ours = profile(host, path, requests)
    whole = sum(totals.values()) or 1.0
    cache = "fragments on" if fragments else "every cache off"
    print(
        f"\n#### {host}{path}, page cache off, {cache}: "
        f"{plain_ms:.1f} ms a request (unprofiled, {requests} requests, "
        f"load average {os.getloadavg()[0]:.2f})"
    )
    print("\n| layer | share | ms a request (profiled) |")
    print("| --- | ---: | ---: |")
    for layer, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"| {layer} | {seconds / whole:.0%} | {seconds / requests * 1000:.1f} |")
    print("\n| our function (what it calls included) | ms a request (profiled) |")
    print("| --- | ---: |")
    shown = 0
    for cumulative, (filename, line, name) in ours:
        if name in ("__call__", "<lambda>", "inner") or "middleware" in filename:
            continue  # the middleware chain wraps everything: it says nothing
        relative = Path(filename).relative_to(ROOT)
        print(f"| `{relative}:{line}` {name} | {cumulative / requests * 1000:.1f} |")
        shown += 1
        if shown == 8:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True, help="l'hôte du portail (belleville.localhost)")
    parser.add_argument("--path", default="/", help="la page profilée (/)")
    parser.add_argument("--fragments", action="store_true", help="cache de fragments actif")
    parser.add_argument("--requests", type=int, default=30, help="requêtes profilées (30)")
    args = parser.parse_args()
    os.environ.setdefault("QUARTIERS_DATABASE", "bench_pages")
    os.environ.setdefault("DJANGO_ENV", "production")
    os.environ.setdefault("QUARTIERS_LOCAL_HTTP", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
    os.environ["PAGE_CACHE"] = "0"
    os.environ["FRAGMENT_CACHE"] = "1" if args.fragments else "0"
    if not os.environ.get("SECRET_KEY"):
        raise SystemExit("SECRET_KEY manque (les réglages de production l'exigent)")
    sys.path.insert(0, str(ROOT))
    print_profile(args.host, args.path, args.fragments, args.requests)


if __name__ == "__main__":
    main()
