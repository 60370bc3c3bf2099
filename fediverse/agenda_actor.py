"""The portal's agenda as an ActivityPub ``Application`` actor, ``@agenda@<portal host>``.

Mobilizon lists an outside event only when an actor that its instance relay follows
*announces* it, and its relay follows instances, not people: it finds the actor to follow
in the instance's NodeInfo (the ``https://www.w3.org/ns/activitystreams#Application``
link, FEP-2677), else by WebFinger as ``relay@<host>``. Each portal therefore has this
second actor, with its own key pair (``fediverse.keys.agenda_key``) and followers
(``AgendaFollower``), whose only activity is the ``Announce`` of its public events
(``fediverse.event_publication``).

Its id is ``https://<host>/ap/agenda``, built, like every address of the fediverse, from
the portal's primary domain (``tenants.addresses``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.identity import portal_identity
from fediverse.documents import AS_CONTEXT, SECURITY_CONTEXT, address, this_portal
from fediverse.keys import agenda_key
from fediverse.models import AgendaFollower

USERNAME = "agenda"
# What Mobilizon's relay asks WebFinger for when NodeInfo names no Application actor.
RELAY_USERNAME = "relay"
APPLICATION_REL = "https://www.w3.org/ns/activitystreams#Application"


def actor_id() -> str:
    """``https://<host>/ap/agenda``."""
    return address(USERNAME)


def key_id() -> str:
    return actor_id() + "#main-key"


def agenda_address(name: str) -> str:
    """The absolute address of one of the agenda actor's endpoints (``inbox``...)."""
    return f"{actor_id()}/{name}"


def actor_document() -> dict[str, Any]:
    """The agenda as an ``Application``, in the shape Mobilizon and Mastodon read."""
    portal = this_portal()
    me = actor_id()
    name = portal_identity().name or portal.name
    return {
        "@context": [AS_CONTEXT, SECURITY_CONTEXT],
        "id": me,
        "type": "Application",
        "preferredUsername": USERNAME,
        "name": _("Agenda de %(name)s") % {"name": name},
        "summary": _("Les événements publics du média citoyen %(name)s.") % {"name": name},
        "url": me,
        "inbox": agenda_address("inbox"),
        "outbox": agenda_address("outbox"),
        "followers": agenda_address("followers"),
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {"id": key_id(), "owner": me, "publicKeyPem": agenda_key().public_key_pem},
    }


def followers() -> dict[str, Any]:
    """The agenda's followers collection: how many (the relays), not who."""
    return {
        "@context": AS_CONTEXT,
        "id": agenda_address("followers"),
        "type": "OrderedCollection",
        "totalItems": AgendaFollower.objects.count(),
    }


def answers_webfinger(asked: str, host: str) -> bool:
    """True when ``asked`` (``user@host``, lowered) names the agenda on this host."""
    return asked in (f"{USERNAME}@{host}", f"{RELAY_USERNAME}@{host}")


def webfinger(host: str) -> dict[str, Any]:
    """The JRD that points ``acct:agenda@<host>`` to the agenda actor."""
    me = actor_id()
    return {
        "subject": f"acct:{USERNAME}@{host}",
        "aliases": [me],
        "links": [{"rel": "self", "type": "application/activity+json", "href": me}],
    }


def nodeinfo_link() -> dict[str, str]:
    """The link of ``/.well-known/nodeinfo`` by which Mobilizon finds the actor to follow."""
    return {"rel": APPLICATION_REL, "href": actor_id()}
