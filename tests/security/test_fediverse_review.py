"""The fediverse's addresses as an attacker sees them: a key that claims to be someone
else's, signatures that break the parser, a replayed request, an Accept header in capitals
to poison the page cache, another portal's handle at this portal's host."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django_tenants.utils import schema_context

from fediverse.signatures import digest_header
from portal.factories import ArticlePageFactory
from tests.conftest import host
from tests.fediverse.conftest import (
    AP,
    Peer,
    _peer_server,
    actor_of,
    followers_of,
    inbox_url,
    peer,
    post_signed,
    send,
)

# The remote actor and its server: tests/fediverse's fixtures.
__all__ = ["_peer_server", "peer"]

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _followed_by(client, portal, someone: Peer) -> dict:
    follow = someone.follow(actor_of(client)["id"])
    assert send(client, portal, someone, follow).status_code == 202
    assert followers_of(portal) == [someone.actor_id]
    return follow


# --- Signatures: whose key is it? ---------------------------------------------------------


def test_a_key_whose_document_names_another_owner_cannot_speak_for_that_owner(
    alpha, client_for, peer
):
    """Mallory serves, at her own address, a key document saying its owner is Ada: a
    signature with that key must not pass for Ada's (an Undo of Ada's Follow here)."""
    client = client_for(alpha)
    follow = _followed_by(client, alpha, peer)
    mallory = Peer(peer.server, name="mallory")
    mallory.key_id = peer.server.base + "/keys/mallory"
    forged_key = {
        "id": mallory.key_id,
        "owner": peer.actor_id,
        "publicKeyPem": mallory.public_pem(),
    }
    peer.server.serve("/keys/mallory", json.dumps(forged_key).encode(), AP)

    answer = send(client, alpha, mallory, peer.undo(follow))

    assert answer.status_code == 401
    assert followers_of(alpha) == [peer.actor_id]


def test_an_actor_document_claiming_another_id_cannot_speak_for_it(alpha, client_for, peer):
    """The same through an actor document at Mallory's address whose ``id`` is Ada's."""
    client = client_for(alpha)
    follow = _followed_by(client, alpha, peer)
    mallory = Peer(peer.server, name="mallory2")
    document = {
        **mallory.actor_document(),
        "id": peer.actor_id,
        "publicKey": {"id": mallory.key_id, "publicKeyPem": mallory.public_pem()},
    }
    peer.server.serve(mallory.actor_path, json.dumps(document).encode(), AP)

    answer = send(client, alpha, mallory, peer.undo(follow))

    assert answer.status_code == 401
    assert followers_of(alpha) == [peer.actor_id]


def test_a_key_kept_apart_from_its_actor_still_works_when_the_actor_names_it(
    alpha, client_for, peer
):
    """GoToSocial's shape: the keyId is its own document, the owner's names it back."""
    client = client_for(alpha)
    peer.key_id = peer.actor_id + "/main-key"
    key_document = {"id": peer.key_id, "owner": peer.actor_id, "publicKeyPem": peer.public_pem()}
    actor = peer.actor_document()
    peer.server.serve(peer.actor_path + "/main-key", json.dumps(key_document).encode(), AP)
    peer.server.serve(peer.actor_path, json.dumps(actor).encode(), AP)

    answer = send(client, alpha, peer, peer.follow(actor_of(client)["id"]))

    assert answer.status_code == 202
    assert followers_of(alpha) == [peer.actor_id]


# --- Signatures: nothing a visitor writes gives a 500 -------------------------------------


def _unsigned_headers(body: bytes, **headers: str) -> dict[str, str]:
    return {"Digest": digest_header(body), **headers}


@pytest.mark.parametrize("created", ["99999999999999999999999", "²", "-1"])
def test_a_cavage_created_out_of_any_calendar_is_refused_not_a_500(alpha, client_for, created):
    client = client_for(alpha)
    body = b'{"type": "Follow"}'
    signature = (
        f'keyId="https://ailleurs.example/k",headers="(request-target) host (created) digest",'
        f'created="{created}",signature="AAAA"'
    )

    answer = post_signed(client, alpha, body, _unsigned_headers(body, Signature=signature))

    assert answer.status_code == 401


def _content_digest(body: bytes) -> str:
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


@pytest.mark.parametrize(
    ("created", "with_digest_header"),
    [("999999999999999", True), ("-999999999999999", True), (None, False)],
)
def test_an_rfc_9421_signature_that_cannot_hold_is_refused_not_a_500(
    alpha, client_for, created, with_digest_header
):
    client = client_for(alpha)
    body = b'{"type": "Follow"}'
    created = created or str(int(time.time()))
    headers = {
        "Signature-Input": (
            f'sig1=("@method" "@target-uri" "content-digest");created={created};'
            'keyid="https://ailleurs.example/k"'
        ),
        "Signature": "sig1=:AAAA:",
    }
    if with_digest_header:
        headers["Content-Digest"] = _content_digest(body)

    answer = post_signed(client, alpha, body, headers)

    assert answer.status_code == 401


# --- Replay -------------------------------------------------------------------------------


def test_a_signed_follow_replayed_after_its_undo_does_not_follow_again(alpha, client_for, peer):
    """Someone who saw Ada's signed Follow go by sends it again after she left."""
    client = client_for(alpha)
    follow = peer.follow(actor_of(client)["id"])
    body = json.dumps(follow).encode()
    headers = peer.cavage_headers(inbox_url(alpha), body)
    assert post_signed(client, alpha, body, headers).status_code == 202
    assert send(client, alpha, peer, peer.undo(follow)).status_code == 202
    assert followers_of(alpha) == []

    replayed = post_signed(client, alpha, body, headers)

    assert replayed.status_code in (202, 401)
    assert followers_of(alpha) == []


# --- The page cache -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept", ["APPLICATION/ACTIVITY+JSON", 'Application/LD+JSON; profile="x"']
)
def test_an_accept_header_in_capitals_leaves_no_json_in_the_page_cache(
    alpha, client_for, settings, accept
):
    settings.PAGE_CACHE_ENABLED = True
    with schema_context(alpha.schema_name):
        page = ArticlePageFactory(title="Kermesse")
    client = client_for(alpha)
    address = f"/ap/articles/{page.pk}"

    client.get(address, HTTP_ACCEPT=accept)
    browser = client.get(address, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert browser.status_code == 302
    assert browser["X-Cache"] != "HIT"


# --- WebFinger ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resource",
    [
        "acct:{b}@{a}",
        "acct:{b}@{b_host}",
        "acct:{a_slug}@{b_host}",
        "https://{b_host}/",
        "http://{b_host}/",
        "acct:{b}@{a}@{a}",
        "{b}@{a}",
    ],
)
def test_webfinger_never_answers_for_another_portal(alpha, beta, client_for, resource):
    asked = resource.format(b=beta.slug, a=host(alpha), b_host=host(beta), a_slug=alpha.slug)

    answer = client_for(alpha).get("/.well-known/webfinger", {"resource": asked})

    assert answer.status_code == 404


# --- The private key ------------------------------------------------------------------------


def test_no_answer_of_the_fediverse_addresses_holds_the_private_key(alpha, client_for, peer):
    client = client_for(alpha)
    _followed_by(client, alpha, peer)
    from fediverse.models import ActorKey

    with schema_context(alpha.schema_name):
        private = ActorKey.objects.get().private_key_pem
    secret = private.splitlines()[2]
    key = serialization.load_pem_private_key(private.encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    answers = [
        client.get("/", HTTP_ACCEPT=AP),
        client.get("/ap/outbox"),
        client.get("/ap/outbox?page=1"),
        client.get("/ap/followers"),
        client.get("/nodeinfo/2.1"),
        client.get("/.well-known/webfinger", {"resource": f"acct:{alpha.slug}@{host(alpha)}"}),
    ]
    sent = peer.server.posts_to(peer.inbox_path)
    for answer in answers:
        assert secret not in answer.content.decode()
    for request in sent:
        assert secret.encode() not in request.body
        assert all(secret not in value for value in request.headers.values())


# --- Where a Follow may make us post ------------------------------------------------------


@pytest.mark.parametrize(
    "inbox", ["https://tiers.example/boite", "http://{beta}/ap/inbox", "http://10.0.0.7/inbox"]
)
def test_a_follow_whose_inbox_is_not_on_the_followers_server_is_refused(
    alpha, beta, client_for, peer, inbox
):
    """An actor document may name any inbox: ours would then post, signed, wherever it
    says (a third party, another of our portals, a private address)."""
    client = client_for(alpha)
    document = {**peer.actor_document(), "inbox": inbox.format(beta=host(beta))}
    document["endpoints"] = {}
    peer.server.serve(peer.actor_path, json.dumps(document).encode(), AP)

    answer = send(client, alpha, peer, peer.follow(actor_of(client)["id"]))

    assert answer.status_code == 400
    assert followers_of(alpha) == []
    assert peer.server.posts_to(peer.inbox_path) == []


def test_nothing_is_posted_to_a_follower_row_naming_one_of_our_portals(alpha, beta):
    """A follower row naming beta's inbox (made before the check, or by hand) gets nothing:
    the delivery is refused for good and listed for the animators."""
    from fediverse.factories import FollowerFactory
    from fediverse.models import DeliveryFailure

    with schema_context(alpha.schema_name):
        FollowerFactory(inbox=f"https://{host(beta)}/ap/inbox", shared_inbox="")
        ArticlePageFactory(title="Ne part pas chez un voisin du réseau")
        [failure] = DeliveryFailure.objects.all()

    assert failure.inbox == f"https://{host(beta)}/ap/inbox"
    assert "portail du réseau" in failure.error


# --- An article made private after it went out -------------------------------------------


@pytest.mark.parametrize("restricted_first", ["article", "section"])
def test_an_article_made_private_after_publication_is_withdrawn_once(alpha, peer, restricted_first):
    """Restricted (itself or its section): its followers get a Delete; restricted again
    from above or below, it was no longer public and nothing more goes out."""
    from wagtail.models import PageViewRestriction

    from fediverse.factories import FollowerFactory

    with schema_context(alpha.schema_name):
        FollowerFactory(actor_id=peer.actor_id, inbox=peer.inbox, shared_inbox="")
        page = ArticlePageFactory(title="Compte rendu du conseil")
        targets = [page, page.get_parent()]
        if restricted_first == "section":
            targets.reverse()
        for target in targets:
            PageViewRestriction.objects.create(
                page=target, restriction_type=PageViewRestriction.LOGIN
            )

    sent = [json.loads(post.body) for post in peer.server.posts_to(peer.inbox_path)]
    assert [activity["type"] for activity in sent] == ["Create", "Delete"]
    assert sent[1]["object"]["id"].endswith(f"/ap/articles/{page.pk}")
