"""Restoring a backup of the whole network (``tenants.backups``), one schema at a time.

A restore refuses an archive the network did not sign, or that was altered, before
touching anything. ``pg_restore`` only turns a dump into SQL; the statements are checked
one by one (``tenants.dump_check``: tables, indexes, constraints, rows, nothing that
runs code or touches roles) before they run.

**One transaction a schema.** Restoring takes a lock on every relation it creates, until
its transaction ends, in the server's one lock table (6,400 slots by default); a portal
has about 600 relations, so one transaction for the network ran out of slots past about
ten portals. Each schema is therefore replayed in a transaction (and a database session)
of its own, through ``pg_restore --schema``, by a checker that allows that schema alone:
no transaction holds more than one schema's locks, whatever the number of portals.

**All or nothing, resumable.** The portals' schemas come first, ``public`` (the registry,
the domains, the federation index) last, in the same transaction as the checks of the
registry and the end of the restore. So until the very end the database has no registry:
it is not a network, no host is served from it. Each schema's transaction also records
it as done in ``quartiers_restauration``, a schema of the target kept only while the
restore is unfinished, with the signature of the archive. Then:

- a restore that stops (a server error, a full disk, Ctrl+C, a power cut) leaves the
  schemas already in; the same command run again with the same archive continues at the
  first schema not yet in, and the network is restored once it ends;
- an archive refused for what it holds (a statement not allowed, a dump ``pg_restore``
  cannot read, a registry with two federations, rows past ``ARCHIVE_MAX_BYTES``) cannot
  succeed on a second run: the database the restore created is dropped.

**Where it writes.** Into an empty database (created if it does not exist), or one that
holds an unfinished restore of the same archive (continued). ``force`` replaces a
database that is not empty without touching it meanwhile: the restore goes into a new
database ``<name>_restauration``, and only once that is complete is the old one renamed
``<name>_avant_<date>`` (set aside, never deleted; its sessions are closed) and the new
one given its name. The media in place (folder, or bucket prefix when
``MEDIA_STORAGE=s3``) are set aside the same way, under another name.

The kept dump of the template is never restored: the next provisioning makes it again.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg import sql

from tenants.archive_trust import MEDIA, UntrustedArchive, discard, staging_folder, unpack_signed
from tenants.backups import (
    DUMP,
    DUMPS,
    PURPOSE,
    READABLE_FORMATS,
    BackupError,
    Progress,
    admin_connection,
    quiet,
    user_schemas,
)
from tenants.dump_check import DumpChecker, UnsafeDump
from tenants.media import MediaStore, media_store
from tenants.portability import META_COMMAND, postgres_binary

# The schema where an unfinished restore keeps its progress (gone once it is complete).
STATE = "quartiers_restauration"
PUBLIC = "public"
# A schema's name as PostgreSQL allows it unquoted, and as every portal's is.
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RefusedArchive(BackupError):
    """A backup refused for what it holds: running it again cannot succeed."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: the archive's manifest, the database it wrote, the schemas it
    replayed in this run (fewer than ``schemas`` when it continued an earlier run), the
    most relation locks one of its transactions held, and the database set aside."""

    manifest: dict
    database: str
    schemas: int
    replayed: int
    most_locks: int
    set_aside: str | None = None


# --- The archive ------------------------------------------------------------------------


def read_backup(archive_path: Path, into: Path) -> dict:
    """Check the backup at ``archive_path`` (signature, digests, sizes) and unpack it into
    ``into``; return its signed manifest."""
    try:
        return unpack_signed(
            archive_path,
            into,
            purpose=PURPOSE,
            format_version=READABLE_FORMATS,
            main_member=None,
            compressed=False,
            what="une sauvegarde Quartiers valide",
            folders=(MEDIA, DUMPS),
            names=(DUMP,),
        )
    except UntrustedArchive as error:
        raise BackupError(str(error)) from error


def _schemas_in_dump(dump: Path) -> list[str]:
    """The schemas a format-2 dump creates, read from its table of contents, and public."""
    result = subprocess.run(  # noqa: S603 (our own binary, the dump we unpacked)
        [postgres_binary("pg_restore"), "--list", str(dump)], capture_output=True, check=False
    )
    if result.returncode:
        reason = result.stderr.decode(errors="replace").strip()
        raise RefusedArchive(f"pg_restore a échoué : {reason} Rien n'a été restauré.")
    schemas = [PUBLIC]
    for line in result.stdout.decode(errors="replace").splitlines():
        # "12; 2615 16385 SCHEMA - belleville postgres"
        fields = line.split()
        is_schema = not line.startswith(";") and len(fields) >= 6 and fields[3] == "SCHEMA"
        if is_schema and fields[5] not in schemas:
            schemas.append(fields[5])
    return schemas


def restore_plan(manifest: dict, staged: Path) -> list[tuple[str, Path]]:
    """(schema, dump holding it) in the order of the restore: ``public`` last."""
    invalid = "La sauvegarde est illisible : liste des dumps invalide. Rien n'a été restauré."
    if manifest.get("format") == 2:
        dump = staged / DUMP
        if not dump.is_file():
            raise RefusedArchive(f"La sauvegarde est illisible : {DUMP} manque.")
        plan = [(schema, dump) for schema in _schemas_in_dump(dump)]
    else:
        dumps = manifest.get("dumps")
        if not isinstance(dumps, list) or not dumps:
            raise RefusedArchive(invalid)
        plan = []
        for entry in dumps:
            member = entry.get("member") if isinstance(entry, dict) else None
            schemas = entry.get("schemas") if isinstance(entry, dict) else None
            if not isinstance(member, str) or not isinstance(schemas, list):
                raise RefusedArchive(invalid)
            dump = staged / member
            if not member.startswith(f"{DUMPS}/") or not dump.is_file():
                raise RefusedArchive(invalid)
            plan += [(schema, dump) for schema in schemas]
    names = [schema for schema, _ in plan]
    for name in names:
        if (
            not isinstance(name, str)
            or not SCHEMA_NAME.match(name)
            or name.startswith("pg_")
            or name in (STATE, "information_schema")
        ):
            raise RefusedArchive(f"La sauvegarde nomme un schéma interdit : « {name} ».")
    if len(set(names)) != len(names) or PUBLIC not in names:
        raise RefusedArchive(invalid)
    return [entry for entry in plan if entry[0] != PUBLIC] + [
        entry for entry in plan if entry[0] == PUBLIC
    ]


# --- The target database ---------------------------------------------------------------------


def _exists(database: str) -> bool:
    with admin_connection("postgres") as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        )


def _is_empty(conn: psycopg.Connection) -> bool:
    """No schema but an empty ``public``."""
    if any(schema != PUBLIC for schema in user_schemas(conn)):
        return False
    (tables,) = conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
    ).fetchone()
    return tables == 0


def _unfinished(conn: psycopg.Connection) -> tuple[str, bool] | None:
    """(archive signature, whether the restore created the database) of the unfinished
    restore the database holds, if any."""
    if not conn.execute("SELECT to_regclass(%s)", (f"{STATE}.restore",)).fetchone()[0]:
        return None
    return conn.execute(f"SELECT archive, created FROM {STATE}.restore").fetchone()  # noqa: S608


def _done(conn: psycopg.Connection) -> set[str]:
    return {name for (name,) in conn.execute(f"SELECT name FROM {STATE}.done").fetchall()}  # noqa: S608


def _begin(conn: psycopg.Connection, signature: str, created: bool) -> None:
    conn.execute(f"CREATE SCHEMA {STATE}")
    conn.execute(f"CREATE TABLE {STATE}.restore (archive text NOT NULL, created boolean NOT NULL)")
    conn.execute(f"CREATE TABLE {STATE}.done (name text PRIMARY KEY)")
    conn.execute(f"INSERT INTO {STATE}.restore VALUES (%s, %s)", (signature, created))  # noqa: S608


def _open(database: str, signature: str, progress: Progress) -> tuple[set[str], bool] | None:
    """Get ``database`` ready to restore the archive of ``signature`` into; return the
    schemas already in and whether the restore created the database, or None when the
    database holds something else."""
    created = False
    if not _exists(database):
        progress(f"Création de la base « {database} »…")
        with admin_connection("postgres") as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        created = True
    with admin_connection(database) as conn:
        unfinished = _unfinished(conn)
        if unfinished is not None:
            if unfinished[0] != signature:
                return None
            done = _done(conn)
            progress(f"Reprise de la restauration inachevée : {len(done)} schémas déjà restaurés.")
            return done, unfinished[1]
        if not _is_empty(conn):
            return None
        _begin(conn, signature, created)
    return set(), created


def _drop_database(database: str) -> None:
    with admin_connection("postgres") as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def _swap(target: str, restored: str, progress: Progress) -> str:
    """Give ``restored`` the name ``target``; ``target`` is renamed aside, its sessions
    closed. Return the name it was set aside under."""
    aside = f"{target[:40]}_avant_{timezone.now():%Y%m%d_%H%M%S}"
    target_id, aside_id = sql.Identifier(target), sql.Identifier(aside)
    with admin_connection("postgres") as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(target_id))
        for attempt in range(50):  # a closed session takes a moment to leave
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (target,),
            )
            try:
                conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(target_id, aside_id))
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        conn.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(aside_id))
        conn.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(restored), target_id)
        )
    progress(f"--force : l'ancienne base « {target} » est mise de côté sous « {aside} ».")
    return aside


# --- Replaying one schema ---------------------------------------------------------------


class _Budget:
    """The bytes of SQL a restore may read from its dumps, all schemas together: a dump's
    compressed rows are bounded too, a bomb stops at ``ARCHIVE_MAX_BYTES``."""

    def __init__(self) -> None:
        self.limit, self.read = settings.ARCHIVE_MAX_BYTES, 0

    def count(self, lines: Iterator[bytes], process: subprocess.Popen) -> Iterator[bytes]:
        for line in lines:
            self.read += len(line)
            if self.read > self.limit:
                process.kill()
                raise RefusedArchive(
                    "La base sauvegardée dépasse la taille permise une fois décompressée "
                    f"({self.limit / 1e9:.1f} Go, réglage ARCHIVE_MAX_BYTES) : refusée."
                )
            yield line


def _replay(dump: Path, schema: str, target: psycopg.Connection, budget: _Budget) -> None:
    """Replay the objects of ``schema`` in ``dump`` into ``target``, statement by
    statement, each checked to touch ``schema`` alone.

    ``pg_restore`` only turns the dump into SQL (it never connects): whatever a crafted
    dump holds, only what ``DumpChecker`` allows runs, and a ``COPY`` runs as the one
    line that was checked, its rows fed as data.
    """
    checker = DumpChecker({schema}, restore=True, skip_create_schema=True, creates_schemas=False)
    try:
        binary = postgres_binary("pg_restore")
    except Exception as error:  # PortabilityError, already in French
        raise BackupError(str(error)) from error
    command = [binary, "--no-owner", "--no-privileges", f"--schema={schema}", "--file=-"]
    # No shell; our own binary and the path of the dump we unpacked.
    with subprocess.Popen(  # noqa: S603
        [*command, str(dump)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        lines = budget.count(iter(process.stdout), process)
        pending: list[str] = []

        def run_pending() -> None:
            statements = checker.statements("".join(pending))
            pending.clear()
            if statements:
                target.execute("\n;\n".join(statements))

        for line in lines:
            if line.startswith(b"COPY "):
                run_pending()
                copy_statements = checker.statements(line.decode())
                if len(copy_statements) != 1:
                    raise UnsafeDump("L'archive contient un COPY suivi d'autre chose.")
                with target.cursor().copy(copy_statements[0]) as copy:
                    for row in lines:
                        if row == b"\\.\n":
                            break
                        copy.write(row)
            elif not META_COMMAND.match(line.decode().rstrip("\n")):
                pending.append(line.decode())
        run_pending()
        errors = process.stderr.read().decode(errors="replace").strip()
    if process.returncode:
        raise RefusedArchive(f"pg_restore a échoué : {errors or process.returncode}")


def _after_restore(target: psycopg.Connection) -> None:
    """Checks and clean-up on the restored registry, before it is committed."""
    registry = target.execute("SELECT to_regclass('public.tenants_neighbourhood')").fetchone()[0]
    if registry is None:
        raise RefusedArchive("La sauvegarde ne contient pas le registre des portails.")
    (federations,) = target.execute(
        "SELECT count(*) FROM public.tenants_neighbourhood WHERE kind = 'federation'"
    ).fetchone()
    if federations > 1:
        raise RefusedArchive("La sauvegarde compte plusieurs fédérations : refusée.")
    # The kept dump of the template is replayed, unchecked, by every provisioning: never
    # take it from an archive. The next provisioning dumps the restored template again.
    if target.execute("SELECT to_regclass('public.tenants_templatedump')").fetchone()[0]:
        target.execute("DELETE FROM public.tenants_templatedump")


def _restore_schema(database: str, schema: str, dump: Path, budget: _Budget) -> int:
    """Replay ``schema`` in one transaction of a session of its own (PostgreSQL's
    per-session caches grow with every relation a session creates); return the relation
    locks the transaction held when it committed, its most. ``public`` comes last: its
    transaction also checks the registry and ends the restore."""
    with admin_connection(database) as conn:
        conn.autocommit = False
        if schema != PUBLIC:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        _replay(dump, schema, conn, budget)
        if schema == PUBLIC:
            _after_restore(conn)
            conn.execute(f"DROP SCHEMA {STATE} CASCADE")
        else:
            conn.execute(f"INSERT INTO {STATE}.done VALUES (%s)", (schema,))  # noqa: S608
        (locks,) = conn.execute(
            # One slot of the lock table per relation, whatever the modes held on it.
            "SELECT count(DISTINCT relation) FROM pg_locks "
            "WHERE pid = pg_backend_pid() AND locktype = 'relation'"
        ).fetchone()
        conn.commit()
    return locks


# --- The whole restore ------------------------------------------------------------------------


def _refuse_media_in_place(store: MediaStore, force: bool) -> None:
    if not force and not store.is_empty():
        raise BackupError(
            f"Le stockage des médias « {store} » n'est pas vide : videz-le, ou "
            "ajoutez --force (il sera mis de côté, pas effacé)."
        )


def _put_media_in_place(staged: Path, store: MediaStore, progress: Progress) -> int:
    if not store.is_empty():
        aside = store.set_aside(f"{timezone.now():%Y%m%d-%H%M%S}")
        progress(f"--force : médias en place mis de côté dans {aside}")
    return store.put(staged / MEDIA, "")


def _identity(manifest: dict) -> str:
    """What tells one archive from another (its signed manifest lists every member's
    digest): which archive an unfinished restore is of."""
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()


def _abandon(database: str, created: bool) -> None:
    """Undo a refused restore: drop the database it created, else the schemas it made
    (``public`` comes last, so it was never committed)."""
    if created:
        _drop_database(database)
        return
    with admin_connection(database) as conn:
        for schema in user_schemas(conn):
            if schema != PUBLIC:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def _where(database: str, signature: str, force: bool, progress: Progress) -> tuple:
    """(database to write into, schemas already in, created by the restore, whether to
    swap it with ``database`` at the end)."""
    opened = _open(database, signature, progress)
    if opened is not None:
        return database, *opened, False
    if not force:
        raise BackupError(
            f"La base « {database} » n'est pas vide : restaurez dans une base vide, ou "
            "ajoutez --force pour remplacer tout son contenu (l'ancienne base sera mise de "
            "côté, renommée)."
        )
    scratch = f"{database[:45]}_restauration"
    opened = _open(scratch, signature, progress)
    if opened is None:
        raise BackupError(
            f"La base « {scratch} » existe et ne contient pas une restauration de cette "
            "sauvegarde : supprimez-la, puis relancez."
        )
    progress(f"--force : restauration dans « {scratch} », qui remplacera « {database} ».")
    return scratch, *opened, True


def restore_network(
    archive_path: str | Path,
    *,
    database: str | None = None,
    media_root: str | Path | None = None,
    force: bool = False,
    progress: Progress = quiet,
) -> Restored:
    """Restore a backup into ``database`` (the project's by default) and ``media_root``
    (by default the media store the application serves: ``tenants.media.media_store``),
    as the module's docstring says: one schema a transaction, public last, resumable.

    Raise BackupError (in French) when the archive is not a backup signed by the
    network, was altered, is too large, holds SQL other than a dump of tables, the
    targets are not empty (without ``force``), or the restore stops midway (the message
    says what is left and how to continue).

    Which portal is a neighbourhood and which the federation comes from the registry in
    the signed dump (as it was when backed up), never from the manifest, which only
    describes; a registry with more than one federation is refused.
    """
    archive_path = Path(archive_path)
    target = database or connection.settings_dict["NAME"]
    media = media_store(media_root)
    staged = staging_folder()
    try:
        manifest = read_backup(archive_path, staged)
        plan = restore_plan(manifest, staged)
        portals = manifest.get("portals") or []
        progress(
            f"Sauvegarde du {manifest.get('created_at', '?')} : {len(portals)} portails, "
            f"{len(plan)} schémas."
        )
        _refuse_media_in_place(media, force)
        if target == connection.settings_dict["NAME"]:
            connection.close()  # our own session would hold the database being replaced
        written, done, created, swap = _where(target, _identity(manifest), force, progress)
        budget, most_locks, replayed = _Budget(), 0, 0
        schema = ""
        try:
            for number, (schema, dump) in enumerate(plan, start=1):
                if schema in done:
                    continue
                locks = _restore_schema(written, schema, dump, budget)
                most_locks, replayed = max(most_locks, locks), replayed + 1
                progress(f"  schéma {number}/{len(plan)} : {schema} ({locks} verrous)")
        except (RefusedArchive, UnsafeDump, ValueError) as error:
            _abandon(written, created)
            raise RefusedArchive(
                f"{error} Rien n'a été restauré." if isinstance(error, UnsafeDump) else
                f"La sauvegarde est refusée, rien n'a été restauré : {error}"
            ) from error  # fmt: skip
        except (psycopg.Error, BackupError) as error:
            raise BackupError(
                f"La restauration s'est arrêtée au schéma « {schema} » : {error} La base "
                f"« {written} » n'a pas encore de registre : aucun portail n'en est servi. "
                "Relancez la même commande pour reprendre où elle s'est arrêtée, ou "
                "supprimez cette base."
            ) from error
        progress("Base restaurée.")
        set_aside = _swap(target, written, progress) if swap else None
        files = _put_media_in_place(staged, media, progress)
    finally:
        discard(staged)
    progress(f"Médias restaurés : {files} fichiers dans {media}.")
    return Restored(manifest, target, len(plan), replayed, most_locks, set_aside)
