"""A portal deleted says so first: the ``Delete`` of each of its actors (the portal, its
agenda) goes to every server that follows it, which then drops the account and its
follows (Mastodon does; a Mobilizon relay drops the agenda).

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

from fediverse import agenda_actor, delivery
from fediverse.documents import AS_CONTEXT, PUBLIC, actor_id
from fediverse.event_publication import agenda_inboxes
from fediverse.local_actors import AGENDA, PORTAL
from fediverse.publication import follower_inboxes
from tenants.models import Neighbourhood


def delete_actor(neighbourhood: Neighbourhood) -> int:
    """Queue the signed ``Delete`` of the portal's actor and of its agenda's for each of
    their followers' servers (the current schema is the portal's). Returns how many
    deliveries."""
    return _farewell(
        neighbourhood, actor_id(neighbourhood), follower_inboxes(), PORTAL.name
    ) + _farewell(neighbourhood, agenda_actor.actor_id(), agenda_inboxes(), AGENDA.name)


def _farewell(neighbourhood: Neighbourhood, me: str, inboxes: list[str], sender: str) -> int:
    activity = {
        "@context": AS_CONTEXT,
        "id": f"{me}#delete",
        "type": "Delete",
        "actor": me,
        "object": me,
        "to": [PUBLIC],
    }
    for inbox in inboxes:
        body, headers = delivery.signed_request(inbox, activity, sender=sender)
        delivery.deliver_signed.enqueue(
            portal=neighbourhood.schema_name, inbox=inbox, body=body.decode(), headers=headers
        )
    return len(inboxes)
