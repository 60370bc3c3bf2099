"""What the inboxes of the portal's actors (``fediverse.local_actors``: the portal, its
agenda) do with a verified activity: Follow, Undo{Follow}, Delete.

Follows are counted per remote host and portal (``core.abuse.RateLimit``, the counters
every public form uses): past ``FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR`` a Follow is refused
with 429, before its actor is fetched and without an Accept. One actor's follows count
once an hour for its host (one account following and unfollowing again and again on a
big server must not use up that server's follows, locking out its other people), and
past ``FOLLOWS_PER_ACTOR_PER_HOUR`` they are refused on their own. Only follows taken
count: a Follow refused for another reason rolls its counts back with its transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.abuse import HOUR, RateLimit
from fediverse import delivery
from fediverse.documents import AS_CONTEXT
from fediverse.local_actors import BY_NAME, PORTAL, LocalActor
from fediverse.remote import (
    RemoteError,
    actor_inboxes,
    fetch_json,
    inboxes_of_their_own,
    is_our_host,
    remote_key,
)
from fediverse.signatures import MAX_SKEW, SignatureRefused, SignedRequest, parse


class Refused(Exception):
    """An activity the inbox will not take; ``status`` is the HTTP answer."""

    def __init__(self, reason: str, status: int = 400, gone_key: str | None = None) -> None:
        super().__init__(reason)
        self.status = status
        # The keyId of a signature whose key's server says it is gone (``receive_gone_actor``).
        self.gone_key = gone_key


def _id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def authenticate(request: SignedRequest, scheme: str) -> str:
    """The actor whose key signed ``request``; ``Refused`` (401) with a short reason."""
    try:
        signature = parse(request, scheme)
    except SignatureRefused as error:
        raise Refused(str(error), 401) from error
    try:
        key = remote_key(signature.key_id)
        try:
            signature.check(key.pem)
        except SignatureRefused:
            # The remote server may have changed its key since we remembered it.
            key = remote_key(signature.key_id, fresh=True)
            signature.check(key.pem)
    except SignatureRefused as error:
        raise Refused(str(error), 401) from error
    except RemoteError as error:
        gone_key = signature.key_id if error.gone else None
        raise Refused(f"Key not available: {error}", 401, gone_key) from error
    # A signature holds as long as its date does (MAX_SKEW): the same signed request sent
    # again by whoever saw it go by (a Follow after its Undo) is refused. Marked only once
    # verified, so that a forged copy cannot use up a sender's real signature. Senders sign
    # each attempt anew, so a real retry never looks like a replay.
    seen = (
        "fediverse:seen:"
        + hashlib.sha256(
            (
                request.headers.get("signature-input", "") + "\n" + request.headers["signature"]
            ).encode()
        ).hexdigest()
    )
    if not cache.add(seen, True, int(2 * MAX_SKEW.total_seconds())):
        raise Refused("Signature already used", 401)
    return key.owner


# A person may follow, unfollow and follow again; a loop doing it is held back.
FOLLOWS_PER_ACTOR_PER_HOUR = 5


def follows_per_host() -> RateLimit:
    """The limit of follows one remote host may make to this portal in an hour."""
    return RateLimit(
        "fediverse-follows-host", limit=settings.FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR, period=HOUR
    )


def follows_per_actor() -> RateLimit:
    """The limit of follows one remote actor may make to this portal in an hour."""
    return RateLimit("fediverse-follows-actor", limit=FOLLOWS_PER_ACTOR_PER_HOUR, period=HOUR)


def _take_follow(actor: str) -> None:
    """Count ``actor``'s Follow, or ``Refused`` (429) past its own limit or its host's;
    in the caller's transaction (a Follow refused later counts nothing)."""
    per_actor = follows_per_actor()
    count = per_actor.hit(actor)
    if count > per_actor.limit:
        raise Refused("Too many follows from this actor, try again later", 429)
    # Only an actor's first Follow of the hour takes one of its host's.
    if count == 1 and not follows_per_host().take(urlsplit(actor).hostname or actor):
        raise Refused("Too many follows from this server, try again later", 429)


def _follow(activity: dict[str, Any], actor: str, local: LocalActor) -> None:
    if _id(activity.get("object")) != local.actor_id():
        raise Refused("Follow of another actor", 400)
    _take_follow(actor)
    try:
        document = fetch_json(actor)
        inbox, shared = actor_inboxes(document)
    except RemoteError as error:
        raise Refused(f"Follower not readable: {error}", 400) from error
    if document.get("id") != actor:
        raise Refused("Follower's document is not its own", 400)
    # Addresses longer than the follower's columns (500) would fail in the database.
    longest = local.followers._meta.get_field("inbox").max_length
    if any(len(address) > longest for address in (actor, inbox, shared)):
        raise Refused("Follower's addresses are too long", 400)
    if not inboxes_of_their_own(actor, (inbox, shared)):
        raise Refused("Follower's inbox is not on its own server", 400)
    if is_our_host(inbox) or (shared and is_our_host(shared)):
        raise Refused("Follower's inbox is one of this network's portals", 400)
    username = document.get("preferredUsername")
    handle = f"@{username}@{urlsplit(actor).hostname}" if isinstance(username, str) else ""
    local.followers.objects.update_or_create(
        actor_id=actor,
        defaults={
            "inbox": inbox,
            "shared_inbox": shared,
            "handle": handle[:300],
            "follow_id": (_id(activity) or "")[:500],
        },
    )
    me = local.actor_id()
    accept = {
        "@context": AS_CONTEXT,
        "id": f"{me}#accepts/{uuid.uuid4()}",
        "type": "Accept",
        "actor": me,
        "object": activity,
    }
    delivery.send(inbox, accept, sender=local.name)


def _undo(activity: dict[str, Any], actor: str, local: LocalActor) -> None:
    undone = activity.get("object")
    if isinstance(undone, dict) and undone.get("type") == "Follow":
        if undone.get("actor") not in (actor, None):
            raise Refused("Undo of another actor's Follow", 400)
        local.followers.objects.filter(actor_id=actor).delete()


def _forget(actor: str) -> None:
    """A remote actor that is no more follows none of the portal's actors."""
    for local in BY_NAME.values():
        local.followers.objects.filter(actor_id=actor).delete()


def _delete(activity: dict[str, Any], actor: str, local: LocalActor) -> None:
    if _id(activity.get("object")) == actor:
        _forget(actor)


HANDLERS = {"Follow": _follow, "Undo": _undo, "Delete": _delete}


def receive(activity: Any, actor: str, local: LocalActor = PORTAL) -> None:
    """Act on ``activity`` sent by ``actor`` (the owner of the key that signed it) to the
    inbox of ``local``."""
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        raise Refused("Not an activity", 400)
    if _id(activity.get("actor")) != actor:
        raise Refused("Activity signed by another actor", 401)
    handler = HANDLERS.get(activity["type"])
    if handler is not None:
        with transaction.atomic():
            handler(activity, actor, local)


def receive_gone_actor(activity: Any, key_id: str) -> bool:
    """A ``Delete`` of an actor whose server says it is gone (its key can no longer be
    read, hence no signature can be checked): its follows are removed, since the actor's
    own address says it is no more. True when that was the case."""
    if not isinstance(activity, dict) or activity.get("type") != "Delete":
        return False
    actor = _id(activity.get("actor"))
    if actor is None or _id(activity.get("object")) != actor or not key_id.startswith(actor):
        return False
    try:
        fetch_json(actor)
    except RemoteError as error:
        if error.gone:
            _forget(actor)
            return True
    return False
