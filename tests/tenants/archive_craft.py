"""Archives as an attacker would make them: built here from the format's description
(a tar whose first members are manifest.json and its HMAC manifest.sig), not with the
code under test."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import tarfile
from pathlib import Path

from django.conf import settings

CONTROL = {"manifest.json", "manifest.sig"}


def network_key() -> bytes:
    """The network's archive key, as a thief of the key would have it."""
    return getattr(settings, "ARCHIVE_SIGNING_KEY", "").encode()


def contents_of(archive: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest (without its list of members) and the other members of an archive."""
    members = {}
    with tarfile.open(archive) as opened:
        for member in opened.getmembers():
            if member.isfile():
                members[member.name] = opened.extractfile(member).read()
    manifest = json.loads(members.pop("manifest.json"))
    manifest.pop("members", None)
    members.pop("manifest.sig", None)
    return manifest, members


def _add(tar: tarfile.TarFile, name: str, data: bytes, size: int | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data) if size is None else size
    tar.addfile(info, io.BytesIO(data))


def craft(
    path: Path,
    manifest: dict,
    members: dict[str, bytes],
    *,
    key: bytes | None = None,
    signed: bool = True,
    compress: bool = True,
    listed: dict[str, bytes] | None = None,
) -> Path:
    """Write an archive of ``members``; its manifest lists ``listed`` (by default the
    members themselves) with their sizes and digests, signed with ``key`` (by default the
    network's)."""
    listed = members if listed is None else listed
    body = {
        **manifest,
        "members": {
            name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in listed.items()
        },
    }
    data = json.dumps(body).encode()
    with tarfile.open(path, "w:gz" if compress else "w") as tar:
        _add(tar, "manifest.json", data)
        if signed:
            signature = hmac.new(key or network_key(), data, hashlib.sha256).hexdigest()
            _add(tar, "manifest.sig", signature.encode())
        for name, content in members.items():
            _add(tar, name, content)
    return path
