"""A portal deleted says so first: the ``Delete`` of its actor goes to every follower's
server, which then drops the account and its follows (Mastodon does).

Called by ``BEFORE_PORTAL_DELETION`` inside the portal's schema, just before the schema is
dropped. Each delivery is signed there and then, and queued with everything it needs
(``delivery.deliver_signed``: the body and its signed headers, in the public task
table): the worker sends it after the schema, and the private key with it, are gone.
Chosen over posting at once: a deletion waits for no remote server (a slow one would hold
the federation staff's page, five seconds an inbox), and a server that is down gets the
retries and the network's pause like every other delivery, for as long as its signature
is believed (``SIGNATURE_LIFETIME``). The key itself is never copied out of the schema.
"""

from __future__ import annotations

from fediverse import delivery
from fediverse.documents import AS_CONTEXT, PUBLIC, actor_id
from fediverse.publication import follower_inboxes
from tenants.models import Neighbourhood


def delete_actor(neighbourhood: Neighbourhood) -> int:
    """Queue the signed ``Delete`` of the portal's actor for each follower's server (the
    current schema is the portal's). Returns how many inboxes."""
    me = actor_id(neighbourhood)
    activity = {
        "@context": AS_CONTEXT,
        "id": f"{me}#delete",
        "type": "Delete",
        "actor": me,
        "object": me,
        "to": [PUBLIC],
    }
    inboxes = follower_inboxes()
    for inbox in inboxes:
        body, headers = delivery.signed_request(inbox, activity)
        delivery.deliver_signed.enqueue(
            portal=neighbourhood.schema_name, inbox=inbox, body=body.decode(), headers=headers
        )
    return len(inboxes)
