"""One test database built per version of the code, copied by every session and worker.

Building a test database means running every migration of ``public`` and of the template
schema, then furnishing the template (its page tree, groups, dump): about 30 s of CPU on
this machine, minutes when it is loaded, and with ``pytest -n 2`` the second worker sat
idle while the first did it. Now the first session (or xdist worker) to take the lock
builds its database and leaves a copy of it (the *seed*, ``test_<name>_seed``); every
other worker, and every later session, takes its own database from that copy with
``CREATE DATABASE … TEMPLATE``, a file copy of a second or two, then runs its tests on it
as before. Each worker still has its own database: nothing is shared while tests run.

The seed is labelled with a hash of everything the build depends on (``build_key``): the
project's code and migrations, the tests' settings and fixtures that build it, the
installed packages, the server's version. Change any of it and the next session builds
the database again, and replaces the seed; a seed left by an interrupted build has no
label and is never copied. ``--create-db`` builds it again whatever the label says.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import importlib.metadata
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

# What ``build_key`` reads: the files that can change what a build makes (migrations,
# models, the default portal's furnishing, the settings, the data files they load), under
# the project's folders but those below; of the tests', only the settings, the fixtures
# that build, and the apps that exist for the tests (their migrations run in the build).
KEY_SUFFIXES = {".py", ".json", ".yaml", ".yml", ".csv", ".toml", ".sql", ".txt", ".po", ".mo"}
KEY_SKIPPED = {".git", ".venv", "var", "bench", "docs", "node_modules", "tests", "__pycache__"}
KEY_TEST_FILES = ("tests/settings.py", "tests/conftest.py", "tests/seed_database.py")
KEY_TEST_FOLDERS = ("tests/pinboard",)

# What setup_databases returns and teardown_databases takes: (connection, old name, drop).
DatabaseConfig = list[tuple[object, str, bool]]

# Cloning a schema reads PostgreSQL's catalog hundreds of times. A test session creates
# and drops schemas far faster than autovacuum tidies up after it, and a bloated catalog
# made each clone 20 times slower by the end of the suite: tidy it ourselves.
CATALOG_TABLES = [
    "pg_class",
    "pg_attribute",
    "pg_depend",
    "pg_type",
    "pg_constraint",
    "pg_index",
    "pg_attrdef",
    "pg_namespace",
    "pg_sequence",
    "pg_trigger",
    "pg_description",
    "pg_statistic",
    "pg_shdepend",
]


def tidy_catalog() -> None:
    """VACUUM ANALYZE the catalog tables that schema creation and removal churn, then
    start a new database session: a session that saw thousands of relations come and go
    keeps caches that make each later DROP SCHEMA take seconds."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + ", ".join(f"pg_catalog.{t}" for t in CATALOG_TABLES))
    connection.close()


def build_test_database(*, verbosity: int = 0, keepdb: bool = False) -> DatabaseConfig:
    """Create the test database and run every migration (Django's ``setup_databases``),
    then build the template schema every portal is cloned from, and tidy the catalogue."""
    from django.test.utils import setup_databases

    from tenants.template_schema import ensure_template_schema

    config = setup_databases(verbosity=verbosity, interactive=False, keepdb=keepdb)
    ensure_template_schema(verbosity=0)
    tidy_catalog()
    return config


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """One worker at a time (a lock on a file: released by the system if the worker dies)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _seed_label(cursor, seed: str) -> str | None:
    """The key the seed was built for (``build_key``), or None if there is no seed."""
    cursor.execute(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '')"
        " FROM pg_database WHERE datname = %s",
        [seed],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _use(test_name: str) -> DatabaseConfig:
    """Point Django at the test database ``test_name``, as ``create_test_db`` does."""
    old_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    return [(connection, old_name, True)]


def _key_files(base_dir: Path) -> list[Path]:
    """The files ``build_key`` hashes, sorted."""
    found = [base_dir / name for name in KEY_TEST_FILES]
    roots = [base_dir / name for name in KEY_TEST_FOLDERS]
    roots += [path for path in base_dir.iterdir() if path.name not in KEY_SKIPPED]
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for path in root.rglob("*"):
            relative = path.relative_to(base_dir).parts
            if path.suffix in KEY_SUFFIXES and not KEY_SKIPPED.intersection(relative[1:-1]):
                found.append(path)
    return sorted(path for path in found if path.is_file())


def build_key(base_dir: Path, server_version: int) -> str:
    """A hash of what a test database's build depends on: the content of the project's
    files that can change it (``KEY_SUFFIXES``, out of ``KEY_SKIPPED``), the installed
    packages and their versions, Python's and the server's versions. Equal keys, equal
    builds: the seed labelled with it is copied instead of built again."""
    digest = hashlib.sha256(f"{sys.version}\n{server_version}\n".encode())
    for path in _key_files(base_dir):
        digest.update(str(path.relative_to(base_dir)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(installed_packages().encode())
    return digest.hexdigest()


@functools.cache
def installed_packages() -> str:
    """Each installed distribution and its version, one a line, sorted. Read once a
    process: reading every package's metadata took 0.2 s of CPU, and a key is computed
    more than once (the session's start, ``tests/test_seed_database.py`` a dozen times);
    what is installed does not change while a process runs."""
    return "\n".join(
        sorted(
            f"{dist.metadata['Name']}=={dist.version}"
            for dist in importlib.metadata.distributions()
        )
    )


def setup_database_from_seed(
    build: Callable[[], DatabaseConfig],
    *,
    lock_file: Path,
    worker: str | None = None,
    rebuild: bool = False,
) -> DatabaseConfig:
    """This session's test database: copied from the seed if one was built from the same
    code (``build_key``), else built by ``build`` (which returns ``setup_databases``'
    configuration) and left as the seed for the other workers and later sessions (always
    with ``rebuild``). Returns the configuration ``teardown_databases`` takes."""
    test_name = connection.creation._get_test_db_name()
    seed = (test_name.removesuffix(f"_{worker}") if worker else test_name) + "_seed"
    with _exclusive(lock_file):
        with connection._nodb_cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            key = build_key(Path(settings.BASE_DIR), int(cursor.fetchone()[0]))
            label = _seed_label(cursor, seed)
            if label == key and not rebuild:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)}")
                cursor.execute(f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(seed)}")
                copied = True
            else:
                # None yet, one of other code, or one an interrupted build left unlabelled:
                # built again below.
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(seed)}")
                copied = False
        if copied:
            return _use(test_name)
        config = build()
        # CREATE DATABASE … TEMPLATE needs the source without any session.
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {_quote(seed)} TEMPLATE {_quote(test_name)}")
            # Labelled last: a build interrupted before this line leaves no seed to copy.
            cursor.execute(f"COMMENT ON DATABASE {_quote(seed)} IS %s", [key])
        connection.ensure_connection()
        return config


def end_other_sessions(*, patience: float = 10.0) -> list[str]:
    """Close what other sessions still hold the test database, before it is dropped.

    A thread of a live server may still be finishing a browser's last request (it keeps
    its connection for CONN_MAX_AGE): DROP DATABASE waits only five seconds for it, then
    fails the whole run at its very end. Sessions still there after ``patience`` seconds
    are ended; what they last ran is returned, so a leak stays visible.
    """
    name = connection.settings_dict["NAME"]
    others = (
        "SELECT pid, coalesce(application_name, ''), state, left(query, 200)"
        " FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    )
    deadline = time.monotonic() + patience
    with connection._nodb_cursor() as cursor:
        while True:
            cursor.execute(others, [name])
            rows = cursor.fetchall()
            if not rows or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        for pid, *_ in rows:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    return [f"{application} ({state}): {query}" for _, application, state, query in rows]


def prebuild(lock_file: Path) -> bool:
    """Build the seed now unless the one there was built from the same code; True if it
    built. ``make test`` runs this (``python -m tests.seed_database``) beside the lint, so
    that the build overlaps the lint and the workers' start instead of one worker building
    while the other waits: the workers then find the seed, or wait on the lock for it."""
    from django.test.utils import teardown_databases

    name = connection.creation._get_test_db_name()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{name}_prebuild"
    with _exclusive(lock_file), connection._nodb_cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        key = build_key(Path(settings.BASE_DIR), int(cursor.fetchone()[0]))
        if _seed_label(cursor, f"{name}_seed") == key:
            return False
    config = setup_database_from_seed(build_test_database, lock_file=lock_file, worker="prebuild")
    connections.close_all()
    teardown_databases(config, verbosity=0)
    return True


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    built = prebuild(Path(settings.BASE_DIR) / "var/test-seed.lock")
    sys.stdout.write("Base de test construite.\n" if built else "Base de test déjà prête.\n")
