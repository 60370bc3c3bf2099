"""Helpers for the agenda actor's tests: a relay (the local peer) follows a portal's agenda
as Mobilizon's does, by NodeInfo then a signed Follow to the agenda's inbox."""

from __future__ import annotations

import json

from django.test import Client

from tests.conftest import host
from tests.fediverse.conftest import AP_ACCEPT, Peer, post_signed

AGENDA_INBOX = "/ap/agenda/inbox"
APPLICATION_REL = "https://www.w3.org/ns/activitystreams#Application"


def agenda_of(client: Client) -> dict:
    """The agenda actor as Mobilizon's relay finds it: NodeInfo's Application link, then
    the document at that address."""
    links = client.get("/.well-known/nodeinfo").json()["links"]
    href = next(link["href"] for link in links if link["rel"] == APPLICATION_REL)
    path = "/" + href.split("/", 3)[3]
    return client.get(path, HTTP_ACCEPT=AP_ACCEPT).json()


def send_to_agenda(client: Client, portal, peer: Peer, activity: dict, path: str = AGENDA_INBOX):
    """The peer sends ``activity`` to the agenda's inbox of ``portal`` (the host the
    client sends), signed by ``apsig`` (draft-cavage)."""
    body = json.dumps(activity).encode()
    headers = peer.cavage_headers(f"http://{host(portal)}{path}", body)
    return post_signed(client, portal, body, headers, path=path)
