"""A resident's blog post reaches the portal's followers as a ``Note``, like an article:
``Create`` once published, ``Update`` when edited, ``Delete`` when unpublished or deleted
(its address then answers 410), and it is listed in the outbox meanwhile. A post in a
private blog, a draft, a post made private later never goes out nor is listed; a post of
portal A is never seen through B's host."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from fediverse.factories import FollowerFactory
from portal.factories import ArticlePageFactory, BlogPageFactory, BlogPostPageFactory
from tests.fediverse.conftest import AP_ACCEPT

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(peer):
    """The peer follows ``portal``."""

    def follow(portal) -> None:
        with schema_context(portal.schema_name):
            FollowerFactory(actor_id=peer.actor_id, inbox=peer.inbox, shared_inbox="")

    return follow


def _sent(peer) -> list[dict]:
    return [json.loads(post.body) for post in peer.server.posts_to(peer.inbox_path)]


def _outbox_objects(client) -> list[dict]:
    """Every object of the outbox, as a follower's server pages through it."""
    collection = client.get("/ap/outbox").json()
    address = urlsplit(collection["first"])
    items = client.get(f"{address.path}?{address.query}").json()["orderedItems"]
    assert collection["totalItems"] == len(items)
    return [item["object"] for item in items]


def _note(client, post_pk: int):
    return client.get(f"/ap/notes/{post_pk}", HTTP_ACCEPT=AP_ACCEPT)


def test_a_blog_post_is_created_updated_then_deleted_and_gone(alpha, peer, follower, client_for):
    follower(alpha)
    client = client_for(alpha)
    with schema_context(alpha.schema_name):
        post = BlogPostPageFactory(parent=BlogPageFactory(), title="Notre potager")
        post.refresh_from_db()
        post.title = "Notre potager en août"
        post.save_revision().publish()
    note_id = _sent(peer)[0]["object"]["id"]
    listed = [item["id"] for item in _outbox_objects(client)]
    fetched = _note(client, post.pk)

    with schema_context(alpha.schema_name):
        post.refresh_from_db()
        post.unpublish()

    sent = _sent(peer)
    assert [activity["type"] for activity in sent] == ["Create", "Update", "Delete"]
    assert [activity["object"].get("type") for activity in sent] == ["Note", "Note", "Tombstone"]
    assert sent[2]["object"]["formerType"] == "Note"
    assert sent[1]["object"]["content"].startswith("<p><strong>Notre potager en août</strong>")
    assert sent[2]["object"]["id"] == note_id and note_id.endswith(f"/ap/notes/{post.pk}")
    assert note_id in listed
    assert fetched.json()["id"] == note_id and fetched.json()["type"] == "Note"
    assert _note(client, post.pk).status_code == 410
    assert note_id not in [item["id"] for item in _outbox_objects(client)]


@pytest.mark.parametrize("kind", ["post", "article"])
def test_a_deleted_page_is_withdrawn_and_its_address_answers_gone(
    alpha, peer, follower, client_for, kind
):
    follower(alpha)
    with schema_context(alpha.schema_name):
        if kind == "post":
            page = BlogPostPageFactory(parent=BlogPageFactory(), title="Billet supprimé")
        else:
            page = ArticlePageFactory(title="Article supprimé")
        pk = page.pk
        page.delete()
    folder = "notes" if kind == "post" else "articles"

    sent = _sent(peer)

    assert [activity["type"] for activity in sent] == ["Create", "Delete"]
    assert sent[1]["object"]["id"].endswith(f"/ap/{folder}/{pk}")
    answer = client_for(alpha).get(f"/ap/{folder}/{pk}", HTTP_ACCEPT=AP_ACCEPT)
    assert answer.status_code == 410


def test_a_post_in_a_private_blog_never_goes_out_nor_is_listed(alpha, peer, follower, client_for):
    follower(alpha)
    with schema_context(alpha.schema_name):
        blog = BlogPageFactory(title="Blog du bureau")
        PageViewRestriction.objects.create(page=blog, restriction_type=PageViewRestriction.LOGIN)
        post = BlogPostPageFactory(parent=blog, title="Ordre du jour interne")
        post.save_revision().publish()
        post.refresh_from_db()
        post.unpublish()
        post.save_revision().publish()
        post.delete()
        kept = BlogPostPageFactory(parent=blog, title="Autre note interne")
    client = client_for(alpha)

    assert _sent(peer) == []
    assert all(item["type"] != "Note" for item in _outbox_objects(client))
    answer = _note(client, kept.pk)
    assert answer.status_code == 404 and "interne" not in answer.text
    # Deleted while private: it never went out, its address is unknown, not gone.
    assert _note(client, post.pk).status_code == 404


def test_a_draft_post_never_goes_out_nor_is_listed(alpha, peer, follower, client_for):
    follower(alpha)
    with schema_context(alpha.schema_name):
        blog = BlogPageFactory()
        draft = blog.add_child(
            instance=BlogPostPageFactory.build(title="Brouillon d'habitant", live=False)
        )
        draft.save_revision()
    client = client_for(alpha)

    assert _sent(peer) == []
    assert _outbox_objects(client) == []
    assert _note(client, draft.pk).status_code == 404


@pytest.mark.parametrize("restricted", ["post", "blog"])
def test_a_post_made_private_later_is_withdrawn_and_never_sent_again(
    alpha, peer, follower, client_for, restricted
):
    follower(alpha)
    with schema_context(alpha.schema_name):
        blog = BlogPageFactory()
        post = BlogPostPageFactory(parent=blog, title="Bientôt réservé")
        PageViewRestriction.objects.create(
            page=post if restricted == "post" else blog,
            restriction_type=PageViewRestriction.PASSWORD,
            password="secret",
        )
        post.refresh_from_db()
        post.title = "Bientôt réservé (modifié)"
        post.save_revision().publish()
    client = client_for(alpha)

    assert [activity["type"] for activity in _sent(peer)] == ["Create", "Delete"]
    assert _outbox_objects(client) == []
    assert _note(client, post.pk).status_code == 410
    assert "réservé" not in client.get("/ap/outbox?page=1").content.decode()


def test_a_post_of_a_is_never_seen_through_bs_host(alpha, beta, peer, follower, client_for):
    follower(beta)
    with schema_context(alpha.schema_name):
        post = BlogPostPageFactory(parent=BlogPageFactory(), title="Seulement chez A")
    through_b = client_for(beta)

    assert _sent(peer) == []
    assert "Seulement chez A" not in _note(through_b, post.pk).content.decode()
    assert "Seulement chez A" not in through_b.get("/ap/outbox?page=1").content.decode()
    through_a = _note(client_for(alpha), post.pk).json()
    assert urlsplit(through_a["id"]).hostname == urlsplit(through_a["attributedTo"]).hostname
    assert urlsplit(through_a["id"]).hostname == client_for(alpha).defaults["HTTP_HOST"]
