"""A network restores whatever its number of portals on a default PostgreSQL: each
schema in a transaction of its own (so no transaction holds more than one schema's
locks), public last; a restore that stops is continued by the same command, and an
archive refused midway leaves nothing behind."""

from __future__ import annotations

import io

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from portal.factories import ArticlePageFactory
from tenants.backups import BackupError, backup_network, dump_groups
from tenants.dump_check import DumpChecker, UnsafeDump
from tenants.restores import STATE, restore_network
from tests.tenants.archive_craft import contents_of, craft
from tests.tenants.test_backup_trust import custom_dump_of, database_with

# The test database is set up only for modules that ask for it.
# Lists or backs up every schema of the database: no spare portal schema (tests/portal_pool.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spare_schemas")]

TARGET = "test_quartiers_echelle"


def server(dbname: str = "postgres") -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(
        host=params["host"], port=params.get("port"), user=params["user"], dbname=dbname,
        autocommit=True,
    )  # fmt: skip


def drop(*databases: str) -> None:
    with server() as conn:
        for database in databases:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def databases_like(prefix: str) -> list[str]:
    with server() as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname",
            (f"{prefix}%",),
        ).fetchall()
    return [name for (name,) in rows]


def relations_per_schema(database: str) -> dict[str, int]:
    """Every relation (tables, indexes, sequences, TOAST) of each schema of ``database``."""
    with server(database) as conn:
        rows = conn.execute(
            "SELECT n.nspname, count(*) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema' "
            "GROUP BY n.nspname"
        ).fetchall()
    return dict(rows)


def registry(database: str) -> list[str] | None:
    """The portals of the restored registry, or None when there is no registry."""
    with server(database) as conn:
        if not conn.execute("SELECT to_regclass('public.tenants_neighbourhood')").fetchone()[0]:
            return None
        rows = conn.execute("SELECT schema_name FROM public.tenants_neighbourhood").fetchall()
    return sorted(name for (name,) in rows)


@pytest.fixture(scope="module")
def archive(make_portal, django_db_blocker, tmp_path_factory):
    """A backup of a network of three portals, dumped one schema a dump (a lock budget
    of one table): the most dumps the network can be cut into."""
    for slug in ("delta", "epsilon"):
        make_portal(slug)
    zeta = make_portal("zeta")
    with django_db_blocker.unblock():
        with schema_context(zeta.schema_name):
            ArticlePageFactory(title="Le jardin partagé", slug="jardin")
        connection.set_schema_to_public()
        path = backup_network(tmp_path_factory.mktemp("sauvegardes"), locks=1, jobs=2)
    yield path
    with django_db_blocker.unblock():
        drop(TARGET, f"{TARGET}_restauration", *databases_like(f"{TARGET}_avant_"))


@pytest.fixture
def target(archive, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        drop(TARGET, f"{TARGET}_restauration")
        yield {"database": TARGET, "media_root": tmp_path / "medias"}
        drop(TARGET, f"{TARGET}_restauration")


def test_each_schema_is_dumped_apart_under_a_small_lock_budget(archive):
    manifest, members = contents_of(archive)

    assert {"public", "tpl_neighbourhood", "delta", "epsilon", "zeta"} <= set(manifest["schemas"])
    assert [dump["schemas"] for dump in manifest["dumps"]] == [[s] for s in manifest["schemas"]]
    assert {dump["member"] for dump in manifest["dumps"]} == set(members) - {
        name for name in members if name.startswith("media/")
    }


def test_no_transaction_of_a_restore_holds_more_than_one_schemas_locks(
    archive, django_db_blocker, target
):
    with django_db_blocker.unblock():
        restored = restore_network(archive, **target)
        relations = relations_per_schema(TARGET)
        portals = registry(TARGET)

    network = sum(relations.values())
    largest = max(relations.values())
    assert {"delta", "epsilon", "zeta"} <= set(portals)
    assert restored.replayed == restored.schemas == len(restored.manifest["schemas"])
    # A lock per relation the transaction created, and those of the catalogue it wrote
    # into (the same for any schema): never the network's.
    assert largest < restored.most_locks <= largest + 200, (restored.most_locks, relations)
    assert restored.most_locks < network / 3


def test_an_interrupted_restore_is_never_a_network_and_the_same_command_continues_it(
    archive, django_db_blocker, target
):
    def interrupted_after_two_schemas(message: str) -> None:
        if "schéma 2/" in message:
            raise KeyboardInterrupt  # the operator's Ctrl+C, once two schemas are in

    with django_db_blocker.unblock():
        with pytest.raises(KeyboardInterrupt):
            restore_network(archive, **target, progress=interrupted_after_two_schemas)
        half_done = relations_per_schema(TARGET)
        no_registry = registry(TARGET)

        output = io.StringIO()
        call_command("restore", str(archive), stdout=output, **target)
        portals = registry(TARGET)
        schemas_after = set(relations_per_schema(TARGET))

    assert no_registry is None  # not a network: no host is served from it
    assert STATE in half_done and len(set(half_done) - {STATE, "public"}) == 2
    log = output.getvalue()
    assert "Reprise de la restauration inachevée : 2 schémas déjà restaurés" in log
    assert "schéma 1/" not in log and "schéma 3/" in log
    assert {"delta", "epsilon", "zeta"} <= set(portals)
    assert STATE not in schemas_after


def test_an_archive_refused_midway_leaves_nothing_behind(
    archive, django_db_blocker, target, tmp_path
):
    manifest, members = contents_of(archive)
    # A dump signed with the network's key (a thief's) whose last portal holds a view.
    last = [d for d in manifest["dumps"] if d["schemas"] != ["public"]][-1]
    (schema,) = last["schemas"]
    with django_db_blocker.unblock():
        with database_with(f"CREATE SCHEMA {schema}; CREATE VIEW {schema}.v AS SELECT 1") as name:
            members[last["member"]] = custom_dump_of(name, tmp_path / "piege.dump")
        crafted = craft(tmp_path / "piege.tar", manifest, members, compress=False)
        messages: list[str] = []

        with pytest.raises(BackupError, match="instruction SQL interdite"):
            restore_network(crafted, **target, progress=messages.append)

        assert any("schéma 1/" in message for message in messages)  # schemas were in
        assert databases_like(TARGET) == []
    assert not target["media_root"].exists()


def test_a_forced_restore_sets_the_database_it_replaces_aside(archive, django_db_blocker, target):
    with django_db_blocker.unblock():
        with server() as conn:
            conn.execute(f'CREATE DATABASE "{TARGET}"')
        with server(TARGET) as conn:
            conn.execute("CREATE TABLE public.temoin (a int)")

        restored = restore_network(archive, **target, force=True)
        portals = registry(TARGET)
        with server(restored.set_aside) as conn:
            kept = conn.execute("SELECT to_regclass('public.temoin')").fetchone()[0]
        drop(restored.set_aside)

    assert {"delta", "epsilon", "zeta"} <= set(portals)
    assert restored.set_aside.startswith(f"{TARGET}_avant_")
    assert kept == "temoin"
    assert databases_like(f"{TARGET}_restauration") == []


@pytest.mark.parametrize(
    "sql", ["CREATE SCHEMA autre", "CREATE TABLE public.t (a int)", "CREATE TABLE autre.t (a int)"]
)
def test_a_schemas_replay_may_touch_that_schema_alone(sql):
    checker = DumpChecker({"delta"}, restore=True, skip_create_schema=True, creates_schemas=False)

    with pytest.raises(UnsafeDump):
        checker.statements(sql)


def test_schemas_are_dumped_in_groups_within_the_lock_budget():
    tables = {"public": 20, "tpl": 230, "a": 230, "b": 230, "c": 230, "huge": 900}

    groups = dump_groups(tables, ["public", "tpl", "a", "b", "c", "huge"], budget=500)

    assert groups == [["public", "tpl", "a"], ["b", "c"], ["huge"]]
