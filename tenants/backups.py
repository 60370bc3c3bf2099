"""Backing up and restoring the whole network: every schema of the database and every
portal's media, in one timestamped archive.

The archive (``quartiers-AAAAMMJJ-HHMMSS.tar``) holds:

- ``manifest.json``: when, which portals (with their domains and status), which schemas,
  the versions of PostgreSQL, pg_dump, Django, Wagtail and Quartiers;
- ``database.dump``: ``pg_dump --format=custom`` of the whole database (``public``, the
  template schema, the spare clones and every portal), already compressed;
- ``media/``: ``MEDIA_ROOT`` as it is, one folder per schema.

A restore goes into an empty database (created if it does not exist) and an empty media
folder; ``force`` replaces what is there: every schema of the database is dropped first,
and the media folder in place is kept aside, renamed, never deleted. The database part
runs in one transaction (``pg_restore --single-transaction``): a failure leaves the
database as it was. The embedded server's ``pg_dump``/``pg_restore`` are used when there
is one (same version as the server), else those on the PATH.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
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

from tenants.models import Neighbourhood
from tenants.portability import (
    PortabilityError,
    client_tool_options,
    media_member_path,
    postgres_binary,
)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
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
    """Write a backup of the whole network into ``folder``; return the archive's path.

    The archive appears only once complete (written under a temporary name first).
    """
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
        "created_at": timezone.now().isoformat(),
        "database": database,
        "schemas": schemas,
        "portals": portals,
        "media_files": len(files),
        "versions": versions,
    }

    handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    dump = Path(partial + ".dump")
    try:
        _run("pg_dump", ["--format=custom", "--file", str(dump)], database)
        progress(f"Base sauvegardée ({dump.stat().st_size / 1e6:.1f} Mo).")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=DUMP)
            for number, file in enumerate(files, start=1):
                archive.add(file, arcname=f"{MEDIA}/{file.relative_to(media_root).as_posix()}")
                if number % 500 == 0:
                    progress(f"Médias : {number}/{len(files)} fichiers…")
        progress(f"Médias sauvegardés : {len(files)} fichiers.")
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    finally:
        dump.unlink(missing_ok=True)
    progress(f"Sauvegarde écrite : {path}")
    return path


# --- Restore ---------------------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict:
    """The manifest of a backup, after checking the archive holds what a backup holds."""
    invalid = f"« {archive_path.name} » n'est pas une sauvegarde Quartiers valide"
    try:
        with tarfile.open(archive_path, "r") as archive:
            names = set(archive.getnames())
            if MANIFEST not in names or DUMP not in names:
                raise BackupError(f"{invalid} : manifest.json ou database.dump manque.")
            manifest = json.loads(archive.extractfile(MANIFEST).read().decode())
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{invalid} ({error}).") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{invalid} : manifest.json illisible.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{invalid} : format inconnu.")
    return manifest


def _prepare_database(database: str, force: bool, progress: Progress) -> None:
    """Create ``database`` if missing; refuse it if not empty, or empty it with ``force``."""
    with _admin_connection("postgres") as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            progress(f"Création de la base « {database} »…")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            return
    with _admin_connection(database) as conn:
        if _is_empty(conn):
            return
        if not force:
            raise BackupError(
                f"La base « {database} » n'est pas vide : restaurez dans une base vide, ou "
                "ajoutez --force pour remplacer tout son contenu."
            )
        progress(f"--force : suppression de tous les schémas de « {database} »…")
        for schema in _user_schemas(conn):
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        conn.execute("CREATE SCHEMA public")


def _prepare_media(media_root: Path, force: bool, progress: Progress) -> None:
    if media_root.is_dir() and any(media_root.iterdir()):
        if not force:
            raise BackupError(
                f"Le dossier des médias « {media_root} » n'est pas vide : videz-le, ou "
                "ajoutez --force (il sera mis de côté, pas effacé)."
            )
        aside = media_root.with_name(
            f"{media_root.name}.avant-restauration-{timezone.now():%Y%m%d-%H%M%S}"
        )
        media_root.rename(aside)
        progress(f"--force : médias en place mis de côté dans {aside}")
    media_root.mkdir(parents=True, exist_ok=True)


def _restore_media(archive_path: Path, media_root: Path, progress: Progress) -> int:
    count = 0
    with tarfile.open(archive_path, "r") as archive:
        for member in archive:
            if member.name in (MANIFEST, DUMP):
                continue
            if not member.name.startswith(f"{MEDIA}/"):
                raise BackupError(f"Élément inattendu dans l'archive : « {member.name} ».")
            try:
                relative = media_member_path(member.name)
            except PortabilityError as error:  # a path escaping the media folder
                raise BackupError(str(error)) from error
            if member.isdir() or relative is None:
                continue
            if not member.isfile():
                raise BackupError(
                    f"L'archive contient un lien ou un fichier spécial : « {member.name} »."
                )
            destination = media_root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, open(destination, "wb") as out:
                shutil.copyfileobj(source, out)
            count += 1
            if count % 500 == 0:
                progress(f"Médias : {count} fichiers restaurés…")
    return count


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
    a backup, the targets are not empty (without ``force``) or pg_restore fails.
    """
    archive_path = Path(archive_path)
    target = Target(
        database=database or connection.settings_dict["NAME"],
        media_root=Path(media_root or settings.MEDIA_ROOT),
    )
    manifest = read_manifest(archive_path)
    portals = manifest.get("portals") or []
    progress(
        f"Sauvegarde du {manifest.get('created_at', '?')} : {len(portals)} portails "
        f"({', '.join(p.get('schema', '?') for p in portals) or 'aucun'})."
    )
    if target.database == connection.settings_dict["NAME"]:
        # Our own connection would hold the schemas being dropped.
        connection.close()
    _prepare_database(target.database, force, progress)
    _prepare_media(target.media_root, force, progress)

    with tempfile.TemporaryDirectory(prefix="quartiers-restore-") as work:
        dump = Path(work) / DUMP
        with tarfile.open(archive_path, "r") as archive, open(dump, "wb") as out:
            shutil.copyfileobj(archive.extractfile(DUMP), out)
        progress(f"Restauration de la base « {target.database} »…")
        _run(
            "pg_restore",
            ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", str(dump)],
            target.database,
        )
    progress("Base restaurée.")
    files = _restore_media(archive_path, target.media_root, progress)
    progress(f"Médias restaurés : {files} fichiers dans {target.media_root}.")
    return manifest
