"""Which pages take reactions, the factories, and the demo content."""

import pytest
from django_tenants.utils import schema_context

from portal.factories import (
    ArticlePageFactory,
    BlogPageFactory,
    BlogPostPageFactory,
    EventPageFactory,
)
from reactions.demo import seed_reactions
from reactions.factories import ReactionAddressFactory, ReactionFactory
from reactions.models import Reaction

pytestmark = pytest.mark.django_db


def test_the_demo_gives_published_reactions_and_one_editorial_reply(alpha, client_for):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory()
        article_url = article.url
        seed_reactions(alpha)
        seed_reactions(alpha)  # again: nothing more

        assert Reaction.objects.shown().filter(page_id=article.pk).count() == 3
        assert Reaction.objects.exclude(reply="").count() >= 1

    text = client_for(alpha).get(article_url).text
    assert "Réponse de la rédaction" in text
    assert "3 réactions" in text


def test_residents_posts_take_reactions_and_events_do_not(alpha, client_for):
    with schema_context(alpha.schema_name):
        post = BlogPostPageFactory(parent=BlogPageFactory())
        ReactionFactory(page=post, text="Beau billet, merci")
        event = EventPageFactory()
        post_url, event_url = post.url, event.url
    visitor = client_for(alpha)

    assert "Beau billet, merci" in visitor.get(post_url).text
    assert visitor.get(post_url + "reactions/").status_code == 200
    assert 'id="reactions"' not in visitor.get(event_url).text
    assert visitor.get(event_url + "reactions/").status_code == 404


def test_the_address_factory_builds_a_confirmed_address(alpha):
    with schema_context(alpha.schema_name):
        assert ReactionAddressFactory().confirmed_at is not None
