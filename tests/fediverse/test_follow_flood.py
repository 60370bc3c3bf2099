"""A hostile server that mints actors to flood a portal with follows is held back: past
``FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR`` follows from its host, the portal answers 429
(a short English reason and ``Retry-After``), keeps no follower and sends no Accept.
The count is the portal's own (another portal still takes that host's follows) and only
follows taken count (one refused for another reason leaves the count as it was)."""

from __future__ import annotations

import json

import pytest

from tests.fediverse.conftest import Peer, actor_of, followers_of, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood(peer):
    """``count`` more actors on the peer's server (the same host), each serving its
    actor document and taking posts at its inbox."""

    def mint(count: int) -> list[Peer]:
        actors = [Peer(peer.server, name=f"{peer.name}x{n}") for n in range(count)]
        for actor in actors:
            actor.publish()
        return actors

    return mint


def _reads_of(peer: Peer) -> int:
    return sum(
        1 for got in peer.server.received if got.method == "GET" and got.path == peer.actor_path
    )


def test_follows_past_the_limit_from_one_host_are_refused_without_accept(
    alpha, client_for, flood, settings
):
    settings.FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR = 2
    client = client_for(alpha)
    portal_actor = actor_of(client)["id"]
    first, second, third = flood(3)

    answers = [send(client, alpha, actor, actor.follow(portal_actor)) for actor in (first, second)]
    refused = send(client, alpha, third, third.follow(portal_actor))

    assert [answer.status_code for answer in answers] == [202, 202]
    assert refused.status_code == 429
    assert refused.content.decode() == "Too many follows from this server, try again later"
    assert int(refused["Retry-After"]) > 0
    assert sorted(followers_of(alpha)) == sorted([first.actor_id, second.actor_id])
    accepts = [json.loads(post.body) for post in first.server.posts_to(first.inbox_path)]
    accepts += [json.loads(post.body) for post in second.server.posts_to(second.inbox_path)]
    assert [accept["type"] for accept in accepts] == ["Accept", "Accept"]
    assert third.server.posts_to(third.inbox_path) == []
    # Refused before its actor was fetched as a follower: read once, for its key only.
    assert _reads_of(third) == 1


def test_the_limit_is_each_portals_own(alpha, beta, client_for, flood, settings):
    settings.FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR = 1
    first, second = flood(2)
    to_alpha = client_for(alpha)
    alpha_actor = actor_of(to_alpha)["id"]
    assert send(to_alpha, alpha, first, first.follow(alpha_actor)).status_code == 202
    assert send(to_alpha, alpha, second, second.follow(alpha_actor)).status_code == 429

    to_beta = client_for(beta)
    answer = send(to_beta, beta, second, second.follow(actor_of(to_beta)["id"]))

    assert answer.status_code == 202
    assert followers_of(beta) == [second.actor_id]
    assert followers_of(alpha) == [first.actor_id]


def test_a_follow_refused_for_another_reason_does_not_use_up_the_limit(
    alpha, client_for, flood, settings
):
    settings.FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR = 1
    client = client_for(alpha)
    portal_actor = actor_of(client)["id"]
    misleading, honest = flood(2)
    document = misleading.actor_document()
    document["inbox"] = "https://ailleurs.example/inbox"  # not on its own server
    misleading.server.serve(
        misleading.actor_path, json.dumps(document).encode(), "application/activity+json"
    )

    refused = send(client, alpha, misleading, misleading.follow(portal_actor))
    taken = send(client, alpha, honest, honest.follow(portal_actor))

    assert refused.status_code == 400
    assert taken.status_code == 202
    assert followers_of(alpha) == [honest.actor_id]
