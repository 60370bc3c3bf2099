"""An S3-compatible server on 127.0.0.1 (moto in server mode), started once per session,
and the application switched to it (``MEDIA_STORAGE=s3``) for a module's tests."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import boto3
import pytest
from django.conf import settings
from django.test.utils import override_settings
from moto.server import ThreadedMotoServer

REGION = "eu-west-3"
KEYS = {"access_key": "quartiers-test", "secret_key": "quartiers-test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """The endpoint URL of a real S3 API (moto's server) listening on 127.0.0.1."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    """A bucket of the test server, read the way an operator would (keys and bodies)."""

    def __init__(self, endpoint: str, name: str) -> None:
        self.name = name
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
        )
        self.client.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def names(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=prefix
        )
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def put(self, key: str, body: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=body)


def s3_settings(endpoint: str, bucket: str) -> dict:
    """The settings ``MEDIA_STORAGE=s3`` with these ``MEDIA_S3_*`` would give."""
    options = {
        **settings.MEDIA_S3_OPTIONS,
        **KEYS,
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": REGION,
        "location": "media",
    }
    return {
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_OPTIONS": options,
        "STORAGES": {
            **settings.STORAGES,
            "default": {"BACKEND": "tenants.media.TenantS3Storage", "OPTIONS": options},
        },
    }


@pytest.fixture(scope="module")
def new_bucket(s3_server: str):
    """Make a new, empty bucket on the test server."""

    def make() -> Bucket:
        return Bucket(s3_server, f"quartiers-{uuid.uuid4().hex[:12]}")

    return make


@pytest.fixture(scope="module")
def bucket(s3_server: str, new_bucket) -> Iterator[Bucket]:
    """The application's media in a new bucket for the whole module (Django resets its
    storages when the setting changes)."""
    made = new_bucket()
    with override_settings(**s3_settings(s3_server, made.name)):
        yield made
