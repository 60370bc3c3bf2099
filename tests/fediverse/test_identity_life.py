"""The portal's federated identity through its life: a new primary host moves the actor
(``Move``, ``alsoKnownAs``, ``movedTo``), a deleted portal sends the ``Delete`` of its
actor first, an imported copy is a new actor (its own key, no followers). None of it ever
reaches another portal's followers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from apsig.draft.verify import Verifier
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from core.task_queue import failed_tasks
from fediverse.keys import agenda_key, portal_key
from fediverse.models import Follower
from portal.factories import ArticlePageFactory
from tenants.domains import add_domain, make_primary, remove_domain
from tenants.factories import PortalSpecFactory
from tenants.lifecycle import archive, delete_archived
from tenants.models import Domain
from tenants.portability import export_portal, import_portal
from tenants.provisioning import provision_neighbourhood
from tests.conftest import host
from tests.fediverse.agenda import agenda_of, send_to_agenda
from tests.fediverse.conftest import AP_ACCEPT, Peer, actor_of, followers_of, send
from tests.local_server import LocalServer, local_server
from tests.task_worker import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db

SHARED_INBOX = "/inbox"


@pytest.fixture
def elsewhere(settings) -> Iterator[Peer]:
    """Another server's account, to follow another portal: what it receives is what
    leaked from the portal under test."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with local_server() as server:
        made = Peer(server, name="bob")
        made.publish()
        server.accept_posts(SHARED_INBOX)
        yield made


def follow(client_for, portal, peer: Peer) -> dict:
    """``peer`` follows ``portal``; the portal's actor document."""
    peer.server.accept_posts(SHARED_INBOX)
    client = client_for(portal)
    actor = actor_of(client)
    assert send(client, portal, peer, peer.follow(actor["id"])).status_code == 202
    return actor


def received(server: LocalServer, kind: str) -> list[tuple[dict, object]]:
    """The activities of type ``kind`` the server's shared inbox got, with their request."""
    posts = [(json.loads(post.body), post) for post in server.posts_to(SHARED_INBOX)]
    return [(activity, post) for activity, post in posts if activity["type"] == kind]


def verified_key_id(server: LocalServer, post, public_pem: str) -> str:
    """The keyId of a delivery's signature, checked by ``apsig`` with ``public_pem``."""
    verifier = Verifier(public_pem, "POST", server.base + SHARED_INBOX, post.headers, post.body)
    return verifier.verify(raise_on_fail=True)


# --- A new primary host: Move ---------------------------------------------------------


def test_a_new_primary_host_moves_the_actor_and_tells_only_its_followers(
    alpha, beta, client_for, peer, elsewhere
):
    before = follow(client_for, alpha, peer)
    follow(client_for, beta, elsewhere)
    old_host = host(alpha)
    add_domain(alpha, "alpha-nouveau.localhost")

    remove_domain(Domain.objects.get(domain=old_host))

    [(move, post)] = received(peer.server, "Move")
    assert move["actor"] == move["object"] == before["id"]
    assert move["target"] == actor_of(client_for(alpha))["id"] != before["id"]
    public_pem = before["publicKey"]["publicKeyPem"]
    assert verified_key_id(peer.server, post, public_pem) == before["id"] + "#main-key"
    assert received(elsewhere.server, "Move") == []


def test_the_new_actor_names_the_old_one_and_the_old_host_says_where_it_went(
    alpha, client_for, peer
):
    before = follow(client_for, alpha, peer)
    old_host = host(alpha)

    make_primary(add_domain(alpha, "alpha-nouveau.localhost"))  # the old name still serves

    new = client_for(alpha).get("/", HTTP_ACCEPT=AP_ACCEPT).json()
    old = Client(HTTP_HOST=old_host).get("/", HTTP_ACCEPT=AP_ACCEPT).json()

    assert new["alsoKnownAs"] == [before["id"]]
    assert old["id"] == before["id"] and old["movedTo"] == new["id"]
    assert old["publicKey"]["id"] == before["publicKey"]["id"]
    assert old["publicKey"]["publicKeyPem"] == new["publicKey"]["publicKeyPem"]


# --- A portal deleted: Delete of its actor, first ---------------------------------------


def settle_deferred_checks() -> None:
    """Run the foreign-key checks deferred to the commit now: a schema with checks pending
    cannot be dropped in the transaction that filled it (real life uses two)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_deleted_portal_sends_the_signed_delete_of_its_actor_to_its_followers_only(
    alpha, client_for, peer, elsewhere, settings
):
    portal = provision_neighbourhood(PortalSpecFactory(slug="ephemere")).neighbourhood
    actor = follow(client_for, portal, peer)
    agenda = agenda_of(client_for(portal))
    follow_agenda = peer.follow(agenda["id"])
    assert send_to_agenda(client_for(portal), portal, peer, follow_agenda).status_code == 202
    follow(client_for, alpha, elsewhere)
    settings.TASKS = DATABASE_QUEUE
    with schema_context(portal.schema_name):
        ArticlePageFactory(title="Dernier numéro")  # still queued when the portal goes
    archive(portal, "Fin du projet")
    settle_deferred_checks()

    delete_archived(portal, portal.name)
    assert not schema_exists("ephemere")
    run_worker()  # after the schema, and its key, are gone

    assert received(peer.server, "Create") == []  # dropped quietly, not a failed task
    assert failed_tasks() == []
    deletes = {delete["object"]: (delete, post) for delete, post in received(peer.server, "Delete")}
    assert sorted(deletes) == sorted([actor["id"], agenda["id"]])  # the portal and its agenda
    for gone in (actor, agenda):
        delete, post = deletes[gone["id"]]
        assert delete["actor"] == gone["id"]
        public_pem = gone["publicKey"]["publicKeyPem"]
        assert verified_key_id(peer.server, post, public_pem) == gone["publicKey"]["id"]
    assert received(elsewhere.server, "Delete") == []
    assert elsewhere.actor_id in followers_of(alpha)


# --- An imported copy: a new actor -----------------------------------------------------


@pytest.fixture(scope="module")
def exported_with_a_follower(alpha, django_db_blocker, tmp_path_factory):
    """alpha with its key and a follower (committed: pg_dump reads only what is), exported."""
    with django_db_blocker.unblock():
        with schema_context(alpha.schema_name):
            key = portal_key().public_key_pem
            agenda_public_key = agenda_key().public_key_pem
            Follower.objects.create(
                actor_id="https://masto.example/users/samia",
                inbox="https://masto.example/users/samia/inbox",
                shared_inbox="https://masto.example/inbox",
            )
        archive_path = export_portal(alpha, tmp_path_factory.mktemp("export") / "alpha.tar.gz")
        connection.set_schema_to_public()
    yield archive_path, key, agenda_public_key
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        Follower.objects.filter(actor_id="https://masto.example/users/samia").delete()


def test_an_imported_copy_signs_with_its_own_key_and_has_no_followers(
    alpha, exported_with_a_follower, client_for
):
    archive_path, original_key, original_agenda_key = exported_with_a_follower

    copy = import_portal(archive_path, "gamma", domain="gamma.localhost", name="Copie d'Alpha")

    copy_actor = client_for(copy).get("/", HTTP_ACCEPT=AP_ACCEPT).json()
    assert copy_actor["publicKey"]["publicKeyPem"] != original_key
    copy_agenda = agenda_of(client_for(copy))["publicKey"]["publicKeyPem"]
    assert copy_agenda != original_agenda_key
    assert copy_agenda not in (original_key, copy_actor["publicKey"]["publicKeyPem"])
    assert followers_of(copy) == []
    original_actor = client_for(alpha).get("/", HTTP_ACCEPT=AP_ACCEPT).json()
    assert original_actor["publicKey"]["publicKeyPem"] == original_key
    assert followers_of(alpha) == ["https://masto.example/users/samia"]
