"""A Mastodon-like peer on 127.0.0.1 finds a portal, follows it with a signed request and
receives its signed Accept; the inbox takes draft-cavage and RFC 9421 signatures made by
independent libraries, refuses a tampered body, date or key with a 401, and keeps each
portal's followers its own."""

from __future__ import annotations

import datetime
import json
from email.utils import format_datetime

import pytest
from apsig.draft.verify import Verifier
from django.core.cache import cache
from django_tenants.utils import schema_context

from fediverse.models import DeliveryFailure, Follower
from tests.conftest import host
from tests.fediverse.conftest import (
    AP,
    Peer,
    actor_of,
    followers_of,
    inbox_url,
    post_signed,
    send,
)

pytestmark = pytest.mark.django_db


def _discover(client, portal) -> dict:
    """What a remote server does with ``@slug@host``: WebFinger, then the actor."""
    jrd = client.get(
        "/.well-known/webfinger", {"resource": f"acct:{portal.slug}@{host(portal)}"}
    ).json()
    href = next(link["href"] for link in jrd["links"] if link["rel"] == "self")
    actor = actor_of(client)
    assert actor["id"] == href
    return actor


def test_a_peer_finds_follows_and_gets_a_signed_accept(alpha, client_for, peer):
    client = client_for(alpha)
    actor = _discover(client, alpha)
    follow = peer.follow(actor["id"])

    answer = send(client, alpha, peer, follow)

    assert answer.status_code == 202
    assert followers_of(alpha) == [peer.actor_id]
    [accept] = peer.server.posts_to(peer.inbox_path)
    activity = json.loads(accept.body)
    assert activity["type"] == "Accept" and activity["actor"] == actor["id"]
    assert activity["object"]["id"] == follow["id"]
    assert accept.headers["content-type"].startswith(AP)
    # Checked by apsig, an implementation that is not ours, with the key the actor shows.
    verifier = Verifier(
        actor["publicKey"]["publicKeyPem"], "POST", peer.inbox, accept.headers, accept.body
    )
    assert verifier.verify(raise_on_fail=True) == actor["publicKey"]["id"]
    assert client.get("/ap/followers").json()["totalItems"] == 1


def test_a_follow_signed_with_rfc_9421_is_accepted(alpha, client_for, peer):
    client = client_for(alpha)

    answer = send(client, alpha, peer, peer.follow(actor_of(client)["id"]), style="rfc9421")

    assert answer.status_code == 202
    assert followers_of(alpha) == [peer.actor_id]
    assert len(peer.server.posts_to(peer.inbox_path)) == 1


@pytest.mark.parametrize("style", ["cavage", "rfc9421"])
def test_a_tampered_body_is_refused(alpha, client_for, peer, style):
    client = client_for(alpha)
    follow = peer.follow(actor_of(client)["id"])
    signed_body = json.dumps(follow).encode()
    headers = (
        peer.cavage_headers(inbox_url(alpha), signed_body)
        if style == "cavage"
        else peer.rfc9421_headers(inbox_url(alpha), signed_body)
    )
    tampered = json.dumps({**follow, "id": follow["id"] + "-autre"}).encode()

    answer = post_signed(client, alpha, tampered, headers)

    assert answer.status_code == 401
    assert "digest" in answer.content.decode().lower()
    assert followers_of(alpha) == []


def test_a_signature_of_another_key_is_refused(alpha, client_for, peer):
    client = client_for(alpha)
    impostor = Peer(peer.server, name=peer.name)  # same actor address, another key
    body = json.dumps(peer.follow(actor_of(client)["id"])).encode()

    answer = post_signed(client, alpha, body, impostor.cavage_headers(inbox_url(alpha), body))

    assert answer.status_code == 401
    assert followers_of(alpha) == []
    assert peer.server.posts_to(peer.inbox_path) == []


def test_a_date_thirteen_hours_old_is_refused_even_well_signed(alpha, client_for, peer):
    client = client_for(alpha)
    body = json.dumps(peer.follow(actor_of(client)["id"])).encode()
    old = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(hours=13)
    headers = peer.cavage_headers(inbox_url(alpha), body, Date=format_datetime(old, usegmt=True))

    answer = post_signed(client, alpha, body, headers)

    assert answer.status_code == 401
    assert "date" in answer.content.decode().lower()


def test_a_changed_date_breaks_the_signature(alpha, client_for, peer):
    client = client_for(alpha)
    body = json.dumps(peer.follow(actor_of(client)["id"])).encode()
    headers = peer.cavage_headers(inbox_url(alpha), body)
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=5)
    headers["date"] = format_datetime(later, usegmt=True)

    assert post_signed(client, alpha, body, headers).status_code == 401
    assert followers_of(alpha) == []


def test_an_unsigned_activity_is_refused(alpha, client_for, peer):
    client = client_for(alpha)
    body = json.dumps(peer.follow(actor_of(client)["id"])).encode()

    answer = post_signed(client, alpha, body, {})

    assert answer.status_code == 401
    assert followers_of(alpha) == []


def test_an_activity_in_the_name_of_another_actor_is_refused(alpha, client_for, peer):
    client = client_for(alpha)
    other = Peer(peer.server, name="bob")
    other.publish()
    follow = {**other.follow(actor_of(client)["id"])}

    answer = send(client, alpha, peer, follow)  # signed by ada, says it is bob

    assert answer.status_code == 401
    assert followers_of(alpha) == []


def test_production_refuses_a_peer_on_a_private_address(alpha, client_for, peer, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    client = client_for(alpha)

    answer = send(client, alpha, peer, peer.follow(actor_of(client)["id"]))

    assert answer.status_code == 401
    assert "adresse publique" in answer.content.decode()
    assert peer.server.received == []
    assert followers_of(alpha) == []


def test_undo_follow_removes_the_follower(alpha, client_for, peer):
    client = client_for(alpha)
    follow = peer.follow(actor_of(client)["id"])
    send(client, alpha, peer, follow)

    answer = send(client, alpha, peer, peer.undo(follow))

    assert answer.status_code == 202
    assert followers_of(alpha) == []


def test_the_delete_of_a_remote_actor_removes_its_follows(alpha, client_for, peer):
    client = client_for(alpha)
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))
    delete = {"id": peer.actor_id + "#delete", "type": "Delete", "actor": peer.actor_id}

    answer = send(client, alpha, peer, {**delete, "object": peer.actor_id})

    assert answer.status_code == 202
    assert followers_of(alpha) == []


def test_the_delete_of_an_actor_already_gone_removes_its_follows(alpha, client_for, peer):
    client = client_for(alpha)
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))
    cache.clear()  # the portal no longer remembers its key
    peer.server.serve(peer.actor_path, b"", "text/plain", status=410)
    delete = {"id": peer.actor_id + "#delete", "type": "Delete", "actor": peer.actor_id}

    answer = send(client, alpha, peer, {**delete, "object": peer.actor_id})

    assert answer.status_code == 202
    assert followers_of(alpha) == []


def test_a_forged_delete_of_a_living_actor_removes_nothing(alpha, client_for, peer):
    client = client_for(alpha)
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))
    body = json.dumps({"type": "Delete", "actor": peer.actor_id, "object": peer.actor_id}).encode()
    impostor = Peer(peer.server, name=peer.name)

    answer = post_signed(client, alpha, body, impostor.cavage_headers(inbox_url(alpha), body))

    assert answer.status_code == 401
    assert followers_of(alpha) == [peer.actor_id]


def test_a_follow_of_a_sent_to_bs_inbox_lands_nowhere(alpha, beta, client_for, peer):
    actor_a = actor_of(client_for(alpha))

    answer = send(client_for(beta), beta, peer, peer.follow(actor_a["id"]))

    assert answer.status_code == 400
    assert followers_of(alpha) == [] and followers_of(beta) == []
    assert peer.server.posts_to(peer.inbox_path) == []


def test_a_follower_of_a_is_not_one_of_b(alpha, beta, client_for, peer):
    send(client_for(alpha), alpha, peer, peer.follow(actor_of(client_for(alpha))["id"]))

    assert followers_of(alpha) == [peer.actor_id]
    assert followers_of(beta) == []
    assert client_for(beta).get("/ap/followers").json()["totalItems"] == 0


def test_an_accept_that_cannot_be_delivered_is_recorded_for_the_animators(alpha, client_for, peer):
    peer.server.accept_posts(peer.inbox_path, status=500)
    client = client_for(alpha)

    answer = send(client, alpha, peer, peer.follow(actor_of(client)["id"]))

    assert answer.status_code == 202
    with schema_context(alpha.schema_name):
        failure = DeliveryFailure.objects.get()
    assert failure.activity_type == "Accept" and failure.inbox == peer.inbox
    assert "a répondu 500" in failure.error


def test_bodies_that_are_not_activities_get_a_4xx(alpha, client_for, peer):
    client = client_for(alpha)
    for body in (b"", b"{", b"[]", b'"Follow"', b'{"type": 3}', b"\xff\xfe"):
        headers = peer.cavage_headers(inbox_url(alpha), body)
        answer = post_signed(client, alpha, body, headers)
        assert 400 <= answer.status_code < 500, body
    with schema_context(alpha.schema_name):
        assert not Follower.objects.exists()
