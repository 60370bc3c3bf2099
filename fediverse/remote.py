"""Remote actors, read through the SSRF guard (``core.outbound``) and remembered a while."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.core.cache import cache

from core import outbound
from tenants.models import Domain

AP_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
# A key is remembered a day; a signature that fails with a remembered key fetches it again
# once (the remote server may have changed its key).
KEY_SECONDS = 24 * 3600


class RemoteError(Exception):
    """A remote actor that could not be read; ``gone`` when its server says it is no more."""

    def __init__(self, message: str, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


@dataclass(frozen=True)
class RemoteKey:
    """A remote public key and the actor that owns it."""

    key_id: str
    owner: str
    pem: str


def fetch_json(url: str) -> dict[str, Any]:
    """The ActivityPub document at ``url``, or ``RemoteError``."""
    try:
        response = outbound.fetch(url, headers={"Accept": AP_ACCEPT})
    except outbound.OutboundError as error:
        raise RemoteError(str(error)) from error
    if response.status in (404, 410):
        raise RemoteError(f"{url} answered {response.status}", gone=True)
    if response.status != 200:
        raise RemoteError(f"{url} answered {response.status}")
    try:
        document = response.json()
    except ValueError as error:
        raise RemoteError(f"{url} is not JSON") from error
    if not isinstance(document, dict):
        raise RemoteError(f"{url} is not an object")
    return document


def _cache_key(key_id: str) -> str:
    return "fediverse:key:" + hashlib.sha256(key_id.encode()).hexdigest()


def _key_from(document: dict[str, Any], key_id: str) -> RemoteKey:
    key = document.get("publicKey", document)
    if isinstance(key, list):
        key = next((k for k in key if isinstance(k, dict) and k.get("id") == key_id), None)
    if not isinstance(key, dict):
        raise RemoteError("no publicKey")
    pem, owner = key.get("publicKeyPem"), key.get("owner") or document.get("id")
    if not isinstance(pem, str) or not isinstance(owner, str):
        raise RemoteError("publicKey without publicKeyPem or owner")
    if key.get("id") not in (key_id, None) and urldefrag(key_id)[0] != owner:
        raise RemoteError("publicKey is not the one asked for")
    return RemoteKey(key_id=key_id, owner=owner, pem=pem)


def _confirmed_by_owner(key: RemoteKey) -> RemoteKey:
    """``key`` once its owner is known to hold it. A document says who owns a key, but
    anyone can write any owner in a document at their own address: the key is the owner's
    only when it was read at the owner's own address, or when the owner's document names
    it back (a key published apart from its actor, as GoToSocial does)."""
    if urldefrag(key.key_id)[0] == key.owner:
        return key
    try:
        owners = fetch_json(key.owner)
    except RemoteError as error:
        # Not "gone": the key's own address answered, only the owner it names did not.
        raise RemoteError(f"the key's owner is not readable: {error}") from error
    if owners.get("id") != key.owner or _key_from(owners, key.key_id).pem != key.pem:
        raise RemoteError("the key's owner does not name this key")
    return key


def remote_key(key_id: str, fresh: bool = False) -> RemoteKey:
    """The key ``key_id`` names, from the document at its address (without the fragment),
    confirmed by its owner, remembered ``KEY_SECONDS`` in the portal's cache."""
    cached = None if fresh else cache.get(_cache_key(key_id))
    if isinstance(cached, RemoteKey):
        return cached
    key = _confirmed_by_owner(_key_from(fetch_json(urldefrag(key_id)[0]), key_id))
    cache.set(_cache_key(key_id), key, KEY_SECONDS)
    return key


def actor_inboxes(actor: dict[str, Any]) -> tuple[str, str]:
    """(inbox, shared inbox or "") of a remote actor document."""
    inbox = actor.get("inbox")
    if not isinstance(inbox, str) or not inbox.startswith(("https://", "http://")):
        raise RemoteError("actor without inbox")
    endpoints = actor.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    return inbox, shared if isinstance(shared, str) else ""


def is_our_host(url: str) -> bool:
    """True when ``url`` is on a host of one of the network's portals: our own portals are
    never a remote server (a follower claiming such an inbox would have us post to
    ourselves, a loop waiting for a feature that answers)."""
    hostname = (urlsplit(url).hostname or "").lower()
    return Domain.objects.filter(domain__iexact=hostname).exists()


def _same_site(host: str, other: str) -> bool:
    return host == other or host.endswith("." + other) or other.endswith("." + host)


def inboxes_of_their_own(actor_id: str, inboxes: tuple[str, str]) -> bool:
    """True when an actor's inboxes are on its own host (or a subdomain of it, or it of
    theirs): what a Follow may make us post to. Anything else would let anyone's actor
    document point our signed deliveries at a third party's address."""
    actor_host = (urlsplit(actor_id).hostname or "").lower()
    return all(
        _same_site((urlsplit(inbox).hostname or "").lower(), actor_host)
        for inbox in inboxes
        if inbox
    )
