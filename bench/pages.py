"""Page throughput on this machine: our portals against the framework and a bare Wagtail.

    .venv/bin/python bench/pages.py [--duration 10] [--portal belleville]

Everything is measured in one run, the same way (gunicorn, 2 sync workers,
``wrk -t2 -c16 -d10s`` on 127.0.0.1), so that the ratios hold even when the machine drifts.
Our servers run what production runs: ``DJANGO_ENV=production`` (over plain http on the
loopback, ``QUARTIERS_LOCAL_HTTP=1``), static files collected, the page cache in files
(``var/cache``) and, when ``REDIS_URL`` is set, in Redis as well (the multi-server setup):

- the framework floor: a Django view returning a fixed string (startproject's middleware,
  no database), a throwaway project written to a temporary folder;
- a bare ``wagtail start`` project's welcome page on the same PostgreSQL, default settings
  (a new connection per request), also in a temporary folder, never committed;
- a demo portal's home page (``seed_demo``, in its own database ``bench_pages``) with every
  cache off (each block read from the database), with the page cache off (the deployed
  fragment cache and portal state on), then from the page cache (files, then Redis); an
  article with every cache off and with the page cache off;
- nginx with the committed configuration (``deploy/nginx/``, its proxy cache) in front of
  it, and the same nginx serving that HTML as a static file (the machine's limit).

With ``--before DIR`` (a checkout of another commit, e.g. ``git worktree add DIR main``),
the cold rows (home page and article, every cache off and page cache off; the home page
with the page cache off in Redis too) and the page cache's rows (files, Redis: in the same
turns as the floor) are measured for that checkout's code too, in the same run, on the
same database, media and static files: a change's before and after, compared within one
run. ``--cached-only`` measures the floor
and the page cache's rows only (no bare Wagtail, cold pages nor nginx): a quick look at
issue 25 §1.

The floor and the cached home page (files, Redis) are measured in turns, ``--rounds``
times (3), their servers all started: each row is the median of its rounds, so that a
machine shared with other work (the load average is printed) loads them alike rather
than whichever ran while a neighbour was busy.

It also counts the queries of one page of every public type (second visit), with the page
cache off and with every cache off, and prints the table of issue 25 (each row divided by
the floor of the same run) and one table of the goals. The results are kept in
``var/bench/pages.json`` for ``bench/summary.py``. For each cold-page goal missed, it then
prints the profile of the home page and of the article in that mode
(``bench/cold_profile.py``): where their time goes, by layer.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The bench's own database on the embedded server: `make run`'s data is never touched.
os.environ["QUARTIERS_DATABASE"] = "bench_pages"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
os.environ["PAGE_CACHE"] = "0"  # this process counts queries: no cache in between
from bench import servers
from bench.results import Goal, print_goals, save_goals
from tests.nginx_front import nginx_in_front_of

# Redis only for the servers that are told to use it; this process counts with files.
REDIS_URL = os.environ.pop("REDIS_URL", "")

ROOT = servers.ROOT
PYTHON = sys.executable
# Our servers: the production settings, over plain http on the loopback (never set on a
# real server), with the static files collected into STATIC_ROOT.
OURS_ENV = {
    "QUARTIERS_DATABASE": "bench_pages",
    "DJANGO_ENV": "production",
    "QUARTIERS_LOCAL_HTTP": "1",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
    "GUNICORN_PRELOAD": "1",
}


def collect_static() -> None:
    """``collectstatic`` with the production settings (hashed names, compressed files)."""
    print("manage.py collectstatic (production settings)…", file=sys.stderr)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **OURS_ENV},
        check=True,
    )


def seed() -> None:
    """The demo network in the bench's database (idempotent; the first time takes minutes)."""
    env = {**os.environ, "QUARTIERS_DATABASE": "bench_pages"}
    for command in (["migrate_network"], ["seed_demo"]):
        print(f"manage.py {' '.join(command)} (bench_pages)…", file=sys.stderr)
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


# --- Query counts ------------------------------------------------------------------------


def page_type_paths(portal: str) -> list[tuple[str, str, str]]:
    """(label, host, path) of one live page of every public type, in the demo portals."""
    import django

    django.setup()
    from django_tenants.utils import schema_context
    from wagtail.models import Page

    from classifieds.models import Classified, ClassifiedsPage
    from tenants.models import Neighbourhood

    wanted = [
        ("home page", "home.HomePage"),
        ("news index", "portal.ArticleIndexPage"),
        ("article", "portal.ArticlePage"),
        ("agenda", "portal.EventIndexPage"),
        ("event", "portal.EventPage"),
        ("classifieds list", "classifieds.ClassifiedsPage"),
        ("blogs index", "portal.BlogIndexPage"),
        ("resident's blog", "portal.BlogPage"),
        ("blog post", "portal.BlogPostPage"),
        ("journal issue", "portal.JournalIssuePage"),
        ("methodology index", "portal.MethodologyIndexPage"),
        ("methodology sheet", "portal.MethodologyPage"),
        ("radio & TV", "radio.RadioPage"),
        ("station", "radio.StationPage"),
        ("show", "radio.ShowPage"),
        ("episode", "radio.EpisodePage"),
    ]
    rows: list[tuple[str, str, str]] = []
    neighbourhood = Neighbourhood.objects.get(schema_name=portal)
    federation = Neighbourhood.objects.get(kind="federation")
    for tenant, types in [
        (neighbourhood, wanted),
        (federation, [("federation hub", "portal.FederationHubPage")]),
    ]:
        host = tenant.get_primary_domain().domain
        with schema_context(tenant.schema_name):
            for label, model_label in types:
                app_label, model = model_label.split(".")
                page = (
                    Page.objects.live()
                    .filter(content_type__app_label=app_label, content_type__model=model.lower())
                    .order_by("path")
                    .first()
                )
                if page is not None:
                    rows.append((label, host, page.specific.get_url_parts()[2] or "/"))
            if tenant == neighbourhood:
                section = ClassifiedsPage.objects.live().first()
                ad = Classified.objects.published().first()
                if section and ad:
                    base = section.get_url_parts()[2]
                    detail = base + section.reverse_subpage("detail", args=[ad.pk])
                    rows.append(("classified", host, detail))
    return rows


def count_queries(
    rows: list[tuple[str, str, str]], fragments: bool = True
) -> list[tuple[str, str, int, int]]:
    """(label, path, status, queries) on a second visit, through the real middleware, with
    the fragment cache and portal state on (as deployed) or off."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    counted = []
    with override_settings(FRAGMENT_CACHE_ENABLED=fragments):
        for label, host, path in rows:
            path = re.sub(r"^https?://[^/]+", "", path)
            client = Client(HTTP_HOST=host)
            client.get(path)  # warm the per-process caches a server worker keeps
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            counted.append((label, path, response.status_code, len(captured)))
            connection.set_schema_to_public()
    return counted


# --- Throwaway reference projects ---------------------------------------------------------

FLOOR_APP = '''
"""The framework floor: a Django view returning a fixed string, no database."""
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth",
                    "django.contrib.sessions", "django.contrib.messages"],
    MIDDLEWARE=[  # django-admin startproject's list
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
)


def hello(request):
    return HttpResponse("Bonjour le quartier")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
'''


def make_floor_project(folder: Path) -> None:
    (folder / "floorapp.py").write_text(FLOOR_APP)


def embedded_server_address() -> tuple[str, str]:
    """(socket folder, port) of the embedded PostgreSQL the project uses."""
    from core.database import start_embedded_server

    info = start_embedded_server(ROOT / "var" / "pgdata").get_postmaster_info()
    return str(info.socket_dir), str(info.port or 5432)


def make_bare_wagtail(folder: Path) -> dict[str, str]:
    """``wagtail start`` in ``folder``, on a fresh database of the same PostgreSQL with
    Django's defaults (a new connection per request), migrated. Returns its environment."""
    import psycopg

    print("wagtail start + migrate (bare Wagtail reference)…", file=sys.stderr)
    subprocess.run(
        [str(servers.VENV_BIN / "wagtail"), "start", "barewagtail", str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
        # Without our settings: ``wagtail start`` reads settings, and ``core.settings``
        # found through the editable install would start an embedded PostgreSQL in the
        # folder the project was installed from (another checkout than this one).
        env=reference_env(),
    )
    # The starter's app is called ``home``, like ours: the editable install of this project
    # would then find our ``home.wagtail_hooks`` for it. Same label, another module name.
    (folder / "home").rename(folder / "barehome")
    apps_file = folder / "barehome" / "apps.py"
    apps_file.write_text(
        apps_file.read_text().replace('name = "home"', 'name = "barehome"\n    label = "home"')
    )
    base = folder / "barewagtail" / "settings" / "base.py"
    base.write_text(base.read_text().replace('    "home",\n', '    "barehome",\n'))
    socket_dir, port = embedded_server_address()
    with psycopg.connect(
        host=socket_dir, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute('DROP DATABASE IF EXISTS "bench_bare_wagtail" WITH (FORCE)')
        conn.execute('CREATE DATABASE "bench_bare_wagtail"')
    (folder / "barewagtail" / "settings" / "bench.py").write_text(
        textwrap.dedent(
            f"""
            from .base import *  # noqa

            DEBUG = False
            SECRET_KEY = "bench-only"
            ALLOWED_HOSTS = ["*"]
            DATABASES = {{
                "default": {{
                    "ENGINE": "django.db.backends.postgresql",
                    "NAME": "bench_bare_wagtail",
                    "USER": "postgres",
                    "HOST": {socket_dir!r},
                    "PORT": {port!r},
                }}
            }}
            STORAGES["staticfiles"] = {{
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            }}
            """
        )
    )
    env = {"DJANGO_SETTINGS_MODULE": "barewagtail.settings.bench", "PYTHONPATH": str(folder)}
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--verbosity", "0"],
        cwd=folder,
        env=reference_env(env),
        check=True,
    )
    return env


def reference_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a reference project's process: this one's without what
    configures ours (settings module, database, caches), plus ``extra``."""
    ours = ("DJANGO_SETTINGS_MODULE", "PAGE_CACHE", "FRAGMENT_CACHE", "REDIS_URL")
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ours and not name.startswith("QUARTIERS_")
    }
    return {**env, **(extra or {})}


def drop_bare_wagtail_database() -> None:
    import psycopg

    socket_dir, port = embedded_server_address()
    with psycopg.connect(
        host=socket_dir, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute('DROP DATABASE IF EXISTS "bench_bare_wagtail" WITH (FORCE)')


# --- The run -------------------------------------------------------------------------------


@contextmanager
def started(
    label: str,
    env: dict[str, str],
    host: str,
    path: str = "/",
    expect: str | None = None,
    checkout: Path | None = None,
) -> Iterator[int]:
    """Our server started with ``env`` (the code of ``checkout`` when given, else this
    one's), ``path`` checked (served from the cache when ``expect`` is ``HIT``); yields its
    port."""
    print(f"{host}{path}: {label}{f' ({checkout})' if checkout else ''}…", file=sys.stderr)
    other = {}
    if checkout is not None:
        env = {**env, **before_env(checkout)}
        other = {"cwd": checkout, "config": checkout / "core" / "gunicorn.conf.py"}
    with servers.gunicorn("core.wsgi", env=env, host=host, path=path, **other) as server:
        servers.fetch(server.port, path, host)
        status, headers, _ = servers.fetch(server.port, path, host)
        assert status == 200, f"{host}{path} answered {status}"
        if expect is not None:
            assert headers.get("X-Cache") == expect, headers
        yield server.port


def redis_cost_of_a_hit(port: int, host: str, requests: int = 200) -> dict[str, object]:
    """What page-cache hits served with Redis ask of it (issue 25 §1: one round trip): the
    calls of each command a request, by Redis's own count (``INFO commandstats``, the
    readings' own ``INFO`` taken off), and the time of one ``GET`` of a value of the page's
    size from this process (the round trip a hit cannot avoid)."""
    import redis

    store = redis.Redis.from_url(REDIS_URL)

    def calls() -> dict[str, int]:
        stats = store.info("commandstats")
        return {name.removeprefix("cmdstat_"): int(row["calls"]) for name, row in stats.items()}

    # The page may have expired during the rounds (PAGE_CACHE_SECONDS) and would then be
    # rendered by one of the requests counted (its fragments' reads: the "1.05 MGET" of
    # issue 25 §1): rendered again first, each worker's copy read, then the hits counted.
    for _ in range(10):
        servers.fetch(port, "/", host)
    before = calls()
    body = b""
    for _ in range(requests):
        _, _, body = servers.fetch(port, "/", host)
    after = calls()
    made = {
        name: (count - before.get(name, 0)) / requests
        for name, count in after.items()
        if count - before.get(name, 0) and name != "info"
    }
    key = f"quartiers-bench:{secrets.token_hex(8)}"
    store.set(key, body, ex=60)
    try:
        started_at = time.perf_counter()
        for _ in range(1000):
            store.get(key)
        get_ms = time.perf_counter() - started_at  # 1,000 GETs: their seconds are ms each
    finally:
        store.delete(key)
    return {"calls": made, "get_ms": get_ms, "kilobytes": len(body) / 1024}


def in_turns(
    contenders: dict[str, tuple[int, str]], rounds: int, load: dict
) -> dict[str, list[float]]:
    """wrk on each server in turn, ``rounds`` times: {key: [rate of each round]}.
    ``contenders`` maps a key to (port, host)."""
    rates: dict[str, list[float]] = {key: [] for key in contenders}
    for number in range(1, rounds + 1):
        for key, (port, host) in contenders.items():
            rates[key].append(servers.wrk(port, host=host, **load))
        print(f"round {number}/{rounds}: load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    return rates


def before_env(checkout: Path) -> dict[str, str]:
    """What runs another checkout's code on this run's database, media and static files
    (absolute paths win over that checkout's own ``var/``)."""
    return {
        "PYTHONPATH": str(checkout),
        "QUARTIERS_PGDATA": str(ROOT / "var" / "pgdata"),
        "MEDIA_ROOT": str(ROOT / "var" / "media"),
        "STATIC_ROOT": str(ROOT / "var" / "static"),
    }


def served(
    label: str,
    rates: dict[str, float],
    key: str,
    env: dict[str, str],
    host: str,
    path: str,
    load: dict,
    checkout: Path | None = None,
) -> None:
    """Start our server with ``env`` (the code of ``checkout`` when given, else this one's),
    check ``path`` answers, and keep what wrk measures under ``rates[key]``."""
    if checkout is None:
        with started(label, env, host, path) as port:
            rates[key] = servers.wrk(port, path, host=host, **load)
        return
    print(f"{host}{path}: {label} ({checkout})…", file=sys.stderr)
    with servers.gunicorn(
        "core.wsgi",
        env={**env, **before_env(checkout)},
        cwd=checkout,
        config=checkout / "core" / "gunicorn.conf.py",
        host=host,
        path=path,
    ) as server:
        servers.fetch(server.port, path, host)
        status, _, _ = servers.fetch(server.port, path, host)
        assert status == 200, f"{host}{path} answered {status} ({checkout})"
        rates[key] = servers.wrk(server.port, path, host=host, **load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="secondes par mesure wrk (10)")
    parser.add_argument("--portal", default="belleville", help="portail de démonstration mesuré")
    parser.add_argument(
        "--rounds", type=int, default=3, help="tours du plancher et du cache de pages (3)"
    )
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="le plancher et le cache de pages seulement (ni Wagtail nu, ni pages froides)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        help="une autre copie du dépôt (git worktree) dont les pages froides sont aussi mesurées",
    )
    args = parser.parse_args()
    load = {"duration": args.duration}
    before = args.before.resolve() if args.before else None

    seed()
    collect_static()
    rows = page_type_paths(args.portal)
    counts = [] if args.cached_only else count_queries(rows)
    counts_without_fragments = [] if args.cached_only else count_queries(rows, fragments=False)
    host = next(host for label, host, _ in rows if label == "home page")
    article = next(path for label, _, path in rows if label == "article")
    article = re.sub(r"^https?://[^/]+", "", article)
    queries_off = {label: queries for label, _, _, queries in counts_without_fragments}

    rates: dict[str, float] = {}
    redis_hit: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="quartiers-bench-") as tmp:
        folder = Path(tmp)
        make_floor_project(folder)
        cache_dir = folder / "page-cache"
        cached_env = {**OURS_ENV, "PAGE_CACHE": "1", "PAGE_CACHE_DIR": str(cache_dir)}
        loads = [os.getloadavg()[0]]
        with ExitStack() as stack:
            print("framework floor…", file=sys.stderr)
            floor_server = stack.enter_context(
                servers.gunicorn(
                    "floorapp:application", env={"PYTHONPATH": tmp}, cwd=folder, config=None
                )
            )
            contenders = {"floor": (floor_server.port, "127.0.0.1")}
            redis_env = {**cached_env, "REDIS_URL": REDIS_URL}
            for suffix, checkout in [("", None), *([("_before", before)] if before else [])]:
                # Each server its own folder: the two codes' entries never meet.
                files_env = {**cached_env, "PAGE_CACHE_DIR": f"{cache_dir}{suffix}"}
                files = started("page cache, files", files_env, host, "/", "HIT", checkout)
                contenders[f"cached{suffix}"] = (stack.enter_context(files), host)
                if REDIS_URL:
                    on_redis = started("page cache, Redis", redis_env, host, "/", "HIT", checkout)
                    contenders[f"cached_redis{suffix}"] = (stack.enter_context(on_redis), host)
            rounds = in_turns(contenders, args.rounds, load)
            if REDIS_URL:
                redis_hit = redis_cost_of_a_hit(contenders["cached_redis"][0], host)
        loads.append(os.getloadavg()[0])
        for key, values in rounds.items():
            rates[key] = statistics.median(values)
        if args.cached_only:
            print_cached_rows(host, rates, rounds, loads, redis_hit)
            return

        bare = folder / "bare"
        bare.mkdir()
        bare_env = make_bare_wagtail(bare)
        try:
            print("bare Wagtail welcome page…", file=sys.stderr)
            with servers.gunicorn(
                "barewagtail.wsgi:application", env=bare_env, cwd=bare, config=None
            ) as server:
                status, _, _ = servers.fetch(server.port, "/")
                assert status == 200, f"bare Wagtail answered {status}"
                rates["bare"] = servers.wrk(server.port, **load)
        finally:
            drop_bare_wagtail_database()

        nothing_env = {**OURS_ENV, "PAGE_CACHE": "0", "FRAGMENT_CACHE": "0"}
        uncached_env = {**OURS_ENV, "PAGE_CACHE": "0", "PAGE_CACHE_DIR": str(cache_dir)}
        cold = [
            ("every cache off", "home_nothing_cached", nothing_env, "/"),
            ("every cache off", "article_nothing_cached", nothing_env, article),
            ("page cache off", "home", uncached_env, "/"),
            ("page cache off", "article", uncached_env, article),
        ]
        for label, key, env, path in cold:
            # Before and after in turn, so that a change in the machine's load falls on both.
            served(label, rates, key, env, host, path, load)
            if before is not None:
                served(label, rates, f"{key}_before", env, host, path, load, before)
        if REDIS_URL:
            redis_uncached = {**uncached_env, "REDIS_URL": REDIS_URL}
            served("page cache off, Redis", rates, "home_redis", redis_uncached, host, "/", load)
            if before is not None:
                served(
                    "page cache off, Redis",
                    rates,
                    "home_redis_before",
                    redis_uncached,
                    host,
                    "/",
                    load,
                    before,
                )

        print(f"{host}/ behind nginx…", file=sys.stderr)
        with servers.gunicorn("core.wsgi", env=cached_env, host=host) as server:
            servers.fetch(server.port, "/", host)
            _, headers, html = servers.fetch(server.port, "/", host)
            assert headers.get("X-Cache") == "HIT", headers
            static = folder / "static"
            static.mkdir()
            (static / "as-a-file.html").write_bytes(html)
            # deploy/nginx/quartiers.conf as committed (tests/nginx_front.py, the tests'
            # own helper): its cookie map, proxy cache and /static/ location.
            front = nginx_in_front_of(server.port, static_root=static, workers=2, connections=4096)
            with front as port:
                servers.fetch(port, "/", host)
                _, headers, _ = servers.fetch(port, "/", host)
                assert headers.get("X-Proxy-Cache") == "HIT", headers
                rates["nginx_cache"] = servers.wrk(port, host=host, **load)
                rates["nginx_file"] = servers.wrk(port, "/static/as-a-file.html", **load)

    floor = rates["floor"]
    print(
        f"\n| Quartiers ({host}, DJANGO_ENV=production, gunicorn 2 workers, wrk -t2 -c16) "
        "| requests/s | ÷ floor |"
    )
    print("| --- | ---: | ---: |")
    table = [
        ("minimal Django view (framework floor)", "floor"),
        ("bare `wagtail start` welcome page", "bare"),
        ("home page from the page cache, files (`var/cache`)", "cached"),
        ("home page from the page cache, Redis (`REDIS_URL`)", "cached_redis"),
        ("home page from the page cache, files: --before's code", "cached_before"),
        ("home page from the page cache, Redis: --before's code", "cached_redis_before"),
        ("home page, page cache off, fragments on", "home"),
        ("home page, page cache off, fragments on, Redis", "home_redis"),
        (f"home page, every cache off ({queries_off['home page']} queries)", "home_nothing_cached"),
        ("article, page cache off, fragments on", "article"),
        (f"article, every cache off ({queries_off['article']} queries)", "article_nothing_cached"),
        ("home page, page cache off, fragments on: --before's code", "home_before"),
        ("home page, page cache off, fragments on, Redis: --before's code", "home_redis_before"),
        ("home page, every cache off: --before's code", "home_nothing_cached_before"),
        ("article, page cache off, fragments on: --before's code", "article_before"),
        ("article, every cache off: --before's code", "article_nothing_cached_before"),
        ("through nginx's proxy cache", "nginx_cache"),
        ("nginx serving that HTML as a file", "nginx_file"),
    ]
    for label, key in table:
        if key in rates:
            print(f"| {label} | {rates[key]:,.0f} | {rates[key] / floor:.3f} |")
    if not REDIS_URL:
        print("(REDIS_URL unset: no Redis rows)")
    else:
        print(
            "\nA page-cache hit with Redis, Redis's own count of each command a request: "
            + ", ".join(f"{name.upper()} {share:.2f}" for name, share in redis_hit["calls"].items())
            + " (a GET: the network registry's generation, read once a second by each worker;"
            " HELLO: a worker's new connection); one GET of the page "
            f"({redis_hit['kilobytes']:.0f} kB) takes {redis_hit['get_ms']:.3f} ms from one "
            f"process, where a whole hit with files takes {2000 / rates['cached']:.3f} ms in "
            "each of the 2 workers."
        )
    print_rounds("Floor and page cache rows: the median", rounds, loads)

    print(
        f"\n| page type ({args.portal}, second visit) | path | status "
        "| queries, page cache off | queries, every cache off |"
    )
    print("| --- | --- | ---: | ---: | ---: |")
    for (label, path, status, queries), (*_, bare) in zip(
        counts, counts_without_fragments, strict=True
    ):
        print(f"| {label} | {path} | {status} | {queries} | {bare} |")
    most = max(queries for *_, queries in counts)

    goals = [
        Goal("25.1 page cache (files) vs framework floor", rates["cached"], floor, 0.5, "req/s"),
        *(
            [
                Goal(
                    "25.1 page cache (Redis) vs framework floor",
                    rates["cached_redis"],
                    floor,
                    0.5,
                    "req/s",
                )
            ]
            if "cached_redis" in rates
            else []
        ),
        *(
            [
                Goal(
                    "25.1 Redis MGETs a page-cache hit",
                    redis_hit["calls"].get("mget", 0.0),
                    1,
                    1.0,
                    "MGET",
                    higher_is_better=False,
                )
            ]
            if redis_hit
            else []
        ),
        Goal(
            "25.2 home page, every cache off, vs floor",
            rates["home_nothing_cached"],
            floor,
            0.02,
            "req/s",
        ),
        Goal(
            "25.2 home page, every cache off, queries",
            queries_off["home page"],
            10,
            1.0,
            "queries",
            higher_is_better=False,
        ),
        Goal(
            "25.2 home page, page cache off (fragments on), vs floor",
            rates["home"],
            floor,
            0.05,
            "req/s",
        ),
        Goal(
            "home page, page cache off, vs bare Wagtail welcome",
            rates["home"],
            rates["bare"],
            1.0,
            "req/s",
        ),
        Goal(
            "nginx proxy cache vs nginx file",
            rates["nginx_cache"],
            rates["nginx_file"],
            0.3,
            "req/s",
        ),
        Goal("most queries of a public page", most, 10, 1.0, "queries", higher_is_better=False),
    ]
    print()
    print_goals(goals)
    save_goals("pages", goals)
    explain_misses(goals, host, article)


def print_rounds(heading: str, rounds: dict[str, list[float]], loads: list[float]) -> None:
    """Each round's figure of the rows measured in turns, and its ratio to the floor of
    the same round: ``heading`` starts the line that introduces them."""
    print(
        f"\n{heading} of {len(rounds['floor'])} rounds measured in turns (1-minute load "
        f"average {loads[0]:.2f} before, {loads[1]:.2f} after, {os.cpu_count()} cores):"
    )
    for key, values in rounds.items():
        figures = ", ".join(f"{value:,.0f}" for value in values)
        ratios = ", ".join(
            f"{value / floor_value:.2f}"
            for value, floor_value in zip(values, rounds["floor"], strict=True)
        )
        print(
            f"- {key}: {figures} requests/s"
            + ("" if key == "floor" else f" (÷ floor of its round: {ratios})")
        )


def print_cached_rows(
    host: str,
    rates: dict[str, float],
    rounds: dict[str, list[float]],
    loads: list[float],
    redis_hit: dict[str, object],
) -> None:
    """``--cached-only``'s table: the floor and the page cache's rows, each round's too."""
    floor = rates["floor"]
    print(
        f"\n| Quartiers ({host}, DJANGO_ENV=production, gunicorn 2 workers, wrk -t2 -c16) "
        "| requests/s | ÷ floor |"
    )
    print("| --- | ---: | ---: |")
    labels = {
        "floor": "minimal Django view (framework floor)",
        "cached": "home page from the page cache, files",
        "cached_redis": "home page from the page cache, Redis",
        "cached_before": "home page from the page cache, files: --before's code",
        "cached_redis_before": "home page from the page cache, Redis: --before's code",
    }
    for key, label in labels.items():
        if key in rates:
            print(f"| {label} | {rates[key]:,.0f} | {rates[key] / floor:.3f} |")
    if redis_hit:
        print(
            "\nA page-cache hit with Redis, Redis's own count of each command a request: "
            + ", ".join(f"{name.upper()} {share:.2f}" for name, share in redis_hit["calls"].items())
        )
    print_rounds("The median", rounds, loads)


# The cold-page goals, and whether their pages are served with the fragment cache on.
COLD_GOALS = {
    "25.2 home page, every cache off, vs floor": False,
    "25.2 home page, page cache off (fragments on), vs floor": True,
}


def explain_misses(goals: list[Goal], host: str, article: str) -> None:
    """For each cold-page goal missed, the profile of the home page and of an article in
    the same mode (``bench/cold_profile.py``, its own process): where their time goes."""
    missed = [goal for goal in goals if goal.label in COLD_GOALS and not goal.met]
    if not missed:
        return
    print("\n### Why the cold-page goals are missed: where the time goes")
    for goal in missed:
        print(f"\n**{goal.label}** (measured {goal.ratio:.3f}, target {goal.target:g})")
        fragments = ["--fragments"] if COLD_GOALS[goal.label] else []
        for path in ("/", article):
            sys.stdout.flush()
            subprocess.run(
                [PYTHON, "bench/cold_profile.py", "--host", host, "--path", path, *fragments],
                cwd=ROOT,
                env={**os.environ, **OURS_ENV},
                check=True,
            )


if __name__ == "__main__":
    main()
