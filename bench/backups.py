"""Backing up and restoring a network of a thousand portals on a default PostgreSQL.

    .venv/bin/python bench/backups.py [--portals 1000] [--reuse] [--keep]

Works in the scale bench's database (``bench_scale``, see ``bench/scale.py``, whose
provisioning it reuses): made afresh with the federation and ``--portals`` portals
(``--reuse`` keeps the portals already there and provisions only the missing ones, so
100, then 300, then 1,000 cost the provisioning of 1,000 once). Then it times
``backup_network`` (the dumps of groups of schemas from one snapshot, two at a time) and
``restore_network`` into a new database (one transaction a schema), and prints a table:
portals, schemas, archive size, backup and restore times, the most tables one dump
group locked and the most relations one restore transaction locked, beside the
default server's 6,400 lock slots. The restored database is dropped at the end, and the
bench's too unless ``--keep`` or ``--reuse``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from django.conf import settings
from django.db import connection

from bench.results import Goal, print_goals, save_goals

# bench.scale sets Django up on the bench's database (bench_scale).
from bench.scale import (
    FEDERATION,
    ROOT,
    bench_portals,
    drop_database,
    manage,
    provision_one,
)
from tenants.backups import DUMP_JOBS, DUMP_LOCKS, backup_network
from tenants.factories import PortalSpecFactory
from tenants.models import Neighbourhood
from tenants.provisioning import provision_neighbourhood
from tenants.restores import restore_network

RESTORED = "bench_backups_restored"
DEFAULT_LOCK_SLOTS = 64 * 100  # max_locks_per_transaction times max_connections, by default


def drop_restored() -> None:
    from core.database import start_embedded_server

    info = start_embedded_server(ROOT / "var" / "pgdata").get_postmaster_info()
    with psycopg.connect(
        host=str(info.socket_dir),
        user="postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')


def network_of(target: int, reuse: bool) -> int:
    """A federation and ``target`` portals in the bench's database; return the schemas."""
    if not reuse:
        drop_database()
    print("migrate_network (bench_scale)…", file=sys.stderr)
    manage("migrate_network")
    if not Neighbourhood.objects.filter(schema_name=FEDERATION).exists():
        provision_neighbourhood(PortalSpecFactory(slug=FEDERATION, kind="federation", invite=False))
    have = len(bench_portals())
    started = time.perf_counter()
    for number in range(have + 1, target + 1):
        provision_one(number)
        if number % 50 == 0 or number == target:
            elapsed = time.perf_counter() - started
            print(f"  portail {number}/{target} ({elapsed:.0f} s)", file=sys.stderr)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%%' "
            "AND nspname <> 'information_schema'"
        )
        return cursor.fetchone()[0]


def most_tables_dumped_at_once(manifest: dict) -> int:
    """The tables of the ``DUMP_JOBS`` largest dump groups: the most ``pg_dump`` locks
    held at once (it locks the tables it dumps)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, count(*) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') GROUP BY n.nspname"
        )
        tables = dict(cursor.fetchall())
    groups = sorted(
        (sum(tables.get(schema, 0) for schema in dump["schemas"]) for dump in manifest["dumps"]),
        reverse=True,
    )
    return sum(groups[:DUMP_JOBS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=1000, help="portails (1000)")
    parser.add_argument("--reuse", action="store_true", help="garder les portails déjà là")
    parser.add_argument("--keep", action="store_true", help="garder la base à la fin")
    options = parser.parse_args()

    schemas = network_of(options.portals, options.reuse)
    portals = len(bench_portals())
    drop_restored()
    with tempfile.TemporaryDirectory(prefix="quartiers-bench-backups-") as tmp:
        settings.MEDIA_ROOT = str(Path(tmp) / "medias-vides")  # the database alone is timed
        print(f"Backup of {portals} portals ({schemas} schemas)…", file=sys.stderr)
        started = time.perf_counter()
        archive = backup_network(Path(tmp) / "sauvegardes")
        backup_s = time.perf_counter() - started
        archive_bytes = archive.stat().st_size
        print("Restore into a new database…", file=sys.stderr)
        started = time.perf_counter()
        restored = restore_network(archive, database=RESTORED, media_root=Path(tmp) / "medias")
        restore_s = time.perf_counter() - started
    drop_restored()
    dumped_at_once = most_tables_dumped_at_once(restored.manifest)

    print(
        "\n| portals | schemas | archive | backup | restore | dumps "
        "| most tables locked by the dumps at once "
        "| most relations locked by one restore transaction |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    dumps = len(restored.manifest["dumps"])
    print(
        f"| {portals} | {schemas} | {archive_bytes / 2**20:,.1f} MiB | {backup_s:,.0f} s "
        f"| {restore_s:,.0f} s | {dumps} (≤ {DUMP_LOCKS // DUMP_JOBS} tables each, "
        f"{DUMP_JOBS} at a time) | {dumped_at_once} | {restored.most_locks} |"
    )
    print(
        f"\nPer portal: archive {archive_bytes / portals / 2**20:.2f} MiB, backup "
        f"{backup_s / portals:.2f} s, restore {restore_s / portals:.2f} s."
    )
    goals = [
        Goal(
            f"27. most relations one restore transaction locks at {portals} portals "
            f"vs a default server's lock slots",
            restored.most_locks,
            DEFAULT_LOCK_SLOTS,
            0.5,
            "locks",
            higher_is_better=False,
        ),
        Goal(
            f"27. most tables the backup's dumps lock at once at {portals} portals "
            f"vs a default server's lock slots",
            dumped_at_once,
            DEFAULT_LOCK_SLOTS,
            0.5,
            "locks",
            higher_is_better=False,
        ),
    ]
    print()
    print_goals(goals)
    save_goals("backups", goals)
    if not (options.keep or options.reuse):
        drop_database()


if __name__ == "__main__":
    main()
