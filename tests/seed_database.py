"""One test database built per run, copied to every other xdist worker.

Building a test database means running every migration of ``public`` and of the template
schema, then furnishing the template (its page tree, groups, dump): minutes of work on
this machine, and with ``pytest -n 2`` both workers used to do it at once, each for its
own database. Now the first worker to take the lock builds its database and leaves a copy
of it (the *seed*); every other worker of the same run takes its own database from that
copy with ``CREATE DATABASE … TEMPLATE``, a file copy of a few seconds, then runs its
tests on it as before. Each worker still has its own database: nothing is shared while
tests run.

The seed is labelled with xdist's run id: a seed left by an interrupted run is never
copied, it is rebuilt. Without xdist (``-p no:xdist``, ``-n 0``) nothing changes.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

RUN_ID_VARIABLE = "PYTEST_XDIST_TESTRUNUID"

# What setup_databases returns and teardown_databases takes: (connection, old name, drop).
DatabaseConfig = list[tuple[object, str, bool]]


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
    """The run id the seed was built for, or None if there is no seed."""
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


def setup_worker_database(
    build: Callable[[], DatabaseConfig], *, worker: str, lock_file: Path
) -> tuple[DatabaseConfig, bool]:
    """This worker's test database: copied from this run's seed if a worker built one,
    else built by ``build`` (which returns ``setup_databases``' configuration) and left as
    the seed for the others. Returns the configuration ``teardown_databases`` takes, and
    whether this worker built the seed (it drops it at the end: ``drop_seed``)."""
    run_id = os.environ.get(RUN_ID_VARIABLE, "")
    test_name = connection.creation._get_test_db_name()
    seed = test_name.removesuffix(f"_{worker}") + "_seed"
    with _exclusive(lock_file):
        with connection._nodb_cursor() as cursor:
            label = _seed_label(cursor, seed)
            if label is not None and label == run_id:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)}")
                cursor.execute(f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(seed)}")
                copied = True
            else:
                # None yet, or one an interrupted run left: built again below.
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(seed)}")
                copied = False
        if copied:
            return _use(test_name), False
        config = build()
        # CREATE DATABASE … TEMPLATE needs the source without any session.
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {_quote(seed)} TEMPLATE {_quote(test_name)}")
            cursor.execute(f"COMMENT ON DATABASE {_quote(seed)} IS %s", [run_id])
        connection.ensure_connection()
        return config, True


def drop_seed(*, worker: str) -> None:
    """Drop this run's seed (by the worker that built it, at the end of its session)."""
    test_name = connection.creation._get_test_db_name()
    seed = test_name.removesuffix(f"_{worker}") + "_seed"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(seed)}")


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
