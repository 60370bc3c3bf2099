"""A thousand portals in one database: provisioning, migrating, disk, memory, listings.

    .venv/bin/python bench/scale.py [--portals 1000] [--quick] [--keep]

Works in its own database on the embedded server (``bench_scale``), made afresh at the
start and dropped at the end (``--keep`` keeps it for inspection). It reports, in one run:

- the median time to provision a portal (a copy of the template schema, the whole
  service, each in a database session of its own) when 10, 100 and 1,000 portals exist
  (the ten portals provisioned up to each level);
- the time to apply one new migration to every schema: a throwaway app with one
  ``CreateModel`` (a new app label each run, written to a temporary folder, never
  committed), applied by ``manage.py migrate_network`` (public, template, then every
  portal with the multiprocessing executor);
- the database size per portal (``pg_database_size`` / portals) and one portal schema's
  own size (``pg_total_relation_size`` of its tables, median of a sample);
- the resident memory of one gunicorn worker after serving the home page of 10 portals,
  then of every portal (page cache off, so each portal is really rendered);
- the median time of the network directory and of the federation hub at that size.

``--quick`` stops at 100 portals (about a minute and a half of provisioning).
``--migration-only [--compare N]`` times only the new migration (and a re-run with
nothing left) on the network kept by an earlier ``--keep`` run; ``--compare N`` first
applies another one to N portals through Django's executor and to N others by
``migrate_network``'s fast path, and reports each path's seconds a portal.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["QUARTIERS_DATABASE"] = "bench_scale"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from bench import servers  # noqa: E402
from bench.results import Goal, print_goals, save_goals  # noqa: E402
from bench.shared_sheets import share_sheets  # noqa: E402
from tenants.factories import PortalSpecFactory  # noqa: E402
from tenants.models import Neighbourhood, SharedEntry  # noqa: E402
from tenants.provisioning import provision_neighbourhood  # noqa: E402
from tenants.rollup import network_activity  # noqa: E402

ROOT = servers.ROOT
PREFIX = "scale"
FEDERATION = "scalefederation"
SHARED_PER_PORTAL = 10
BASE_ENV = {"QUARTIERS_DATABASE": "bench_scale", "DJANGO_DEBUG": "0"}


def manage(*command: str, env: dict[str, str] | None = None, verbosity: int = 0) -> float:
    """Run ``manage.py command`` in its own process; returns the seconds it took. Its
    output goes to stderr with verbosity 1 and more (a command's progress lines)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *command, "--verbosity", str(verbosity)],
        cwd=ROOT,
        env={**os.environ, **BASE_ENV, **(env or {})},
        check=True,
        stdout=sys.stderr if verbosity else subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def bench_portals() -> list[Neighbourhood]:
    return list(
        Neighbourhood.objects.filter(schema_name__startswith=PREFIX, kind="neighbourhood")
        .exclude(schema_name=FEDERATION)
        .order_by("pk")
    )


def provision_one(number: int) -> float:
    """Provision one portal in a database session of its own, as the network admin's
    request or ``create_portal`` does. PostgreSQL's per-session caches grow with every
    relation a session creates: one session that made a thousand portals took 1.14 s per
    portal where a fresh session took 0.65 s (same database, 1,020 portals, 2 cores)."""
    slug = f"{PREFIX}{number:04d}"
    connection.close()
    started = time.perf_counter()
    provision_neighbourhood(PortalSpecFactory(slug=slug, name=f"Quartier {number}", invite=False))
    return time.perf_counter() - started


def provision_to(
    target: int, levels: list[int], at_level: Callable[[int], None] = lambda level: None
) -> dict[int, list[float]]:
    """Provision portals until ``target`` exist; the timings of the ten up to each level.
    ``at_level`` runs once each level is reached."""
    timings: dict[int, list[float]] = {level: [] for level in levels}
    number = 0
    started = time.perf_counter()
    while number < target:
        number += 1
        seconds = provision_one(number)
        for level in levels:
            if level - 10 < number <= level:
                timings[level].append(seconds)
        if number % 50 == 0 or number == target:
            elapsed = time.perf_counter() - started
            print(f"  portail {number}/{target} ({elapsed:.0f} s)", file=sys.stderr)
        if number in levels:
            at_level(number)
    return timings


def observatory_at(level: int, found: dict[int, tuple[float, float]]) -> None:
    """The nightly rollup (every portal's day folded again, as cron does) and the network
    list's read of the folded figures, at ``level`` portals."""
    print(f"  rollup_activity à {level} portails…", file=sys.stderr)
    found[level] = (manage("rollup_activity"), network_list_ms())
    print(f"  → {found[level][0]:.1f} s, liste du réseau {found[level][1]:.1f} ms", file=sys.stderr)


def share_pages(portals: list[Neighbourhood]) -> None:
    """Ten shared pages per portal in the federation index (what the hub lists)."""
    done = set(SharedEntry.objects.values_list("tenant_id", flat=True).distinct())
    # Every sheet a workshop one, as this bench has always shared them.
    waiting = [portal for portal in portals if portal.pk not in done]
    share_sheets(waiting, SHARED_PER_PORTAL, modules=["workshop"])


# --- One new migration for every schema ---------------------------------------------------


@contextlib.contextmanager
def throwaway_app(label: str) -> Iterator[dict[str, str]]:
    """A throwaway app with one CreateModel (written to a temporary folder, never
    committed); yields the environment of a process whose settings install it."""
    with tempfile.TemporaryDirectory(prefix="quartiers-migration-") as tmp:
        app = Path(tmp) / label
        (app / "migrations").mkdir(parents=True)
        (app / "__init__.py").write_text("")
        (app / "migrations" / "__init__.py").write_text("")
        (app / "models.py").write_text(
            textwrap.dedent(
                """
                from django.db import models


                class Scratch(models.Model):
                    note = models.CharField(max_length=20)
                """
            )
        )
        (app / "migrations" / "0001_initial.py").write_text(
            textwrap.dedent(
                """
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    initial = True
                    dependencies = []
                    operations = [
                        migrations.CreateModel(
                            name="Scratch",
                            fields=[
                                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                                ("note", models.CharField(max_length=20)),
                            ],
                        )
                    ]
                """
            )
        )
        (Path(tmp) / "scale_settings.py").write_text(
            textwrap.dedent(
                f"""
                from core.settings import *  # noqa: F403

                TENANT_APPS = [*TENANT_APPS, "{label}"]  # noqa: F405
                INSTALLED_APPS = [*INSTALLED_APPS, "{label}"]  # noqa: F405
                """
            )
        )
        yield {"DJANGO_SETTINGS_MODULE": "scale_settings", "PYTHONPATH": f"{tmp}:{ROOT}"}


def migrate_everything_with_a_new_migration() -> tuple[float, str]:
    """Write a throwaway app with one CreateModel, then time ``migrate_network``."""
    label = f"benchmig{int(time.time())}"
    with throwaway_app(label) as env:
        seconds = manage("migrate_network", env=env, verbosity=1)
    return seconds, label


# Run in a process whose settings install a throwaway app: its migration applied to the
# schemas given, by the fast path or by Django's executor; prints the seconds it took,
# the plan's preparation (once for the whole network) left out.
_ONE_PATH = """
import sys, time
import django
django.setup()
from tenants.network_migrations import _prepare, migrate_schemas
schemas, fast = sys.argv[2].split(","), sys.argv[1] == "fast"
_prepare(schemas[0], fast)  # the plan and models, once for the network: not per portal
started = time.perf_counter()
outcomes = migrate_schemas(schemas, processes=2, report=lambda line: None, fast=fast)
assert all(o.applied and o.fast == fast and not o.error for o in outcomes), outcomes
print(time.perf_counter() - started)
"""


def both_paths(count: int) -> tuple[float, float]:
    """Seconds a portal (wall clock, two processes) for one new CreateModel applied to
    ``count`` portals by Django's executor, then to ``count`` others by the fast path."""
    schemas = [portal.schema_name for portal in bench_portals()[: 2 * count]]
    per_portal = {}
    with throwaway_app(f"benchcmp{int(time.time())}") as env:
        for path, chosen in (("slow", schemas[:count]), ("fast", schemas[count:])):
            print(f"  {path} path, {len(chosen)} portals…", file=sys.stderr)
            result = subprocess.run(
                [sys.executable, "-c", _ONE_PATH, path, ",".join(chosen)],
                cwd=ROOT,
                env={**os.environ, **BASE_ENV, **env},
                check=True,
                capture_output=True,
                text=True,
            )
            per_portal[path] = float(result.stdout.strip().splitlines()[-1]) / len(chosen)
    return per_portal["slow"], per_portal["fast"]


def load_average() -> str:
    """The machine's load average (1, 5, 15 min): other work shares these two cores."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def migration_goal(count: int, seconds: float) -> Goal:
    """Issue 23: one new migration for the whole network in five minutes or less."""
    return Goal(
        f"23.5 one new migration, {count} portals (s)",
        seconds,
        300.0,
        1.0,
        "s",
        higher_is_better=False,
    )


def migration_only(compare: int = 0) -> None:
    """Time one new migration, then a re-run with nothing left, on the network kept by an
    earlier run (``--keep``, or ``bench/backups.py --keep``). With ``compare``, first the
    per-portal cost of another new migration by Django's executor on ``compare`` portals
    and by the fast path on as many others."""
    count = len(bench_portals())
    if not count:
        sys.exit("Aucun portail dans bench_scale : lancez d'abord le bench avec --keep.")
    compared = min(compare, count // 2)
    if compared:
        print(f"One migration, executor vs fast path ({compared} each)…", file=sys.stderr)
        slow_s, fast_s = both_paths(compared)
        load_compared = load_average()
    print(f"A new migration for {count} portals…", file=sys.stderr)
    load_before = load_average()
    migration_s, label = migrate_everything_with_a_new_migration()
    load_after = load_average()
    print("The same again, nothing left to apply…", file=sys.stderr)
    rerun_s = manage("migrate_network")
    print(f"\n| at {count} portals (migrate_network, 2 processes) | measured |")
    print("| --- | ---: |")
    print(f"| one new migration (app {label}, one CreateModel) | {migration_s:.0f} s |")
    print(f"| load average (1 / 5 / 15 min) before, after | {load_before}, {load_after} |")
    print(f"| a re-run with nothing to apply | {rerun_s:.0f} s |")
    if compared:
        print(
            f"| one CreateModel by Django's executor, per portal ({compared} portals) "
            f"| {slow_s:.2f} s |"
        )
        print(
            f"| one CreateModel by the fast path, per portal ({compared} others) | {fast_s:.2f} s |"
        )
        print(f"| load average during the comparison | {load_compared} |")
    print()
    goals = [migration_goal(count, migration_s)]
    print_goals(goals)
    save_goals("migration", goals)


# --- Disk -----------------------------------------------------------------------------------


def sizes(portals: list[Neighbourhood]) -> tuple[float, float]:
    """(database bytes per portal, median bytes of one portal schema's own relations)."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        sample = [portal.schema_name for portal in portals[:: max(len(portals) // 20, 1)]]
        cursor.execute(
            """
            SELECT n.nspname, sum(pg_total_relation_size(c.oid))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'm', 'p')
            GROUP BY n.nspname
            """,
            [sample],
        )
        per_schema = [row[1] for row in cursor.fetchall()]
    return database / max(len(portals), 1), statistics.median(per_schema)


# --- Memory and listings, through gunicorn ----------------------------------------------


def median_ms(port: int, path: str, host: str, requests: int = 20) -> float:
    servers.fetch(port, path, host)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _, _ = servers.fetch(port, path, host)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{host}{path} answered {status}")
    return statistics.median(timings)


def serve(portals: list[Neighbourhood]) -> dict[str, float]:
    """One gunicorn worker: RSS after 10 portals' home pages, then after all of them; the
    directory and the federation hub's median times."""
    hosts = [portal.get_primary_domain().domain for portal in portals]
    federation_host = Neighbourhood.objects.get(schema_name=FEDERATION).get_primary_domain().domain
    env = {**BASE_ENV, "PAGE_CACHE": "0", "PAGE_CACHE_DIR": tempfile.mkdtemp()}
    figures: dict[str, float] = {}
    with servers.gunicorn("core.wsgi", env=env, workers=1, host=hosts[0]) as server:
        (worker,) = servers.worker_pids(server.pid)
        for host in hosts[:10]:
            servers.fetch(server.port, "/", host)
        figures["rss_10"] = servers.rss_kib(worker) / 1024
        started = time.perf_counter()
        for number, host in enumerate(hosts, start=1):
            status, _, _ = servers.fetch(server.port, "/", host)
            if status != 200:
                raise RuntimeError(f"{host}/ answered {status}")
            if number % 200 == 0:
                print(f"  {number}/{len(hosts)} pages d'accueil servies", file=sys.stderr)
        figures["home_ms_each"] = (time.perf_counter() - started) * 1000 / len(hosts)
        figures["rss_all"] = servers.rss_kib(worker) / 1024
        figures["directory_ms"] = median_ms(server.port, "/", "127.0.0.1")
        figures["hub_ms"] = median_ms(server.port, "/ressources/", federation_host)
    return figures


def network_list_ms(runs: int = 9) -> float:
    """Median time to read every portal's folded activity, as the network's list does."""
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        network_activity()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def drop_database() -> None:
    """Remove the bench's database (a thousand portals take gigabytes)."""
    import psycopg

    from core.database import start_embedded_server

    connection.close()
    info = start_embedded_server(ROOT / "var" / "pgdata").get_postmaster_info()
    with psycopg.connect(
        host=str(info.socket_dir), user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute('DROP DATABASE IF EXISTS "bench_scale" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=1000, help="portails à atteindre (1000)")
    parser.add_argument("--quick", action="store_true", help="100 portails seulement")
    parser.add_argument("--keep", action="store_true", help="garder la base à la fin")
    parser.add_argument(
        "--migration-only",
        action="store_true",
        help="seulement la migration, sur le réseau déjà là (bench_scale gardé par --keep)",
    )
    parser.add_argument(
        "--compare",
        type=int,
        default=0,
        help="avec --migration-only : comparer d'abord les deux chemins sur N portails chacun",
    )
    options = parser.parse_args()
    if options.migration_only:
        migration_only(options.compare)
        return
    target = 100 if options.quick else options.portals
    levels = [level for level in (10, 100, 1000) if level <= target]

    drop_database()  # every run starts from an empty network
    print("migrate_network (bench_scale)…", file=sys.stderr)
    manage("migrate_network")
    if not Neighbourhood.objects.filter(schema_name=FEDERATION).exists():
        provision_neighbourhood(PortalSpecFactory(slug=FEDERATION, kind="federation", invite=False))
    print(f"Provisioning up to {target} portals…", file=sys.stderr)
    observatory: dict[int, tuple[float, float]] = {}
    timings = provision_to(target, levels, lambda level: observatory_at(level, observatory))
    portals = bench_portals()
    share_pages(portals)
    print(f"A new migration for {len(portals)} portals…", file=sys.stderr)
    migration_s, label = migrate_everything_with_a_new_migration()
    per_portal_bytes, schema_bytes = sizes(portals)
    print("Serving every portal from one worker…", file=sys.stderr)
    served = serve(portals)

    count = len(portals)
    print("\n| portals reached | timed (last ten) | median provisioning (s) | min (s) | max (s) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for level in levels:
        values = timings[level]
        print(
            f"| {level} | {len(values)} | {statistics.median(values):.2f} "
            f"| {min(values):.2f} | {max(values):.2f} |"
        )
    print(
        "\n| portals | `rollup_activity`, every portal's day folded (s) "
        "| network list's activity, one query, median (ms) |"
    )
    print("| ---: | ---: | ---: |")
    for level, (rollup_s, list_ms) in sorted(observatory.items()):
        print(f"| {level} | {rollup_s:.1f} | {list_ms:.1f} |")
    print(f"\n| at {count} portals | measured |")
    print("| --- | ---: |")
    print(
        f"| one new migration (app {label}, one CreateModel) applied to public, template "
        f"and {count} portals by `migrate_network` (multiprocessing) | {migration_s:.0f} s |"
    )
    print(f"| database size / portals | {per_portal_bytes / 2**20:.1f} MiB |")
    schema_mib = schema_bytes / 2**20
    print(f"| one portal schema's own relations (median of a sample) | {schema_mib:.1f} MiB |")
    print(f"| gunicorn worker RSS after 10 portals' home pages | {served['rss_10']:.0f} MiB |")
    rss_all = served["rss_all"]
    print(f"| gunicorn worker RSS after all {count} portals' home pages | {rss_all:.0f} MiB |")
    print(f"| home page, each portal's first visit (mean) | {served['home_ms_each']:.0f} ms |")
    print(f"| network directory ({count} portals), median | {served['directory_ms']:.1f} ms |")
    print(
        f"| federation hub ({count * SHARED_PER_PORTAL} shared pages), median "
        f"| {served['hub_ms']:.1f} ms |"
    )

    first, last = levels[0], levels[-1]
    goals = [
        Goal(
            f"5. provisioning at {last} vs at {first} portals (median)",
            statistics.median(timings[last]),
            statistics.median(timings[first]),
            1.5,
            "s",
            higher_is_better=False,
        ),
        migration_goal(count, migration_s),
        Goal(
            f"5. worker RSS after {count} portals vs after 10",
            served["rss_all"],
            served["rss_10"],
            1.25,
            "MiB",
            higher_is_better=False,
        ),
    ]
    print()
    print_goals(goals)
    save_goals("scale", goals)
    if not options.keep:
        drop_database()


if __name__ == "__main__":
    main()
