"""Backing up and restoring the whole network: every schema of the database and every
portal's media, in one timestamped, signed archive.

The archive (``quartiers-AAAAMMJJ-HHMMSS.tar``, signed as ``tenants.archive_trust``
describes) holds:

- ``manifest.json``: when, which portals (with their domains and status), which schemas,
  the versions of PostgreSQL, pg_dump, Django, Wagtail and Quartiers, and the digest of
  every member; ``manifest.sig``, its signature with the network's key;
- ``database.dump``: ``pg_dump --format=custom`` of the whole database (``public``, the
  template schema and every portal), already compressed;
- ``media/``: ``MEDIA_ROOT`` as it is, one folder per schema.

A restore refuses an archive the network did not sign, or that was altered, before
touching anything. It goes into an empty database (created if it does not exist) and an
empty media folder; ``force`` replaces what is there: every schema of the database is
dropped, and the media folder in place is kept aside, renamed, never deleted.
``pg_restore`` only turns the dump into SQL; the statements are checked one by one
(``tenants.dump_check``: tables, indexes, constraints, rows, nothing that runs code or
touches roles) and replayed in one transaction, the drop of ``force`` included: a
failure leaves the database as it was (a database the restore created is dropped).
The kept dump of the template is never restored: the next provisioning makes it again.
The embedded server's ``pg_dump``/``pg_restore`` are used when there is one (same
version as the server), else those on the PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context
from psycopg import sql

from tenants.archive_trust import (
    MEDIA,
    UntrustedArchive,
    discard,
    signing_key,
    staging_folder,
    unpack_signed,
    write_signed,
)
from tenants.dump_check import DumpChecker, UnsafeDump
from tenants.models import Neighbourhood
from tenants.portability import META_COMMAND, client_tool_options, postgres_binary

FORMAT_VERSION = 2  # 2: signed (version 1 backups were not, and are refused)
PURPOSE = "backup"
DUMP = "database.dump"
# Schemas PostgreSQL itself owns: never dumped as ours, never dropped by a forced restore.
SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that could not be done; the message is in French."""


@dataclass(frozen=True)
class Target:
    """Where a restore writes: a database of the project's server and a media folder."""

    database: str
    media_root: Path


def _quiet(message: str) -> None:
    """The default progress callback: say nothing."""


# --- Talking to PostgreSQL -------------------------------------------------------------


def _run(tool: str, arguments: list[str], database: str) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client tool on ``database``; French error on failure."""
    options, env = client_tool_options(database)
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


def _admin_connection(database: str) -> psycopg.Connection:
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


def _user_schemas(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname <> ALL(%s) "
        "AND nspname NOT LIKE 'pg\\_temp\\_%%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%%' "
        "ORDER BY nspname",
        (list(SYSTEM_SCHEMAS),),
    ).fetchall()
    return [name for (name,) in rows]


def _is_empty(conn: psycopg.Connection) -> bool:
    """No schema but an empty ``public``."""
    schemas = _user_schemas(conn)
    if any(schema != "public" for schema in schemas):
        return False
    (tables,) = conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
    ).fetchone()
    return tables == 0


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


def _portals() -> list[dict]:
    with schema_context(get_public_schema_name()):
        return [
            {
                "schema": portal.schema_name,
                "name": portal.name,
                "kind": portal.kind,
                "status": portal.status,
                "domains": [domain.domain for domain in portal.domains.all()],
            }
            for portal in Neighbourhood.objects.prefetch_related("domains").order_by("schema_name")
        ]


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def backup_network(folder: str | Path, progress: Progress = _quiet) -> Path:
    """Write a signed backup of the whole network into ``folder``; return its path.

    The archive appears only once complete (written under a temporary name first).
    """
    try:
        signing_key()  # before the dump, which takes a while
    except UntrustedArchive as error:
        raise BackupError(str(error)) from error
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    database = connection.settings_dict["NAME"]
    media_root = Path(settings.MEDIA_ROOT)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = folder / f"quartiers-{stamp}.tar"

    with _admin_connection(database) as conn:
        schemas = _user_schemas(conn)
        versions = _versions(conn)
    portals = _portals()
    progress(
        f"Sauvegarde de la base « {database} » : {len(schemas)} schémas, {len(portals)} portails…"
    )
    files = _media_files(media_root)
    manifest = {
        "format": FORMAT_VERSION,
        "purpose": PURPOSE,
        "created_at": timezone.now().isoformat(),
        "database": database,
        "schemas": schemas,
        "portals": portals,
        "media_files": len(files),
        "versions": versions,
    }
    handle, dump_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".dump")
    os.close(handle)
    dump = Path(dump_name)
    try:
        _run("pg_dump", ["--format=custom", "--file", str(dump)], database)
        progress(f"Base sauvegardée ({dump.stat().st_size / 1e6:.1f} Mo).")
        members: list[tuple[str, Path | bytes]] = [(DUMP, dump)]
        members += [(f"{MEDIA}/{file.relative_to(media_root).as_posix()}", file) for file in files]
        write_signed(path, manifest, members, compress=False)
    except UntrustedArchive as error:  # no signing key
        raise BackupError(str(error)) from error
    finally:
        dump.unlink(missing_ok=True)
    progress(f"Médias sauvegardés : {len(files)} fichiers.")
    progress(f"Sauvegarde écrite : {path}")
    return path


# --- Restore ---------------------------------------------------------------------------


def read_backup(archive_path: Path, into: Path) -> dict:
    """Check the backup at ``archive_path`` (signature, digests, sizes) and unpack it into
    ``into``; return its signed manifest."""
    try:
        return unpack_signed(
            archive_path,
            into,
            purpose=PURPOSE,
            format_version=FORMAT_VERSION,
            main_member=DUMP,
            compressed=False,
            what="une sauvegarde Quartiers valide",
        )
    except UntrustedArchive as error:
        raise BackupError(str(error)) from error


def _refuse_media_in_place(media_root: Path, force: bool) -> None:
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(
            f"Le dossier des médias « {media_root} » n'est pas vide : videz-le, ou "
            "ajoutez --force (il sera mis de côté, pas effacé)."
        )


def _open_target(database: str, force: bool, progress: Progress) -> tuple[psycopg.Connection, bool]:
    """A connection in a transaction to ``database`` (created if missing), and whether it
    was created. A database that is not empty is refused without ``force``; with it, its
    schemas are dropped inside the transaction, so a failed restore leaves them in place."""
    created = False
    with _admin_connection("postgres") as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            progress(f"Création de la base « {database} »…")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            created = True
    target = _admin_connection(database)
    target.autocommit = False
    if not _is_empty(target):
        if not force:
            target.close()
            raise BackupError(
                f"La base « {database} » n'est pas vide : restaurez dans une base vide, ou "
                "ajoutez --force pour remplacer tout son contenu."
            )
        progress(f"--force : suppression de tous les schémas de « {database} »…")
        for schema in _user_schemas(target):
            target.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        target.execute("CREATE SCHEMA public")
    return target, created


def _drop_database(database: str) -> None:
    """Drop a database this restore created, so that a failure leaves nothing behind."""
    with _admin_connection("postgres") as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def _replay_backup(dump: Path, target: psycopg.Connection) -> None:
    """Replay the backup's dump into ``target``, statement by statement, each checked.

    ``pg_restore`` only turns the dump into SQL (it never connects): whatever a crafted
    dump holds, only what ``DumpChecker`` allows runs, and a ``COPY`` runs as the one
    line that was checked, its rows fed as data.
    """
    checker = DumpChecker({"public"}, restore=True)
    try:
        binary = postgres_binary("pg_restore")
    except Exception as error:  # PortabilityError, already in French
        raise BackupError(str(error)) from error
    command = [binary, "--no-owner", "--no-privileges", "--file=-"]
    limit, read = settings.ARCHIVE_MAX_BYTES, 0
    # No shell; our own binary and the path of the dump we unpacked.
    with subprocess.Popen(  # noqa: S603
        [*command, str(dump)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        lines = iter(process.stdout)
        pending: list[str] = []

        def counted(line: bytes) -> bytes:
            # A dump's compressed rows are bounded too: a bomb stops here, rolled back.
            nonlocal read
            read += len(line)
            if read > limit:
                process.kill()
                raise BackupError(
                    "La base sauvegardée dépasse la taille permise une fois décompressée "
                    f"({limit / 1e9:.1f} Go, réglage ARCHIVE_MAX_BYTES) : refusée."
                )
            return line

        def run_pending() -> None:
            statements = checker.statements("".join(pending))
            pending.clear()
            if statements:
                target.execute("\n;\n".join(statements))

        for line in map(counted, lines):
            if line.startswith(b"COPY "):
                run_pending()
                copy_statements = checker.statements(line.decode())
                if len(copy_statements) != 1:
                    raise UnsafeDump("L'archive contient un COPY suivi d'autre chose.")
                with target.cursor().copy(copy_statements[0]) as copy:
                    for row in map(counted, lines):
                        if row == b"\\.\n":
                            break
                        copy.write(row)
            elif not META_COMMAND.match(line.decode().rstrip("\n")):
                pending.append(line.decode())
        run_pending()
        errors = process.stderr.read().decode(errors="replace").strip()
    if process.returncode:
        raise BackupError(f"pg_restore a échoué : {errors or process.returncode}")


def _after_restore(target: psycopg.Connection) -> None:
    """Checks and clean-up on the restored registry, before it is committed."""
    registry = target.execute("SELECT to_regclass('public.tenants_neighbourhood')").fetchone()[0]
    if registry is None:
        raise BackupError("La sauvegarde ne contient pas le registre des portails.")
    (federations,) = target.execute(
        "SELECT count(*) FROM public.tenants_neighbourhood WHERE kind = 'federation'"
    ).fetchone()
    if federations > 1:
        raise BackupError("La sauvegarde compte plusieurs fédérations : refusée.")
    # The kept dump of the template is replayed, unchecked, by every provisioning: never
    # take it from an archive. The next provisioning dumps the restored template again.
    if target.execute("SELECT to_regclass('public.tenants_templatedump')").fetchone()[0]:
        target.execute("DELETE FROM public.tenants_templatedump")


def _put_media_in_place(staged: Path, media_root: Path, progress: Progress) -> int:
    if media_root.is_dir() and any(media_root.iterdir()):
        aside = media_root.with_name(
            f"{media_root.name}.avant-restauration-{timezone.now():%Y%m%d-%H%M%S}"
        )
        media_root.rename(aside)
        progress(f"--force : médias en place mis de côté dans {aside}")
    media_root.parent.mkdir(parents=True, exist_ok=True)
    source = staged / MEDIA
    if source.is_dir():
        shutil.copytree(source, media_root, dirs_exist_ok=True)
    else:
        media_root.mkdir(exist_ok=True)
    return sum(1 for path in media_root.rglob("*") if path.is_file())


def restore_network(
    archive_path: str | Path,
    *,
    database: str | None = None,
    media_root: str | Path | None = None,
    force: bool = False,
    progress: Progress = _quiet,
) -> dict:
    """Restore a backup into ``database`` (the project's by default) and ``media_root``.

    Return the archive's manifest. Raise BackupError (in French) when the archive is not
    a backup signed by the network, was altered, is too large, holds SQL other than a
    dump of tables, the targets are not empty (without ``force``) or the replay fails;
    then the database and the media are left as they were.

    Which portal is a neighbourhood and which the federation comes from the registry in
    the signed dump (as it was when backed up), never from the manifest, which only
    describes; a registry with more than one federation is refused.
    """
    archive_path = Path(archive_path)
    target = Target(
        database=database or connection.settings_dict["NAME"],
        media_root=Path(media_root or settings.MEDIA_ROOT),
    )
    staged = staging_folder()
    try:
        manifest = read_backup(archive_path, staged)
        portals = manifest.get("portals") or []
        progress(
            f"Sauvegarde du {manifest.get('created_at', '?')} : {len(portals)} portails "
            f"({', '.join(str(p.get('schema', '?')) for p in portals) or 'aucun'})."
        )
        _refuse_media_in_place(target.media_root, force)
        if target.database == connection.settings_dict["NAME"]:
            # Our own connection would hold the schemas being dropped.
            connection.close()
        conn, created = _open_target(target.database, force, progress)
        try:
            progress(f"Restauration de la base « {target.database} »…")
            _replay_backup(staged / DUMP, conn)
            _after_restore(conn)
            conn.commit()
        except BaseException as error:
            conn.rollback()
            conn.close()
            if created:
                _drop_database(target.database)
            if isinstance(error, UnsafeDump):
                raise BackupError(f"{error} Rien n'a été restauré.") from error
            if isinstance(error, ValueError):  # SQL that is not UTF-8
                raise BackupError(
                    f"La sauvegarde est illisible, rien n'a été restauré : {error}"
                ) from error
            if isinstance(error, psycopg.Error):
                raise BackupError(
                    f"La restauration a échoué, rien n'a été restauré : {error}"
                ) from error
            raise
        conn.close()
        progress("Base restaurée.")
        files = _put_media_in_place(staged, target.media_root, progress)
    finally:
        discard(staged)
    progress(f"Médias restaurés : {files} fichiers dans {target.media_root}.")
    return manifest
