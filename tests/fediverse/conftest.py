"""A fediverse peer on 127.0.0.1 for the fediverse tests: a remote actor with its own key
pair, whose requests are signed by independent libraries (``apsig`` for draft-cavage,
``http-message-signatures`` for RFC 9421), and whose inbox records what the portal sends."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from apsig.draft.sign import Signer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django_tenants.utils import schema_context
from http_message_signatures import HTTPMessageSigner, algorithms
from http_message_signatures.resolvers import MappingKeyResolver

from tests.conftest import host
from tests.local_server import LocalServer, local_server

AP = "application/activity+json"
AP_ACCEPT = f'{AP}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class Peer:
    """``@ada@127.0.0.1:<port>``: serves its actor document, receives at its inbox."""

    def __init__(self, server: LocalServer, name: str = "ada") -> None:
        self.server = server
        self.name = name
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.actor_path = f"/users/{name}"
        self.inbox_path = f"/users/{name}/inbox"
        self.actor_id = server.base + self.actor_path
        self.inbox = server.base + self.inbox_path
        self.key_id = self.actor_id + "#main-key"

    def public_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def actor_document(self) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor_id,
            "type": "Person",
            "preferredUsername": self.name,
            "inbox": self.inbox,
            "endpoints": {"sharedInbox": self.server.base + "/inbox"},
            "publicKey": {
                "id": self.key_id,
                "owner": self.actor_id,
                "publicKeyPem": self.public_pem(),
            },
        }

    def publish(self) -> None:
        """Serve the actor document and take POSTs at the inbox."""
        self.server.serve(self.actor_path, json.dumps(self.actor_document()).encode(), AP)
        self.server.accept_posts(self.inbox_path)

    def follow(self, portal_actor: str) -> dict[str, Any]:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{self.actor_id}#follows/{uuid.uuid4()}",
            "type": "Follow",
            "actor": self.actor_id,
            "object": portal_actor,
        }

    def undo(self, follow: dict[str, Any]) -> dict[str, Any]:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{self.actor_id}#undo/{uuid.uuid4()}",
            "type": "Undo",
            "actor": self.actor_id,
            "object": follow,
        }

    # --- Signing, by libraries that are not the portal's code -------------------------

    def cavage_headers(self, url: str, body: bytes, **extra: str) -> dict[str, str]:
        """Headers of a POST signed by ``apsig`` (draft-cavage, rsa-sha256)."""
        headers = {"Content-Type": AP, **extra}
        return Signer(headers, self.key, "POST", url, self.key_id, body).sign()

    def rfc9421_headers(self, url: str, body: bytes) -> dict[str, str]:
        """Headers of a POST signed by ``http-message-signatures`` (RFC 9421)."""
        request = requests.Request("POST", url, data=body, headers={"Content-Type": AP}).prepare()
        signer = HTTPMessageSigner(
            signature_algorithm=algorithms.RSA_PSS_SHA512,
            key_resolver=MappingKeyResolver(public_keys={}, private_keys={self.key_id: self.key}),
        )
        signer.sign(request, key_id=self.key_id, body=body)
        return {name: value for name, value in request.headers.items() if name != "Content-Length"}


def post_signed(
    client: Client,
    portal,
    body: bytes,
    headers: dict[str, str],
    path: str = "/ap/inbox",
):
    """POST ``body`` to the portal's inbox with ``headers`` as they were signed."""
    meta = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered == "content-type":
            continue
        if lowered == "host":
            meta["HTTP_HOST"] = value
            continue
        meta["HTTP_" + name.upper().replace("-", "_")] = value
    return client.generic("POST", path, body, content_type=AP, **meta)


def inbox_url(portal) -> str:
    """The inbox's address as a peer signs it: the host the client sends."""
    return f"http://{host(portal)}/ap/inbox"


def send(client, portal, peer: Peer, activity: dict, style: str = "cavage"):
    """The peer sends ``activity`` to the portal's inbox, signed in ``style``."""
    body = json.dumps(activity).encode()
    url = inbox_url(portal)
    if style == "cavage":
        headers = peer.cavage_headers(url, body)
    else:
        headers = peer.rfc9421_headers(url, body)
    return post_signed(client, portal, body, headers)


def actor_of(client: Client) -> dict[str, Any]:
    """The portal's actor document, as a fediverse server fetches it."""
    return client.get("/", HTTP_ACCEPT=AP_ACCEPT).json()


@pytest.fixture(scope="module")
def _peer_server() -> Iterator[LocalServer]:
    with local_server() as server:
        yield server


@pytest.fixture
def peer(_peer_server, settings) -> Peer:
    """A remote actor on 127.0.0.1, reachable because the tests' setting lets 127.0.0.1
    through the SSRF guard (production's empty list refuses it: test_fetches_refused)."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    _peer_server.reset()
    made = Peer(_peer_server, name=f"ada{uuid.uuid4().hex[:6]}")
    made.publish()
    return made


def followers_of(portal) -> list[str]:
    from fediverse.models import Follower

    with schema_context(portal.schema_name):
        return list(Follower.objects.values_list("actor_id", flat=True))
