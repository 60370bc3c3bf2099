"""A tar's own extended headers are bounded like its members (review2).

Before ``manifest.json`` is even seen, ``tarfile`` reads a pax extended header (type
``x``) or a GNU long name (``L``) whole into memory, whatever size it declares: a few MB
of gzip declaring gigabytes of header kill the importing process (``ARCHIVE_MAX_BYTES``
is 50 GB, a disk bound, not a memory one) before any signature is checked.
"""

from __future__ import annotations

import gzip
import tarfile
import tracemalloc

import pytest

from tenants.archive_trust import UntrustedArchive, staging_folder, unpack_signed

HEADER_BYTES = 64 * 1024 * 1024  # four times MANIFEST_MAX_BYTES


@pytest.mark.parametrize("kind", [tarfile.XHDTYPE, tarfile.GNUTYPE_LONGNAME])
def test_a_huge_tar_header_is_refused_without_being_read_into_memory(tmp_path, kind, settings):
    settings.ARCHIVE_SIGNING_KEY = "k" * 50
    path = tmp_path / "bombe.tar.gz"
    info = tarfile.TarInfo("././@PaxHeader" if kind == tarfile.XHDTYPE else "././@LongLink")
    info.type, info.size = kind, HEADER_BYTES
    with gzip.open(path, "wb") as out:
        out.write(info.tobuf(format=tarfile.USTAR_FORMAT))
        zeros = bytes(1024 * 1024)
        for _ in range(HEADER_BYTES // len(zeros)):
            out.write(zeros)
    assert path.stat().st_size < 1024 * 1024

    tracemalloc.start()
    try:
        with pytest.raises(UntrustedArchive):
            unpack_signed(
                path,
                staging_folder(),
                purpose="export",
                format_version=2,
                main_member="schema.sql",
                compressed=True,
                what="x",
            )
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < HEADER_BYTES // 2, f"{peak / 1e6:.0f} MB held to read one header"
