"""Where the portals' uploads live: a folder (the default) or an S3-compatible bucket
(``MEDIA_STORAGE=s3``), each portal's files under its own prefix ``<schema>/``.

Two sides:

- ``TenantS3Storage`` is Django's default storage when ``MEDIA_STORAGE=s3``: uploads of
  a request (Wagtail's images, documents and renditions, classified and proposal photos,
  radio episodes) go under the prefix of the portal the connection is on, as
  django-tenants' ``TenantFileSystemStorage`` does with folders. Its URLs stay the
  portal's own ``/media/<schema>/...``: the application serves them (``core.views``)
  after checking the host, so the bucket is never public.
- ``media_store()`` is what the operator's work goes through (backups and restores,
  export and import of a portal, deleting a portal): every portal's files, whatever the
  connection's schema, in a folder or a bucket, with the same few operations.
"""

from __future__ import annotations

import mimetypes
import posixpath
import shutil
from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from botocore.exceptions import ClientError
from django.conf import settings
from django.db import connection
from django.utils.encoding import filepath_to_uri
from django.utils.functional import cached_property
from django_tenants.files.storage import TenantFileSystemStorage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from tenants.slugs import validate_slug


class TenantFolderStorage(TenantFileSystemStorage):
    """django-tenants' folder storage (``MEDIA_ROOT/<schema>/``), whose addresses are the
    portal's media address and the file's name joined: a page of pictures asks a few
    hundred (each rendition of each width), and django-tenants works out the portal's
    address again for each, then joins them as any two URLs (``urljoin``): a twenty-fifth
    of a cold home page (issue 25 §2). The portal's address is kept per schema (and the
    settings it comes from); a name with dot segments is joined as Django joins it."""

    def url(self, name: str | None) -> str:
        address = filepath_to_uri(name)
        if address is None:
            return super().url(name)
        address = address.lstrip("/")
        if "/." in f"/{address}":
            return super().url(name)
        key = (
            connection.schema_name,
            self._base_url,
            settings.MEDIA_URL,
            getattr(settings, "MULTITENANT_RELATIVE_MEDIA_ROOT", None),
        )
        base = self._portal_urls.get(key)
        if base is None:
            base = self._portal_urls[key] = self.base_url
        return base + address

    @cached_property
    def _portal_urls(self) -> dict[tuple, str]:
        return {}


class TenantS3Storage(S3Storage):
    """The network's bucket, seen from the portal the connection is on: every name is
    under ``<location>/<schema>/``, so one portal can neither read, list nor overwrite
    another's objects."""

    @property
    def location(self) -> str:
        root = self.__dict__.get("_root")
        if root is None:  # BaseStorage asks before it sets the configured value
            raise AttributeError("location")
        return posixpath.join(root, connection.schema_name) if root else connection.schema_name

    @location.setter
    def location(self, value: str) -> None:
        self._root = value.strip("/")

    def url(
        self,
        name: str,
        parameters: dict | None = None,
        expire: int | None = None,
        http_method: str | None = None,
    ) -> str:
        """The portal's own address of the file (``/media/<schema>/<name>``), served by
        the application after its checks; never the bucket's."""
        return f"{settings.MEDIA_URL}{connection.schema_name}/{filepath_to_uri(name)}"

    def stream(self, name: str) -> tuple[BinaryIO, int, datetime]:
        """The object's body as it comes from the bucket, its size and its date; raise
        FileNotFoundError when there is no such object."""
        key = self._normalize_name(clean_name(name))
        try:
            answer = self.bucket.Object(key).get()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                raise FileNotFoundError(name) from error
            raise
        return answer["Body"], answer["ContentLength"], answer["LastModified"]


def portal_prefix(schema_name: str) -> str:
    """The prefix of one portal's files in the media store (``<schema>/``)."""
    validate_slug(schema_name)  # a schema name never climbs out of the store's root
    return f"{settings.MULTITENANT_RELATIVE_MEDIA_ROOT % schema_name}/"


class MediaStore(ABC):
    """Every portal's files, named relative to the store's root (``<schema>/<path>``)."""

    @abstractmethod
    def names(self, prefix: str = "") -> list[str]:
        """Every file under ``prefix`` (``""``: the whole store), in order of name."""

    @abstractmethod
    def local_copies(self, names: list[str], scratch: Path) -> list[tuple[str, Path]]:
        """A local file for each name (downloaded into ``scratch`` when the store is not
        local): what an archive is written from."""

    @abstractmethod
    def put(self, folder: Path, prefix: str) -> int:
        """Copy every file under ``folder`` to ``prefix`` + its relative path (replacing
        one of the same name); return how many."""

    @abstractmethod
    def delete(self, prefix: str) -> None:
        """Delete every file under ``prefix`` (a portal's ``<schema>/``), nothing else."""

    @abstractmethod
    def set_aside(self, stamp: str) -> str:
        """Move every file of the store out of it (kept, not deleted); say where."""

    @abstractmethod
    def __str__(self) -> str: ...

    def is_empty(self) -> bool:
        """Whether the store holds no file at all."""
        return not self.names()


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _refuse_root(prefix: str) -> None:
    # Deleting "" would empty the whole network's media: only a portal's prefix is allowed.
    if not prefix.strip("/") or ".." in prefix.split("/"):
        raise ValueError(f"Préfixe de médias refusé : « {prefix} ».")


class FolderStore(MediaStore):
    """The media in a folder of the file system (``MEDIA_ROOT``, one folder per portal)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __str__(self) -> str:
        return str(self.root)

    def names(self, prefix: str = "") -> list[str]:
        return [
            path.relative_to(self.root).as_posix()
            for path in _files_under(self.root / prefix if prefix else self.root)
        ]

    def local_copies(self, names: list[str], scratch: Path) -> list[tuple[str, Path]]:
        return [(name, self.root / name) for name in names]

    def put(self, folder: Path, prefix: str) -> int:
        if not folder.is_dir():  # an archive without media leaves no empty folder behind
            return 0
        target = self.root / prefix
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(folder, target, dirs_exist_ok=True)
        return len(_files_under(folder))

    def delete(self, prefix: str) -> None:
        _refuse_root(prefix)
        root = self.root.resolve()
        folder = (root / prefix).resolve()
        if folder.parent == root and folder.is_dir():
            shutil.rmtree(folder)

    def set_aside(self, stamp: str) -> str:
        aside = self.root.with_name(f"{self.root.name}.avant-restauration-{stamp}")
        self.root.rename(aside)
        self.root.mkdir()
        return str(aside)

    def is_empty(self) -> bool:
        return not (self.root.is_dir() and any(self.root.iterdir()))


class BucketStore(MediaStore):
    """The media in an S3-compatible bucket, under the configured ``location`` prefix."""

    def __init__(self, storage: S3Storage) -> None:
        self.storage = storage
        self.root = storage.location.strip("/")

    def __str__(self) -> str:
        return f"s3://{self.storage.bucket_name}/{self.root}"

    def _key(self, name: str) -> str:
        return f"{self.root}/{name}" if self.root else name

    def _keys(self, prefix: str) -> list[str]:
        paginator = self.storage.connection.meta.client.get_paginator("list_objects_v2")
        start = self._key(prefix) if prefix else (f"{self.root}/" if self.root else "")
        keys = []
        for page in paginator.paginate(Bucket=self.storage.bucket_name, Prefix=start):
            keys += [entry["Key"] for entry in page.get("Contents", ())]
        return sorted(keys)

    def names(self, prefix: str = "") -> list[str]:
        cut = len(self.root) + 1 if self.root else 0
        return [key[cut:] for key in self._keys(prefix) if not key.endswith("/")]

    def local_copies(self, names: list[str], scratch: Path) -> list[tuple[str, Path]]:
        copies = []
        for name in names:
            local = scratch / name
            local.parent.mkdir(parents=True, exist_ok=True)
            self.storage.bucket.download_file(self._key(name), str(local))
            copies.append((name, local))
        return copies

    def put(self, folder: Path, prefix: str) -> int:
        files = _files_under(folder)
        for path in files:
            name = prefix + path.relative_to(folder).as_posix()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.storage.bucket.upload_file(
                str(path), self._key(name), ExtraArgs={"ContentType": content_type}
            )
        return len(files)

    def _delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # S3 deletes at most 1,000 keys a request
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            self.storage.bucket.delete_objects(Delete={"Objects": batch, "Quiet": True})

    def delete(self, prefix: str) -> None:
        _refuse_root(prefix)
        self._delete_keys(self._keys(prefix))

    def set_aside(self, stamp: str) -> str:
        # A bucket has no folders to rename: each object is copied under a sibling prefix
        # (outside the store's root, so a later backup does not take it), then deleted.
        aside = f"{self.root or 'medias'}.avant-restauration-{stamp}"
        keys = self._keys("")
        cut = len(self.root) + 1 if self.root else 0
        for key in keys:
            source = {"Bucket": self.storage.bucket_name, "Key": key}
            self.storage.bucket.copy(source, f"{aside}/{key[cut:]}")
        self._delete_keys(keys)
        return f"s3://{self.storage.bucket_name}/{aside}"


def media_store(folder: str | Path | None = None) -> MediaStore:
    """The network's media store: ``folder`` when given (a restore's trial), else the
    bucket when ``MEDIA_STORAGE=s3``, else ``MEDIA_ROOT``."""
    if folder is not None:
        return FolderStore(Path(folder))
    default = settings.STORAGES["default"]
    backend = default["BACKEND"]
    if backend.endswith(("TenantS3Storage", "S3Storage")):
        # The same bucket and options, seen from the root rather than from one portal.
        return BucketStore(S3Storage(**default.get("OPTIONS", {})))
    return FolderStore(Path(settings.MEDIA_ROOT))


def delete_portal_media(schema_name: str) -> None:
    """Delete the uploads of one portal (its prefix in the store), and nothing else."""
    media_store().delete(portal_prefix(schema_name))
