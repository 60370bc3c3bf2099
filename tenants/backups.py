"""Backing up the whole network: every schema of the database and every portal's media,
in one timestamped, signed archive (restoring it: ``tenants.restores``).

The archive (``quartiers-AAAAMMJJ-HHMMSS.tar``, signed as ``tenants.archive_trust``
describes) holds:

- ``manifest.json``: when, which portals (with their domains and status), which schemas,
  which dump holds which schemas, the versions of PostgreSQL, pg_dump, Django, Wagtail
  and Quartiers, and the digest of every member; ``manifest.sig``, its signature with
  the network's key;
- ``database/0001.dump``, ``0002.dump``…: ``pg_dump --format=custom`` of a group of
  schemas each (already compressed); together, every schema of the database;
- ``media/``: the media store as it is (``MEDIA_ROOT``, or the bucket's prefix when
  ``MEDIA_STORAGE=s3``: ``tenants.media``), one folder per schema.

Why several dumps: ``pg_dump`` locks every table it dumps until it ends, and PostgreSQL
keeps those locks in one table for the whole server, of ``max_locks_per_transaction``
(64) times ``max_connections`` (100) = 6,400 slots by default. A portal has about 120
tables: one dump of the whole database ran out of slots past about 50 portals. So the
schemas are dumped in groups of at most ``DUMP_LOCKS`` tables in all (the dumps running
at the same time together), by ``pg_dump --snapshot`` of one snapshot exported by a
transaction held open meanwhile: every dump sees the database as it was at the same
instant, as one dump would. Each ``pg_dump`` reads the whole catalogue whatever it is
asked for (all of ``pg_depend``: 5 of the 6 s a one-portal dump took at 100 portals),
so groups are as large as the bound allows rather than one schema each, and two run at
a time (the machine's cores). That reading grows with the network, and so does the
number of groups: the backup's time grows faster than the number of portals
(``bench/backups.py`` measures it).

Format 3 (this one); format 2 archives (one dump of the whole database, signed) are
still restored; version 1 archives were not signed and are refused.
The embedded server's ``pg_dump``/``pg_restore`` are used when there is one (same
version as the server), else those on the PATH.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import psycopg
from django.db import connection
from django.utils import timezone

from tenants.archive_trust import MEDIA, UntrustedArchive, signing_key, write_signed
from tenants.media import media_store
from tenants.portability import PG_DUMP_SETTINGS, client_tool_options, postgres_binary

# 3: one dump per group of schemas; 2: one dump of the whole database (still restored);
# 1: not signed (refused).
FORMAT_VERSION = 3
READABLE_FORMATS = (2, 3)
PURPOSE = "backup"
DUMP = "database.dump"  # format 2's one dump
DUMPS = "database"  # format 3's folder of dumps
# Tables all the running dumps may lock at once: under half a default server's 6,400
# lock slots, the rest left to the application serving meanwhile.
DUMP_LOCKS = 3_000
DUMP_JOBS = 2
# Schemas PostgreSQL itself owns: never dumped as ours, never dropped by a forced restore.
SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that could not be done; the message is in French."""


def quiet(message: str) -> None:
    """The default progress callback: say nothing."""


# --- Talking to PostgreSQL -------------------------------------------------------------


def run_tool(
    tool: str, arguments: list[str], database: str, settings_: str = ""
) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client tool on ``database``, its session with ``settings_`` (as
    ``PGOPTIONS`` says them); French error on failure."""
    options, env = client_tool_options(database)
    if settings_:
        env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} {settings_}".strip()
    try:
        binary = postgres_binary(tool)
    except Exception as error:  # PortabilityError, already in French
        raise BackupError(str(error)) from error
    try:
        # No shell; arguments are the settings' and paths we chose.
        return subprocess.run(  # noqa: S603
            [binary, *arguments, *options], check=True, capture_output=True, env=env
        )
    except subprocess.CalledProcessError as error:
        reason = error.stderr.decode(errors="replace").strip() or f"code {error.returncode}"
        raise BackupError(f"{tool} a échoué : {reason}") from error
    except OSError as error:
        raise BackupError(f"{tool} n'a pas pu être lancé : {error}") from error


def admin_connection(database: str) -> psycopg.Connection:
    """A connection of its own (autocommit) to ``database`` on the project's server."""
    params = connection.settings_dict
    try:
        return psycopg.connect(
            host=params.get("HOST") or None,
            port=params.get("PORT") or None,
            user=params.get("USER") or None,
            password=params.get("PASSWORD") or None,
            dbname=database,
            autocommit=True,
        )
    except psycopg.OperationalError as error:
        raise BackupError(f"Connexion impossible à la base « {database} » : {error}") from error


def user_schemas(conn: psycopg.Connection) -> list[str]:
    """The schemas of the database but PostgreSQL's own, in order of name."""
    rows = conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname <> ALL(%s) "
        "AND nspname NOT LIKE 'pg\\_temp\\_%%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%%' "
        "ORDER BY nspname",
        (list(SYSTEM_SCHEMAS),),
    ).fetchall()
    return [name for (name,) in rows]


# --- Backup ----------------------------------------------------------------------------


def _versions(conn: psycopg.Connection) -> dict[str, str]:
    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return ""

    (server,) = conn.execute("SHOW server_version").fetchone()
    dump = subprocess.run(  # noqa: S603 (our own binary)
        [postgres_binary("pg_dump"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "postgresql": server,
        "pg_dump": dump,
        "django": package("django"),
        "wagtail": package("wagtail"),
        "django-tenants": package("django-tenants"),
        "quartiers": package("quartiers"),
    }


def _portals(conn: psycopg.Connection) -> list[dict]:
    """The registry as the backup's snapshot sees it."""
    rows = conn.execute(
        "SELECT n.schema_name, n.name, n.kind, n.status, "
        "coalesce(array_agg(d.domain ORDER BY d.domain) FILTER (WHERE d.id IS NOT NULL), '{}') "
        "FROM public.tenants_neighbourhood n "
        "LEFT JOIN public.tenants_domain d ON d.tenant_id = n.id "
        "GROUP BY n.id ORDER BY n.schema_name"
    ).fetchall()
    return [
        {"schema": schema, "name": name, "kind": kind, "status": status, "domains": domains}
        for schema, name, kind, status, domains in rows
    ]


def _tables_per_schema(conn: psycopg.Connection, schemas: list[str]) -> dict[str, int]:
    """How many tables ``pg_dump`` will lock in each schema (it locks tables only)."""
    rows = conn.execute(
        "SELECT n.nspname, count(c.oid) FROM pg_namespace n "
        "LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p') "
        "WHERE n.nspname = ANY(%s) GROUP BY n.nspname",
        (schemas,),
    ).fetchall()
    return dict(rows)


def dump_groups(tables: dict[str, int], schemas: list[str], budget: int) -> list[list[str]]:
    """``schemas`` in order, cut into groups of at most ``budget`` tables (a schema larger
    than the budget is a group of its own)."""
    groups: list[list[str]] = []
    size = budget + 1
    for schema in schemas:
        count = tables.get(schema, 0)
        if size + count > budget:
            groups.append([])
            size = 0
        groups[-1].append(schema)
        size += count
    return groups


def _dump_group(database: str, snapshot: str, schemas: list[str], path: Path) -> None:
    # "name" in double quotes: pg_dump reads -n as a pattern, quoted it is the name as is.
    selection = [f'--schema="{schema}"' for schema in schemas]
    options = ["--format=custom", "--no-comments", f"--snapshot={snapshot}"]
    run_tool(
        "pg_dump",
        [*options, "--file", str(path), *selection],
        database,
        PG_DUMP_SETTINGS,
    )


def backup_network(
    folder: str | Path,
    progress: Progress = quiet,
    *,
    locks: int = DUMP_LOCKS,
    jobs: int = DUMP_JOBS,
) -> Path:
    """Write a signed backup of the whole network into ``folder``; return its path.

    The schemas are dumped in groups, ``jobs`` at a time, all from one snapshot, each
    group of at most ``locks // jobs`` tables (see the module's docstring). The archive
    appears only once complete (written under a temporary name first).
    """
    try:
        signing_key()  # before the dump, which takes a while
    except UntrustedArchive as error:
        raise BackupError(str(error)) from error
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    database = connection.settings_dict["NAME"]
    store = media_store()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = folder / f"quartiers-{stamp}.tar"
    jobs = max(jobs, 1)

    with (
        admin_connection(database) as holder,
        tempfile.TemporaryDirectory(dir=folder, prefix=f".{path.name}.") as scratch,
    ):
        # The snapshot every dump reads: exported by this transaction, valid while it is open.
        holder.autocommit = False
        holder.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        holder.read_only = True
        (snapshot,) = holder.execute("SELECT pg_export_snapshot()").fetchone()
        schemas = user_schemas(holder)
        portals = _portals(holder)
        versions = _versions(holder)
        groups = dump_groups(_tables_per_schema(holder, schemas), schemas, max(locks // jobs, 1))
        progress(
            f"Sauvegarde de la base « {database} » : {len(schemas)} schémas, "
            f"{len(portals)} portails, en {len(groups)} dumps…"
        )
        dumps = [
            (f"{DUMPS}/{number:04d}.dump", group) for number, group in enumerate(groups, start=1)
        ]

        def dump(entry: tuple[str, list[str]]) -> None:
            member, group = entry
            _dump_group(database, snapshot, group, Path(scratch) / member)
            progress(f"  {member} : {', '.join(group[:3])}{'…' if len(group) > 3 else ''}")

        (Path(scratch) / DUMPS).mkdir()
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(dump, dumps))  # the first error, if any, is raised here
        holder.rollback()
        size = sum((Path(scratch) / member).stat().st_size for member, _ in dumps)
        progress(f"Base sauvegardée ({size / 1e6:.1f} Mo).")

        # A bucket's objects are downloaded into the scratch folder first: the archive
        # lists each member's digest before it writes them.
        progress(f"Médias : {store}…")
        files = store.local_copies(store.names(), Path(scratch) / MEDIA)
        manifest = {
            "format": FORMAT_VERSION,
            "purpose": PURPOSE,
            "created_at": timezone.now().isoformat(),
            "database": database,
            "schemas": schemas,
            "dumps": [{"member": member, "schemas": group} for member, group in dumps],
            "portals": portals,
            "media_files": len(files),
            "versions": versions,
        }
        members: list[tuple[str, Path | bytes]] = [
            (member, Path(scratch) / member) for member, _ in dumps
        ]
        members += [(f"{MEDIA}/{name}", file) for name, file in files]
        try:
            write_signed(path, manifest, members, compress=False)
        except UntrustedArchive as error:  # no signing key
            raise BackupError(str(error)) from error
    progress(f"Médias sauvegardés : {len(files)} fichiers.")
    progress(f"Sauvegarde écrite : {path}")
    return path
