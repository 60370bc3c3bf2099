"""Deliveries leave the request: the Accept of a Follow waits in the database queue of
production, is retried with its backoff while the remote server fails, and lands in the
animators' list when it never gets through. Remote keys are remembered, and read again
when a server changes its key; production never delivers to a private address."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from fediverse.models import DeliveryFailure
from portal.factories import ArticlePageFactory, BlogPageFactory, BlogPostPageFactory
from tests.fediverse.conftest import Peer, actor_of, followers_of, send
from tests.task_worker import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db


def later(minutes: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


def _failures(portal) -> list[DeliveryFailure]:
    with schema_context(portal.schema_name):
        return list(DeliveryFailure.objects.all())


def test_the_accept_waits_for_the_worker_and_is_retried_until_it_gets_through(
    alpha, client_for, peer, settings
):
    settings.TASKS = DATABASE_QUEUE
    peer.server.accept_posts(peer.inbox_path, status=503)
    client = client_for(alpha)

    assert send(client, alpha, peer, peer.follow(actor_of(client)["id"])).status_code == 202
    assert peer.server.posts_to(peer.inbox_path) == []  # nothing sent while the peer waited

    assert run_worker() == 1
    assert len(peer.server.posts_to(peer.inbox_path)) == 1
    assert run_worker() == 0  # the next attempt waits its minute
    peer.server.accept_posts(peer.inbox_path, status=202)
    with later(minutes=2):
        assert run_worker() == 1

    accepts = [json.loads(post.body) for post in peer.server.posts_to(peer.inbox_path)]
    assert [activity["type"] for activity in accepts] == ["Accept", "Accept"]
    assert _failures(alpha) == []


def test_a_delivery_that_never_gets_through_is_listed_for_the_animators(
    alpha, client_for, peer, settings
):
    settings.TASKS = DATABASE_QUEUE
    peer.server.accept_posts(peer.inbox_path, status=503)
    client = client_for(alpha)
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))

    for minutes in (0, 2, 8, 40):
        with later(minutes=minutes):
            run_worker()

    assert len(peer.server.posts_to(peer.inbox_path)) == 4
    [failure] = _failures(alpha)
    assert failure.attempts == 4 and "a répondu 503" in failure.error


def test_production_never_delivers_to_a_private_address(alpha, client_for, peer, settings):
    client = client_for(alpha)
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))
    peer.server.accept_posts("/inbox")
    settings.OUTBOUND_ALLOWED_NETWORKS = []

    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Ne doit pas partir vers 127.0.0.1")

    assert peer.server.posts_to("/inbox") == []
    [failure] = _failures(alpha)
    assert "adresse publique" in failure.error


def test_each_failed_delivery_says_what_it_carried(alpha, client_for, peer, settings):
    client = client_for(alpha)
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))
    settings.OUTBOUND_ALLOWED_NETWORKS = []

    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Un article qui ne part pas")
        post = BlogPostPageFactory(parent=BlogPageFactory(), title="Un billet qui ne part pas")
        post.refresh_from_db()
        post.unpublish()

    labels = sorted(failure.activity_label() for failure in _failures(alpha))
    assert labels == [
        "Publication d'un article",
        "Publication d'un billet",
        "Retrait d'un billet",
    ]


def test_a_remote_key_is_read_once_then_remembered(alpha, client_for, peer):
    client = client_for(alpha)
    follow = peer.follow(actor_of(client)["id"])

    send(client, alpha, peer, follow)
    send(client, alpha, peer, peer.undo(follow))
    # A new Follow: the same signed request twice would be a replay (refused).
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))

    reads = [r for r in peer.server.received if r.method == "GET" and r.path == peer.actor_path]
    # One read of the key, then one of the follower's document at each Follow.
    assert len(reads) == 3
    assert followers_of(alpha) == [peer.actor_id]


def test_a_server_that_changed_its_key_is_believed_after_reading_it_again(alpha, client_for, peer):
    client = client_for(alpha)
    follow = peer.follow(actor_of(client)["id"])
    send(client, alpha, peer, follow)
    renewed = Peer(peer.server, name=peer.name)  # same actor, a new key pair
    renewed.publish()

    answer = send(client, alpha, renewed, renewed.undo(follow))

    assert answer.status_code == 202
    assert followers_of(alpha) == []
