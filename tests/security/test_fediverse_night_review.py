"""The fediverse work of the night of 1 December as an attacker sees it: the agenda actor
and its events, the blog posts' Notes and tombstones, the remote servers' list, the
primary host's Move. Each test is an attack that once worked, or one that must keep
failing."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from fediverse.factories import FollowerFactory
from fediverse.models import AgendaFollower, FormerAddress
from fediverse.servers.models import RemoteServer
from portal.factories import BlogPageFactory, BlogPostPageFactory, EventPageFactory
from portal.public import EventIndexPage
from tenants.domains import add_domain
from tenants.group_names import ANIMATORS
from tests.conftest import host, logged_in
from tests.federation.test_network_admin import logged_in as logged_in_at
from tests.federation.test_network_admin import make_user, portal_url
from tests.fediverse.agenda import AGENDA_INBOX, agenda_of, send_to_agenda
from tests.fediverse.conftest import (
    AP_ACCEPT,
    Peer,
    _peer_server,
    actor_of,
    followers_of,
    inbox_url,
    peer,
    post_signed,
    send,
)
from tests.fediverse.test_server_health import SERVERS

# The remote actor and its server: tests/fediverse's fixtures.
__all__ = ["_peer_server", "peer"]

pytestmark = pytest.mark.django_db


def _no_raise(portal) -> Client:
    """A client that gets a server error as a 500 answer rather than an exception."""
    return Client(HTTP_HOST=host(portal), raise_request_exception=False)


@pytest.mark.parametrize("path", ["/ap/outbox", "/ap/agenda/outbox"])
@pytest.mark.parametrize("page", ["²", "\u0661", "\U0001d7d9", "0", "-1", "1.0", "99999999999"])
def test_an_outbox_page_in_odd_digits_is_unknown_or_served_never_a_crash(alpha, path, page):
    """``"²".isdigit()`` is true and ``int("²")`` raises: a page number in superscript
    (or any digit int() refuses) answered 500."""
    answer = _no_raise(alpha).get(path, {"page": page}, HTTP_ACCEPT=AP_ACCEPT)

    assert answer.status_code in (200, 404), (page, answer.status_code)


def test_a_follow_signed_for_the_portals_inbox_does_not_pass_at_the_agendas(
    alpha, client_for, peer
):
    """The same signed Follow, sent to the agenda's inbox instead of the portal's: its
    signature covers the path it was signed for."""
    client = client_for(alpha)
    agenda = agenda_of(client)
    follow = peer.follow(agenda["id"])
    body = json.dumps(follow).encode()
    headers = peer.cavage_headers(inbox_url(alpha), body)

    answer = post_signed(client, alpha, body, headers, path=AGENDA_INBOX)

    assert answer.status_code == 401
    with schema_context(alpha.schema_name):
        assert not AgendaFollower.objects.exists()


def test_the_agenda_cannot_be_followed_in_the_portals_name(alpha, client_for, peer):
    """A Follow of the portal's actor sent to the agenda's inbox follows nothing."""
    client = client_for(alpha)
    answer = send_to_agenda(client, alpha, peer, peer.follow(actor_of(client)["id"]))

    assert answer.status_code == 400


def test_a_private_event_answers_like_one_that_never_was(alpha, client_for):
    """An event published straight into a private section never went out: its address
    answers 404 like an id that does not exist, not 410 (which tells an outsider that
    a private event with this id exists)."""
    with schema_context(alpha.schema_name):
        agenda = EventIndexPage.objects.get(locale__language_code="fr")
        private = agenda.add_child(
            instance=EventPageFactory.build(title="Bureau de l'association", live=False)
        )
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        private.save_revision().publish()
    client = client_for(alpha)

    answer = client.get(f"/ap/events/{private.pk}", HTTP_ACCEPT=AP_ACCEPT)
    never = client.get(f"/ap/events/{private.pk + 1000}", HTTP_ACCEPT=AP_ACCEPT)

    assert never.status_code == 404
    assert answer.status_code == 404
    assert "Bureau" not in answer.content.decode()


def test_one_user_following_again_and_again_does_not_lock_out_their_whole_server(
    alpha, client_for, peer, settings
):
    """One account on a big server follows, unfollows, follows again...: each Follow took
    one of its server's follows of the hour, and once they were used up, no other person
    of that server could follow the portal for an hour. One actor's follows now count once
    for its server (and are held back on their own past a few)."""
    settings.FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR = 2
    client = client_for(alpha)
    portal_actor = actor_of(client)["id"]
    for _ in range(3):
        follow = peer.follow(portal_actor)
        assert send(client, alpha, peer, follow).status_code == 202
        assert send(client, alpha, peer, peer.undo(follow)).status_code == 202
    neighbour = Peer(peer.server, name=f"{peer.name}voisin")
    neighbour.publish()

    answer = send(client, alpha, neighbour, neighbour.follow(portal_actor))

    assert answer.status_code == 202
    assert followers_of(alpha) == [neighbour.actor_id]


def test_one_actor_following_without_end_is_held_back_on_its_own(alpha, client_for, peer, settings):
    """...while one actor repeating its Follow (each costing a fetch and an Accept) is
    refused past a few an hour."""
    settings.FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR = 100
    client = client_for(alpha)
    portal_actor = actor_of(client)["id"]

    answers = [send(client, alpha, peer, peer.follow(portal_actor)).status_code for _ in range(8)]

    assert answers[0] == 202 and answers[-1] == 429


class _LongInboxPeer(Peer):
    """A remote actor whose document names an inbox longer than any address we keep."""

    def actor_document(self) -> dict:
        return {**super().actor_document(), "inbox": self.inbox + "?" + "x" * 600}


@pytest.mark.parametrize("long", ["inbox", "actor"])
def test_a_follower_with_an_address_too_long_to_keep_is_refused_not_a_crash(alpha, peer, long):
    """A remote actor's inbox (or its own address) longer than the follower's columns
    made the Follow a database error: a 500 to the remote server, at both inboxes."""
    if long == "inbox":
        someone = _LongInboxPeer(peer.server, name=f"{peer.name}long")
    else:
        someone = Peer(peer.server, name=peer.name + "l" * 520)
    someone.publish()
    client = _no_raise(alpha)
    agenda = agenda_of(client)

    to_portal = send(client, alpha, someone, someone.follow(actor_of(client)["id"]))
    to_agenda = send_to_agenda(client, alpha, someone, someone.follow(agenda["id"]))

    assert to_portal.status_code == 400 and to_agenda.status_code == 400
    assert followers_of(alpha) == []


@pytest.fixture
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def test_the_remote_servers_list_is_out_of_reach_of_animators_and_of_other_portals(
    alpha, federation, client_for, animator_of
):
    """The network's remote servers (their errors, their pauses) through every address
    of their admin, by an animator of a portal and by an animator of the federation's
    own portal: nothing read, nothing lifted."""
    server = RemoteServer.objects.create(
        host="instance-en-panne.example",
        consecutive_failures=9,
        paused_until=timezone.now() + datetime.timedelta(hours=2),
        last_error="erreur-interne-secrete",
    )
    at_alpha = logged_in(client_for(alpha), animator_of(alpha))
    at_federation = logged_in_at(
        federation, make_user(federation, "anim@federation.example", ANIMATORS)
    )
    addresses = [
        SERVERS,
        f"{SERVERS}results/",
        f"{SERVERS}inspect/{server.pk}/",
        f"{SERVERS}edit/{server.pk}/",
        f"{SERVERS}delete/{server.pk}/",
    ]

    for browser in (at_alpha, at_federation):
        for address in addresses:
            answer = browser.get(address)
            assert answer.status_code != 200, address
            assert "erreur-interne-secrete" not in answer.content.decode(), address
        browser.post(f"{SERVERS}delete/{server.pk}/")
        browser.post(f"{SERVERS}edit/{server.pk}/", {"last_error": "effacé"})

    server.refresh_from_db()
    assert server.paused_until is not None and server.last_error == "erreur-interne-secrete"


def test_an_animator_cannot_make_another_host_primary(alpha, client_for, animator_of):
    """The Move follows a primary host change: only the network's staff make one."""
    added = add_domain(alpha, "alpha-autre.localhost")
    browser = logged_in(client_for(alpha), animator_of(alpha))

    answer = browser.post(portal_url(alpha), {"action": "make_primary", "domain": added.pk})

    assert answer.status_code in (302, 403, 404)
    added.refresh_from_db()
    assert not added.is_primary
    with schema_context(alpha.schema_name):
        assert not FormerAddress.objects.exists()


def test_an_event_moved_under_a_private_section_is_withdrawn_from_the_relays(
    alpha, peer, client_for
):
    """An event that went out, then moved into a members-only agenda: the relays kept
    listing it (no Delete went out) although the public can no longer read it."""
    peer.server.accept_posts("/inbox")
    client = client_for(alpha)
    assert (
        send_to_agenda(client, alpha, peer, peer.follow(agenda_of(client)["id"])).status_code == 202
    )
    with schema_context(alpha.schema_name):
        event = EventPageFactory(title="Assemblée générale")
        home = EventIndexPage.objects.get(locale__language_code="fr").get_parent()
        members = home.add_child(
            instance=EventIndexPage(title="Agenda des adhérents", slug="adherents")
        )
        PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
        event.move(members, pos="last-child")

    received = [json.loads(post.body) for post in peer.server.posts_to("/inbox")]
    assert [activity["type"] for activity in received] == ["Announce", "Delete"]
    assert received[1]["object"]["id"] == received[0]["object"]["id"]
    assert client.get(f"/ap/events/{event.pk}", HTTP_ACCEPT=AP_ACCEPT).status_code == 410


def test_a_blog_post_moved_into_a_private_blog_is_withdrawn_from_the_followers(
    alpha, peer, client_for
):
    """The same through the portal's actor: a resident's post that went out as a Note,
    then moved into the members-only blog, stayed on the followers' servers."""
    with schema_context(alpha.schema_name):
        FollowerFactory(actor_id=peer.actor_id, inbox=peer.inbox, shared_inbox="")
        post = BlogPostPageFactory(parent=BlogPageFactory(), title="Compte rendu du bureau")
        members = BlogPageFactory(title="Blog des adhérents")
        PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
        post.move(members, pos="last-child")

    sent = [json.loads(got.body) for got in peer.server.posts_to(peer.inbox_path)]
    assert [activity["type"] for activity in sent] == ["Create", "Delete"]
    answer = client_for(alpha).get(f"/ap/notes/{post.pk}", HTTP_ACCEPT=AP_ACCEPT)
    assert answer.status_code == 410
