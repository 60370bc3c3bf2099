"""A backup is restored only when the network signed it, and even a signed one restores
tables and rows, never code: crafted backups are refused with the databases as they were."""

from __future__ import annotations

import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tenants.backups import BackupError, backup_network
from tenants.portability import client_tool_options, postgres_binary
from tenants.restores import restore_network
from tests.tenants.archive_craft import contents_of, craft

# The test database is set up only for modules that ask for it.
# Lists or backs up every schema of the database: no spare portal schema (tests/portal_pool.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spare_schemas")]

TARGET = "test_quartiers_cible"
SCRATCH = "test_quartiers_piege"
MARKER = Path(tempfile.gettempdir()) / f"quartiers-pwned-{uuid.uuid4().hex}"
BACKUP_MANIFEST = {"format": 2, "purpose": "backup", "created_at": "2026-01-01T03:00:00"}


def server(dbname: str = "postgres") -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(
        host=params["host"], port=params.get("port"), user=params["user"], dbname=dbname,
        autocommit=True,
    )  # fmt: skip


def drop(database: str) -> None:
    with server() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def exists(database: str) -> bool:
    with server() as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        )


@contextmanager
def database_with(sql: str, name: str = SCRATCH) -> Iterator[str]:
    drop(name)
    with server() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    with server(name) as conn:
        conn.execute(sql)
    try:
        yield name
    finally:
        drop(name)


def custom_dump_of(database: str, path: Path) -> bytes:
    options, env = client_tool_options(database)
    command = [postgres_binary("pg_dump"), "--format=custom", "--file", str(path), *options]
    subprocess.run(command, check=True, env=env, capture_output=True)  # noqa: S603
    return path.read_bytes()


def signed_backup_of(sql: str, tmp_path: Path) -> Path:
    """A backup of a database made of ``sql``, signed with the network's key, as a thief
    of the key would make it."""
    with database_with(sql) as name:
        dump = custom_dump_of(name, tmp_path / "piege.dump")
    return craft(tmp_path / "piege.tar", BACKUP_MANIFEST, {"database.dump": dump}, compress=False)


# A registry (public.tenants_neighbourhood) with one neighbourhood, as a backup holds.
REGISTRY = (
    "CREATE TABLE public.tenants_neighbourhood (schema_name text, kind text);"
    "INSERT INTO public.tenants_neighbourhood VALUES ('belleville', 'neighbourhood');"
)


@pytest.fixture
def restore_target(tmp_path, django_db_blocker):
    """A database and media folder to restore into, gone before and after the test."""
    with django_db_blocker.unblock():
        drop(TARGET)
        yield {"database": TARGET, "media_root": tmp_path / "medias"}
        drop(TARGET)


@pytest.fixture(scope="module")
def genuine(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    with django_db_blocker.unblock():
        return backup_network(tmp_path_factory.mktemp("sauvegardes"))


def assert_nothing_restored(target: dict) -> None:
    assert not exists(target["database"])
    assert not target["media_root"].exists()


def test_an_unsigned_backup_is_refused_before_anything_is_touched(
    genuine, tmp_path, restore_target
):
    manifest, members = contents_of(genuine)
    unsigned = craft(tmp_path / "u.tar", manifest, members, signed=False, compress=False)

    with pytest.raises(BackupError, match="non signée par le réseau"):
        restore_network(unsigned, **restore_target)

    assert_nothing_restored(restore_target)


def test_a_backup_altered_after_signing_is_refused(genuine, tmp_path, restore_target):
    manifest, members = contents_of(genuine)
    dump = "database/0001.dump"
    altered = {**members, dump: members[dump][:-16] + bytes(16)}
    archive = craft(tmp_path / "a.tar", manifest, altered, listed=members, compress=False)

    with pytest.raises(BackupError, match="modifiée après sa signature"):
        restore_network(archive, **restore_target)

    assert_nothing_restored(restore_target)


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param(
            "CREATE FUNCTION public.piege() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"COPY (SELECT 1) TO PROGRAM 'touch {MARKER}'; RETURN NEW; END $$;"
            "CREATE TABLE public.t (a int);"
            "CREATE TRIGGER piege BEFORE INSERT ON public.t "
            "FOR EACH ROW EXECUTE FUNCTION public.piege();",
            id="trigger-running-a-program",
        ),
        pytest.param(
            "CREATE TABLE public.t (a text DEFAULT pg_catalog.pg_read_file('/etc/passwd'));",
            id="default-reading-a-file",
        ),
        pytest.param(
            "CREATE TABLE public.t (a int); CREATE VIEW public.v AS SELECT * FROM public.t;",
            id="view",
        ),
    ],
)
def test_a_signed_backup_holding_code_is_refused_and_nothing_is_restored(
    django_db_blocker, tmp_path, restore_target, sql
):
    with django_db_blocker.unblock():
        archive = signed_backup_of(REGISTRY + sql, tmp_path)

        with pytest.raises(BackupError, match="instruction SQL interdite"):
            restore_network(archive, **restore_target)

        assert_nothing_restored(restore_target)
    assert not MARKER.exists()


def test_a_refused_forced_restore_leaves_the_database_as_it_was(
    django_db_blocker, tmp_path, restore_target
):
    with django_db_blocker.unblock():
        archive = signed_backup_of(
            REGISTRY + "CREATE TABLE public.t (a int); CREATE VIEW public.v AS SELECT 1;",
            tmp_path,
        )
        with database_with("CREATE TABLE public.temoin (a int)", TARGET):
            with pytest.raises(BackupError, match="instruction SQL interdite"):
                restore_network(archive, **{**restore_target, "force": True})

            with server(TARGET) as conn:
                kept = conn.execute("SELECT to_regclass('public.temoin')").fetchone()[0]

    assert kept == "temoin"


def test_a_backup_whose_registry_holds_a_second_federation_is_refused(
    django_db_blocker, tmp_path, restore_target
):
    with django_db_blocker.unblock():
        archive = signed_backup_of(
            REGISTRY + "INSERT INTO public.tenants_neighbourhood VALUES "  # noqa: S608
            "('federation', 'federation'), ('belleville2', 'federation');",
            tmp_path,
        )

        with pytest.raises(BackupError, match="plusieurs fédérations"):
            restore_network(archive, **restore_target)

        assert_nothing_restored(restore_target)


def test_a_dump_that_decompresses_past_the_bound_is_refused(
    django_db_blocker, tmp_path, restore_target, settings
):
    with django_db_blocker.unblock():
        archive = signed_backup_of(
            REGISTRY + "CREATE TABLE public.t (a text);"  # noqa: S608
            "INSERT INTO public.t SELECT repeat('x', 1000) FROM generate_series(1, 20000);",
            tmp_path,
        )
        assert archive.stat().st_size < 2 * 1024 * 1024
        settings.ARCHIVE_MAX_BYTES = 4 * 1024 * 1024

        with pytest.raises(BackupError, match="dépasse la taille permise"):
            restore_network(archive, **restore_target)

        assert_nothing_restored(restore_target)


def test_a_genuine_backup_restores(genuine, django_db_blocker, restore_target):
    with django_db_blocker.unblock():
        manifest = restore_network(genuine, **restore_target).manifest

        with server(TARGET) as conn:
            schemas = {
                name for (name,) in conn.execute("SELECT nspname FROM pg_namespace").fetchall()
            }
            kept_dumps = conn.execute("SELECT count(*) FROM public.tenants_templatedump").fetchone()

    assert set(manifest["schemas"]) <= schemas
    assert kept_dumps == (0,)
