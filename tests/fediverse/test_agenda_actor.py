"""Mobilizon's relay finds a portal's agenda actor (an ``Application``) in its NodeInfo or
by WebFinger, follows it with a signed request and gets an Accept signed by the agenda's
own key; nothing of it is reachable through another portal's host."""

from __future__ import annotations

import json

import pytest
from apsig.draft.verify import Verifier
from django_tenants.utils import schema_context

from fediverse.models import AgendaFollower
from tests.conftest import host, logged_in
from tests.fediverse.agenda import APPLICATION_REL, agenda_of, send_to_agenda
from tests.fediverse.conftest import AP, actor_of, followers_of, send

pytestmark = pytest.mark.django_db

AGENDA_FOLLOWERS = "/admin/fediverse/abonnes-agenda/"


def _agenda_followers(portal) -> list[str]:
    with schema_context(portal.schema_name):
        return list(AgendaFollower.objects.values_list("actor_id", flat=True))


def test_nodeinfo_names_the_agenda_actor_mobilizon_follows(alpha, client_for):
    client = client_for(alpha)
    links = client.get("/.well-known/nodeinfo").json()["links"]
    nodeinfo = client.get("/nodeinfo/2.1").json()

    [application] = [link for link in links if link["rel"] == APPLICATION_REL]
    assert application["href"] == actor_of(client)["id"] + "ap/agenda"
    assert nodeinfo["metadata"]["applicationActor"] == application["href"]


def test_the_agenda_is_an_application_with_its_own_key(alpha, client_for):
    client = client_for(alpha)
    agenda, portal_actor = agenda_of(client), actor_of(client)

    assert agenda["type"] == "Application"
    assert agenda["preferredUsername"] == "agenda"
    assert agenda["inbox"] == agenda["id"] + "/inbox"
    assert agenda["publicKey"]["owner"] == agenda["id"]
    assert agenda["publicKey"]["id"] != portal_actor["publicKey"]["id"]
    assert agenda["publicKey"]["publicKeyPem"] != portal_actor["publicKey"]["publicKeyPem"]
    outbox = client.get("/ap/agenda/outbox").json()
    assert outbox["type"] == "OrderedCollection"
    assert client.get("/ap/agenda/followers").json()["totalItems"] == 0


def test_webfinger_finds_the_agenda_as_agenda_or_relay(alpha, beta, client_for):
    client = client_for(alpha)
    agenda = agenda_of(client)

    for name in ("agenda", "relay"):
        jrd = client.get(
            "/.well-known/webfinger", {"resource": f"acct:{name}@{host(alpha)}"}
        ).json()
        assert jrd["links"][0]["href"] == agenda["id"]
    at_beta = client_for(beta).get(
        "/.well-known/webfinger", {"resource": f"acct:agenda@{host(alpha)}"}
    )
    assert at_beta.status_code == 404


def test_a_relay_follows_the_agenda_and_gets_an_accept_signed_by_the_agenda(
    alpha, client_for, peer
):
    client = client_for(alpha)
    agenda = agenda_of(client)
    follow = peer.follow(agenda["id"])

    assert send_to_agenda(client, alpha, peer, follow).status_code == 202

    assert _agenda_followers(alpha) == [peer.actor_id]
    assert followers_of(alpha) == []  # the portal's own actor gained no follower
    [post] = peer.server.posts_to(peer.inbox_path)
    accept = json.loads(post.body)
    assert accept["type"] == "Accept" and accept["actor"] == agenda["id"]
    assert accept["object"]["id"] == follow["id"]
    assert post.headers["content-type"].startswith(AP)
    verifier = Verifier(
        agenda["publicKey"]["publicKeyPem"], "POST", peer.inbox, post.headers, post.body
    )
    assert verifier.verify(raise_on_fail=True) == agenda["publicKey"]["id"]
    assert client.get("/ap/agenda/followers").json()["totalItems"] == 1

    assert send_to_agenda(client, alpha, peer, peer.undo(follow)).status_code == 202
    assert _agenda_followers(alpha) == []


def test_following_as_agenda_through_the_portals_inbox_is_refused(alpha, client_for, peer):
    client = client_for(alpha)
    agenda = agenda_of(client)

    answer = send_to_agenda(client, alpha, peer, peer.follow(agenda["id"]), path="/ap/inbox")
    wrong_way = send_to_agenda(client, alpha, peer, peer.follow(actor_of(client)["id"]))

    assert answer.status_code == 400 and wrong_way.status_code == 400
    assert _agenda_followers(alpha) == [] and followers_of(alpha) == []
    assert peer.server.posts_to(peer.inbox_path) == []


def test_following_a_agenda_through_b_gives_nothing(alpha, beta, client_for, peer):
    agenda_a = agenda_of(client_for(alpha))

    answer = send_to_agenda(client_for(beta), beta, peer, peer.follow(agenda_a["id"]))

    assert answer.status_code == 400
    assert _agenda_followers(alpha) == [] and _agenda_followers(beta) == []
    assert peer.server.posts_to(peer.inbox_path) == []


def test_as_animator_sees_the_relays_following_the_agenda_and_bs_does_not(
    alpha, beta, client_for, animator_of
):
    with schema_context(alpha.schema_name):
        AgendaFollower.objects.create(
            actor_id="https://mobilizon.example/relay",
            handle="@relay@mobilizon.example",
            inbox="https://mobilizon.example/inbox",
        )
    at_alpha = logged_in(client_for(alpha), animator_of(alpha))
    at_beta = logged_in(client_for(beta), animator_of(beta))

    listing = at_alpha.get(AGENDA_FOLLOWERS)

    assert listing.status_code == 200 and "@relay@mobilizon.example" in listing.text
    assert "@relay@mobilizon.example" not in at_beta.get(AGENDA_FOLLOWERS).text


def test_a_deleted_remote_actor_leaves_both_the_portal_and_its_agenda(alpha, client_for, peer):
    client = client_for(alpha)
    send_to_agenda(client, alpha, peer, peer.follow(agenda_of(client)["id"]))
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))
    assert _agenda_followers(alpha) == [peer.actor_id] == followers_of(alpha)

    gone = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{peer.actor_id}#delete",
        "type": "Delete",
        "actor": peer.actor_id,
        "object": peer.actor_id,
    }
    assert send(client, alpha, peer, gone).status_code == 202

    assert _agenda_followers(alpha) == [] and followers_of(alpha) == []
