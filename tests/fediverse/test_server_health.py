"""A remote server that keeps failing is paused for every portal at once (one health
record per server in the public schema): deliveries to it from any portal wait, none is
lost, each goes exactly once when the server is back. The federation's staff see the
paused servers; a portal's animators see, in their failed deliveries, that a server is
paused."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from fediverse.factories import DeliveryFailureFactory
from fediverse.models import DeliveryFailure
from fediverse.servers import health
from fediverse.servers.models import RemoteServer
from portal.factories import ArticlePageFactory
from tenants.default_portal import FEDERATION_STAFF
from tests.conftest import logged_in
from tests.federation.test_network_admin import logged_in as logged_in_at
from tests.federation.test_network_admin import make_user
from tests.fediverse.conftest import Peer, actor_of, send
from tests.task_worker import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db

SHARED_INBOX = "/inbox"
FAILURES = "/admin/fediverse/echecs/"
SERVERS = "/admin/fediverse/serveurs/"


def later(minutes: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture
def pause_after_two(settings):
    settings.FEDIVERSE_FAILURES_BEFORE_PAUSE = 2
    settings.FEDIVERSE_FIRST_PAUSE_SECONDS = 600


def follow(client_for, portal, peer: Peer) -> str:
    """``peer`` follows ``portal`` (its Accept goes at once); the portal's actor id."""
    client = client_for(portal)
    me = actor_of(client)["id"]
    assert send(client, portal, peer, peer.follow(me)).status_code == 202
    return me


def creates_received(peer: Peer) -> list[dict]:
    posts = [json.loads(post.body) for post in peer.server.posts_to(SHARED_INBOX)]
    return [activity for activity in posts if activity["type"] == "Create"]


def server_record(peer: Peer) -> RemoteServer | None:
    host = peer.server.base.removeprefix("http://")
    return RemoteServer.objects.filter(host=host).first()


def test_a_failing_server_is_paused_for_every_portal_and_gets_each_delivery_once_back(
    alpha, beta, client_for, peer, settings, pause_after_two
):
    alpha_actor = follow(client_for, alpha, peer)
    neighbour = Peer(peer.server, name=peer.name + "b")  # another account, same server
    neighbour.publish()
    beta_actor = follow(client_for, beta, neighbour)
    settings.TASKS = DATABASE_QUEUE
    peer.server.accept_posts(SHARED_INBOX, status=503)
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Vide-grenier rue des Envierges")
    with schema_context(beta.schema_name):
        ArticlePageFactory(title="Concert au square")

    run_worker()  # each portal's delivery fails: two failures in a row, the server paused
    assert len(peer.server.posts_to(SHARED_INBOX)) == 2
    assert server_record(peer).is_paused()

    with later(minutes=2):  # both retries are due, but the server is paused: they wait
        run_worker()
    assert len(peer.server.posts_to(SHARED_INBOX)) == 2

    peer.server.accept_posts(SHARED_INBOX, status=202)  # the server is back
    with later(minutes=11):
        run_worker()
    with later(minutes=60):
        run_worker()

    delivered = [a["actor"] for a in creates_received(peer)[2:]]
    assert sorted(delivered) == sorted([alpha_actor, beta_actor])  # once each, none lost
    record = server_record(peer)
    assert record.consecutive_failures == 0 and not record.is_paused()
    for portal in (alpha, beta):
        with schema_context(portal.schema_name):
            assert not DeliveryFailure.objects.exists()


def test_a_refusal_of_one_activity_does_not_pause_the_server(
    alpha, client_for, peer, settings, pause_after_two
):
    follow(client_for, alpha, peer)
    peer.server.accept_posts(SHARED_INBOX, status=401)

    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Atelier vélo")
        ArticlePageFactory(title="Fresque du gymnase")

    record = server_record(peer)
    assert record is None or not record.is_paused()


def test_without_a_worker_a_delivery_to_a_paused_server_is_listed_as_paused(
    alpha, client_for, peer, pause_after_two
):
    follow(client_for, alpha, peer)
    RemoteServer.objects.create(
        host=peer.server.base.removeprefix("http://"),
        consecutive_failures=7,
        paused_until=timezone.now() + datetime.timedelta(hours=1),
    )

    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Repair café")
        [failure] = DeliveryFailure.objects.all()

    assert peer.server.posts_to(SHARED_INBOX) == []
    assert "est en pause jusqu'au" in failure.error


def test_the_animators_failed_deliveries_say_which_server_is_paused(alpha, client_for, animator_of):
    RemoteServer.objects.create(
        host="panne.example",
        consecutive_failures=9,
        paused_until=timezone.now() + datetime.timedelta(hours=2),
    )
    with schema_context(alpha.schema_name):
        DeliveryFailureFactory(inbox="https://panne.example/inbox")
        DeliveryFailureFactory(inbox="https://en-forme.example/inbox")
    animator = logged_in(client_for(alpha), animator_of(alpha))

    listing = animator.get(FAILURES)

    assert listing.status_code == 200
    assert listing.text.count("est en pause jusqu&#x27;au") == 1
    assert "Le serveur panne.example est en pause" in listing.text.replace("&#x27;", "'")


def test_the_federation_staff_see_the_paused_servers_and_an_animator_does_not(
    alpha, federation, client_for, animator_of
):
    RemoteServer.objects.create(
        host="en-panne.example",
        consecutive_failures=12,
        paused_until=timezone.now() + datetime.timedelta(hours=3),
        last_error="en-panne.example a répondu 502",
    )
    RemoteServer.objects.create(host="a-peine-lent.example", consecutive_failures=1)
    staff = logged_in_at(
        federation, make_user(federation, "sante@federation.example", FEDERATION_STAFF)
    )
    animator = logged_in(client_for(alpha), animator_of(alpha))

    seen = staff.get(SERVERS)
    refused = animator.get(SERVERS)

    assert seen.status_code == 200
    assert "en-panne.example" in seen.text and "a répondu 502" in seen.text
    assert seen.text.index("en-panne.example") < seen.text.index("a-peine-lent.example")
    assert refused.status_code in (302, 403) and "en-panne.example" not in refused.text


def test_failures_already_under_way_do_not_stretch_a_pause_but_the_next_one_is_longer(
    pause_after_two,
):
    now = timezone.now()

    for _ in range(12):  # a publication of many portals, all failing at once
        first_pause = health.record_failure("lointain.example", "lointain.example a répondu 503")
    with time_machine.travel(first_pause + datetime.timedelta(seconds=1), tick=False):
        second_pause = health.record_failure("lointain.example", "toujours en panne")
    health.record_success("lointain.example")

    assert datetime.timedelta(minutes=9) < first_pause - now < datetime.timedelta(minutes=11)
    assert second_pause - first_pause > datetime.timedelta(minutes=19)
    assert health.paused_until("lointain.example") is None
