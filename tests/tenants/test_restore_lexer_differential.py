"""A signed backup cannot make PostgreSQL read a statement differently from the checker.

``DumpChecker`` parses with ``standard_conforming_strings`` on (libpg_query's only mode);
``_replay_backup`` runs the dump in several batches (one per ``COPY``), so a ``SET
standard_conforming_strings = off`` in one batch changes how the server reads the next:
``'\\'`` is a whole string to the checker, an escaped quote to the server, and the rest of
an "INSERT of constants" becomes statements of the attacker's choosing.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest

from tenants.backups import BackupError
from tenants.restores import restore_network
from tests.tenants.archive_craft import craft
from tests.tenants.test_backup_trust import (
    BACKUP_MANIFEST,
    REGISTRY,
    custom_dump_of,
    database_with,
    restore_target,  # noqa: F401 (fixture)
)

# Lists or backs up every schema of the database: no spare portal schema (tests/portal_pool.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spare_schemas")]

MARKER = Path(tempfile.gettempdir()) / f"quartiers-scs-{uuid.uuid4().hex}"
PAD = "P" * 300


def _same_length(data: bytes, start: bytes, end: bytes, replacement: str) -> bytes:
    """``data`` with the text from ``start`` to ``end`` (included) replaced by
    ``replacement`` padded with spaces to the same length (a TOC entry of a custom dump
    is a length-prefixed string: same length, same archive structure)."""
    begin = data.index(start)
    stop = data.index(end, begin) + len(end)
    original = data[begin:stop]
    new = replacement.encode()
    assert len(new) <= len(original), (len(new), len(original))
    return data[:begin] + new + b" " * (len(original) - len(new)) + data[stop:]


def test_standard_conforming_strings_off_cannot_smuggle_statements(
    django_db_blocker,
    tmp_path,
    restore_target,  # noqa: F811
):
    sql = (
        REGISTRY + "CREATE TABLE public.u (a text);"
        f"COMMENT ON TABLE public.u IS '{PAD}';"
        f"CREATE INDEX u_pad ON public.u ((a || '{PAD}'));"
    )
    with django_db_blocker.unblock():
        with database_with(sql) as name:
            dump = custom_dump_of(name, tmp_path / "piege.dump")
        # Pre-data (before the registry's COPY): the switch. Post-data (after it): the
        # INSERT the checker reads as two constants and the server as INSERT; COPY … PROGRAM.
        dump = _same_length(
            dump, b"COMMENT ON TABLE public.u", b"';", "SET standard_conforming_strings = off;"
        )
        dump = _same_length(
            dump,
            b"CREATE INDEX u_pad",
            b");",
            "INSERT INTO public.u VALUES ('\\', '); "  # noqa: S608 (the attack itself)
            f"COPY (SELECT 1) TO PROGRAM $$touch {MARKER}$$; --');",
        )
        archive = craft(
            tmp_path / "piege.tar", BACKUP_MANIFEST, {"database.dump": dump}, compress=False
        )
        try:
            restore_network(archive, **restore_target)
            refused = False
        except BackupError:
            refused = True

    ran = MARKER.exists()
    MARKER.unlink(missing_ok=True)
    assert not ran, "a signed backup ran a program on the database server"
    assert refused
