"""Archives the network trusts: signed with the network's key, read within size bounds.

An export (``.tar.gz``) or a backup (``.tar``) starts with two members: ``manifest.json``,
which lists every other member with its size and SHA-256, and ``manifest.sig``, an
HMAC-SHA256 of the manifest's bytes under ``settings.ARCHIVE_SIGNING_KEY``. The manifest
also says what the archive is (``purpose``: an export or a backup), so one kind cannot
be passed off as the other.

Reading an archive streams it once, in order: the manifest and its signature are checked
before any other byte is read; then each member is written to a staging folder while its
digest is computed, and compared with the signed one. Bytes are counted as they are
decompressed and each member's declared size is checked before it is read, so a gzip
bomb stops at ``ARCHIVE_MAX_BYTES`` instead of filling the disk. Nothing of an archive is
used before all of it has been checked.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.utils import timezone

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# Where every archive (export or backup) keeps the portals' uploaded files.
MEDIA = "media"
# The manifest lists every media file: a few MB covers hundreds of thousands of them.
MANIFEST_MAX_BYTES = 16 * 1024 * 1024
CHUNK = 1024 * 1024


class UntrustedArchive(Exception):
    """An archive that is not signed by the network, altered, or too large (in French)."""


def signing_key() -> bytes:
    """The network's archive key; raise UntrustedArchive (in French) when there is none."""
    if not settings.ARCHIVE_SIGNING_KEY:
        raise UntrustedArchive(
            "DJANGO_ENV=production exige une variable d'environnement ARCHIVE_SIGNING_KEY "
            "(au moins 50 caractères aléatoires, la même sur chaque serveur du réseau) pour "
            "signer ou lire une archive."
        )
    return settings.ARCHIVE_SIGNING_KEY.encode()


def signature_of(data: bytes) -> str:
    """The HMAC-SHA256 of ``data`` under the network's archive key, in hexadecimal."""
    return hmac.new(signing_key(), data, hashlib.sha256).hexdigest()


def _digest(source: Path | bytes) -> tuple[int, str]:
    if isinstance(source, bytes):
        return len(source), hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    with open(source, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return source.stat().st_size, digest.hexdigest()


def _add(archive: tarfile.TarFile, name: str, size: int, content: BinaryIO) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, content)


def write_signed(
    path: str | Path,
    manifest: dict,
    members: list[tuple[str, Path | bytes]],
    *,
    compress: bool,
) -> Path:
    """Write a signed archive of ``members`` (name, file or bytes) at ``path``.

    The manifest gets the list of members with their sizes and digests, then is signed.
    The archive appears only once complete (written under a temporary name first).
    """
    path = Path(path)
    listed = {}
    for name, source in members:
        size, sha256 = _digest(source)
        listed[name] = {"size": size, "sha256": sha256}
    data = json.dumps({**manifest, "members": listed}, ensure_ascii=False, indent=2).encode()
    signature = signature_of(data).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    try:
        with tarfile.open(partial, "w:gz" if compress else "w") as archive:
            _add(archive, MANIFEST, len(data), io.BytesIO(data))
            _add(archive, SIGNATURE, len(signature), io.BytesIO(signature))
            for name, source in members:
                if isinstance(source, bytes):
                    _add(archive, name, len(source), io.BytesIO(source))
                else:
                    with open(source, "rb") as content:
                        _add(archive, name, listed[name]["size"], content)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path


# --- Reading ---------------------------------------------------------------------------


# A tar's own headers (pax extended headers, GNU long names) hold a name and a few
# attributes: tarfile reads each whole into memory, so each is bounded on its own.
HEADER_MAX_BYTES = 1024 * 1024
_EXTENDED_HEADERS = {
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
}


class _BoundedTarInfo(tarfile.TarInfo):
    """A tar header whose extended headers are refused past ``HEADER_MAX_BYTES`` before
    they are read (tarfile would read one of any declared size into memory), and that
    refuses sparse members (never written by us) before reading their extra blocks."""

    def _proc_member(self, archive: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type == tarfile.GNUTYPE_SPARSE:
            raise UntrustedArchive("L'archive contient un élément « sparse » : refusée.")
        if self.type in _EXTENDED_HEADERS and self.size > HEADER_MAX_BYTES:
            raise UntrustedArchive("L'archive contient un en-tête démesuré : refusée.")
        return super()._proc_member(archive)


class _Bounded:
    """A binary stream that refuses to give more than ``limit`` bytes in all."""

    def __init__(self, raw: BinaryIO, limit: int, refusal: str) -> None:
        self.raw, self.limit, self.refusal, self.count = raw, limit, refusal, 0

    def read(self, size: int = -1) -> bytes:
        # Never ask for more than one byte past the bound: a bomb is never unpacked whole.
        allowed = self.limit - self.count + 1
        data = self.raw.read(allowed if size is None or size < 0 else min(size, allowed))
        self.count += len(data)
        if self.count > self.limit:
            raise UntrustedArchive(self.refusal)
        return data


def member_path(name: str) -> PurePosixPath:
    """The relative path of a member; raise for an absolute path or one that climbs."""
    parts = PurePosixPath(name)
    if not name or parts.is_absolute() or ".." in parts.parts or "\\" in name:
        raise UntrustedArchive(f"L'archive contient un chemin interdit : « {name} ».")
    return parts


def _copy_checked(source: BinaryIO, destination: Path, expected: dict) -> None:
    digest = hashlib.sha256()
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if not hmac.compare_digest(digest.hexdigest(), str(expected.get("sha256", ""))):
        raise UntrustedArchive(
            f"L'archive a été modifiée après sa signature : « {destination.name} » ne "
            "correspond plus. Refusée."
        )


def _read_small(
    archive: tarfile.TarFile, member: tarfile.TarInfo | None, name: str, invalid: str
) -> bytes:
    if member is None or member.name != name or not member.isfile():
        raise UntrustedArchive(
            f"{invalid} : manifest.json manque en tête, ou sa signature manifest.sig "
            "(archive non signée par le réseau)."
        )
    if member.size > MANIFEST_MAX_BYTES:
        raise UntrustedArchive(f"L'archive est refusée : {name} est trop volumineux.")
    return archive.extractfile(member).read()


def unpack_signed(
    path: str | Path,
    into: Path,
    *,
    purpose: str,
    format_version: int | tuple[int, ...],
    main_member: str | None,
    compressed: bool,
    what: str,
    folders: tuple[str, ...] = (MEDIA,),
    names: tuple[str, ...] = (),
) -> dict:
    """Check the archive at ``path`` and unpack its members into the folder ``into``.

    Return the signed manifest. Raise UntrustedArchive (in French) if the archive is not
    signed with the network's key, was altered, is not a ``purpose`` archive of
    ``format_version`` (one version, or any of several), holds anything but
    ``main_member``, ``names`` and files under ``folders``, lacks ``main_member`` (when there must
    be one: a caller that reads several formats checks its own members), or is larger
    than the bounds; the caller deletes ``into`` then. ``what`` names what the archive
    should be, for the messages (« une sauvegarde Quartiers valide »).
    """
    versions = format_version if isinstance(format_version, tuple) else (format_version,)
    path = Path(path)
    invalid = f"« {path.name} » n'est pas {what}"
    total = settings.ARCHIVE_MAX_BYTES
    too_large = (
        f"L'archive « {path.name} » dépasse la taille permise une fois décompressée "
        f"({total / 1e9:.1f} Go, réglage ARCHIVE_MAX_BYTES) : refusée."
    )
    try:
        with open(path, "rb") as raw:
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            bounded = _Bounded(stream, total, too_large)
            with tarfile.open(fileobj=bounded, mode="r|", tarinfo=_BoundedTarInfo) as archive:
                members = iter(archive)
                data = _read_small(archive, next(members, None), MANIFEST, invalid)
                signature = _read_small(archive, next(members, None), SIGNATURE, invalid)
                if not hmac.compare_digest(signature_of(data).encode(), signature.strip()):
                    raise UntrustedArchive(
                        f"La signature de « {path.name} » ne correspond pas : archive modifiée "
                        "ou faite par un autre réseau (clé ARCHIVE_SIGNING_KEY). Refusée."
                    )
                manifest = json.loads(data.decode())
                if not isinstance(manifest, dict) or manifest.get("purpose") != purpose:
                    raise UntrustedArchive(f"{invalid} : c'est une archive d'un autre type.")
                listed = manifest.get("members") or {}
                if not isinstance(listed, dict) or not all(
                    isinstance(entry, dict) for entry in listed.values()
                ):
                    raise UntrustedArchive(f"{invalid} : liste des éléments illisible.")
                _unpack_members(archive, members, listed, into)
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        raise UntrustedArchive(f"{invalid} ({error}).") from error
    if manifest.get("format") not in versions:
        raise UntrustedArchive(f"{invalid} : format inconnu.")
    if main_member is not None and not (into / main_member).is_file():
        raise UntrustedArchive(f"{invalid} : {main_member} manque.")
    for name in listed:
        allowed = name == main_member or name in names
        if not allowed and not any(name.startswith(f"{top}/") for top in folders):
            raise UntrustedArchive(f"{invalid} : élément inattendu « {name} ».")
    return manifest


def _unpack_members(archive: tarfile.TarFile, members: object, expected: dict, into: Path) -> None:
    largest = settings.ARCHIVE_MAX_MEMBER_BYTES
    seen: set[str] = set()
    for member in members:
        target = into / member_path(member.name)
        signed = expected.get(member.name)
        if signed is None or member.name in seen or not member.isfile():
            raise UntrustedArchive(
                f"L'archive contient un élément non signé : « {member.name} ». Refusée."
            )
        if member.size > largest:
            raise UntrustedArchive(
                f"L'élément « {member.name} » est trop volumineux ({member.size / 1e9:.1f} Go, "
                f"limite {largest / 1e9:.1f} Go, réglage ARCHIVE_MAX_MEMBER_BYTES) : refusé."
            )
        if member.size != signed.get("size"):
            raise UntrustedArchive(
                f"L'archive a été modifiée après sa signature : « {member.name} ». Refusée."
            )
        _copy_checked(archive.extractfile(member), target, signed)
        seen.add(member.name)
    if missing := set(expected) - seen:
        raise UntrustedArchive(
            f"L'archive est incomplète : « {sorted(missing)[0]} » manque. Refusée."
        )


def staging_folder() -> Path:
    """A new empty folder (in the system's temporary folder) to unpack an archive into."""
    return Path(tempfile.mkdtemp(prefix="quartiers-archive-"))


def discard(folder: Path) -> None:
    """Delete a staging folder and everything in it."""
    shutil.rmtree(folder, ignore_errors=True)
