"""An article published in a portal reaches its followers' servers, signed; edited, it is
updated; unpublished, deleted (its address then answers 410). A private article, an
article in a private section, a draft, or an article of another portal never goes out."""

from __future__ import annotations

import json

import pytest
from apsig.draft.verify import Verifier
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from portal.factories import ArticlePageFactory
from portal.public import ArticleIndexPage
from tests.fediverse.conftest import AP_ACCEPT, actor_of, send

pytestmark = pytest.mark.django_db

SHARED_INBOX = "/inbox"


@pytest.fixture
def followed(peer, client_for):
    """Follow ``portal`` as the peer; returns the portal's actor document."""

    def follow(portal) -> dict:
        peer.server.accept_posts(SHARED_INBOX)
        client = client_for(portal)
        actor = actor_of(client)
        assert send(client, portal, peer, peer.follow(actor["id"])).status_code == 202
        return actor

    return follow


def _activities(peer) -> list[dict]:
    return [json.loads(post.body) for post in peer.server.posts_to(SHARED_INBOX)]


def test_a_published_article_reaches_the_followers_server_signed(alpha, peer, followed):
    actor = followed(alpha)

    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="La fête de quartier aura lieu samedi")

    [post] = peer.server.posts_to(SHARED_INBOX)
    create = json.loads(post.body)
    assert create["type"] == "Create" and create["actor"] == actor["id"]
    article = create["object"]
    assert article["type"] == "Article"
    assert article["name"] == "La fête de quartier aura lieu samedi"
    assert article["attributedTo"] == actor["id"]
    assert "https://www.w3.org/ns/activitystreams#Public" in article["to"]
    verifier = Verifier(
        actor["publicKey"]["publicKeyPem"],
        "POST",
        peer.server.base + SHARED_INBOX,
        post.headers,
        post.body,
    )
    assert verifier.verify(raise_on_fail=True) == actor["publicKey"]["id"]


def test_an_edited_article_is_updated_and_an_unpublished_one_deleted(
    alpha, peer, followed, client_for
):
    followed(alpha)
    with schema_context(alpha.schema_name):
        page = ArticlePageFactory(title="Réunion publique")
        page.refresh_from_db()  # as the editor opens it
        page.title = "Réunion publique (nouvelle date)"
        page.save_revision().publish()
        page.refresh_from_db()
        page.unpublish()

    kinds = [activity["type"] for activity in _activities(peer)]
    assert kinds == ["Create", "Update", "Delete"]
    assert _activities(peer)[1]["object"]["name"] == "Réunion publique (nouvelle date)"
    answer = client_for(alpha).get(f"/ap/articles/{page.pk}", HTTP_ACCEPT=AP_ACCEPT)
    assert answer.status_code == 410


def test_private_articles_and_drafts_never_go_out(alpha, peer, followed):
    followed(alpha)
    with schema_context(alpha.schema_name):
        section = ArticleIndexPage.objects.get(locale__language_code="fr")
        private = section.add_child(
            instance=ArticlePageFactory.build(title="Compte rendu du bureau", live=False)
        )
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        private.save_revision().publish()
        draft = section.add_child(instance=ArticlePageFactory.build(title="Brouillon", live=False))
        draft.save_revision()
        private.refresh_from_db()
        private.unpublish()

    assert _activities(peer) == []


def test_an_article_under_a_private_section_never_goes_out(alpha, peer, followed):
    followed(alpha)
    with schema_context(alpha.schema_name):
        section = ArticleIndexPage.objects.get(locale__language_code="fr")
        restriction = PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.LOGIN
        )
        try:
            ArticlePageFactory(title="Interne à l'équipe")
        finally:
            restriction.delete()

    assert _activities(peer) == []


def test_a_follower_of_a_gets_nothing_of_b(alpha, beta, peer, followed):
    followed(alpha)

    with schema_context(beta.schema_name):
        ArticlePageFactory(title="Nouvelles de B")

    assert _activities(peer) == []
