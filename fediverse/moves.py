"""The portal's federated identity survives a change of its primary host: ActivityPub's
``Move``, which Mastodon follows (its followers' accounts follow the new address).

The actor's id is its home page on the primary host (``fediverse.documents``). When that
host changes (``AFTER_PRIMARY_HOST_CHANGE``), the old address is remembered
(``FormerAddress``); the new actor lists it in ``alsoKnownAs``; a ``Move`` from the old
actor to the new one, signed with the portal's key under the old actor's key id (the one
the followers' servers know), goes to every follower's server. The old host, while it
still serves the portal, answers the actor there with ``movedTo``.

Why a ``Move`` rather than one canonical host that never changes: the actor's id is the
address people paste into Mastodon (the portal's own), and any host may be removed one
day, the network's name for the portal included.
"""

from __future__ import annotations

import uuid
from typing import Any

from fediverse import delivery
from fediverse.documents import AS_CONTEXT, PUBLIC, actor_document, actor_id
from fediverse.models import FormerAddress
from fediverse.publication import follower_inboxes
from tenants.addresses import base_url_for_domain
from tenants.models import Neighbourhood


def actor_at(host: str) -> str:
    """The actor's id as it reads at ``host``."""
    return base_url_for_domain(host) + "/"


def announce_move(neighbourhood: Neighbourhood, old_host: str, new_host: str) -> int:
    """Remember the old address and send the ``Move`` to the followers' servers (in the
    caller's transaction, current schema the portal's). Returns how many inboxes."""
    old, new = actor_at(old_host), actor_id(neighbourhood)
    if old == new:
        return 0
    FormerAddress.objects.update_or_create(actor_id=old, defaults={"host": old_host})
    # Back at an address it had before: that one is the actor's own again.
    FormerAddress.objects.filter(actor_id=new).delete()
    move = {
        "@context": AS_CONTEXT,
        "id": f"{old}#moves/{uuid.uuid4()}",
        "type": "Move",
        "actor": old,
        "object": old,
        "target": new,
        "to": [PUBLIC],
    }
    inboxes = follower_inboxes()
    for inbox in inboxes:
        delivery.send(inbox, move, signing_key_id=old + "#main-key")
    return len(inboxes)


def actor_for_host(host: str) -> dict[str, Any]:
    """The actor document as the portal answers it at ``host``: at a former address, the
    former actor with ``movedTo`` the current one; elsewhere the current actor, which
    names its former addresses in ``alsoKnownAs``."""
    document = actor_document()
    former = FormerAddress.objects.filter(host=host.lower()).first()
    if former is not None:
        return {
            **document,
            "id": former.actor_id,
            "url": former.actor_id,
            "movedTo": document["id"],
            "publicKey": {
                **document["publicKey"],
                "id": former.actor_id + "#main-key",
                "owner": former.actor_id,
            },
        }
    also_known_as = list(FormerAddress.objects.values_list("actor_id", flat=True))
    if also_known_as:
        document["alsoKnownAs"] = also_known_as
    return document
