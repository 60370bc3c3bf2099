"""Reactions refresh their own page only, and count in the page's RSS items."""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from core.page_cache import HEADER
from reactions import lifecycle
from reactions.models import Reaction
from tests.reactions.conftest import article

pytestmark = pytest.mark.django_db

Status = Reaction.Status


def _pending(portal, page, text):
    with schema_context(portal.schema_name):
        return Reaction.objects.create(
            page_id=page.pk, name="Samia", email="s@example.org", text=text, status=Status.PENDING
        )


def test_an_approved_reaction_refreshes_its_page_and_no_other(alpha, client_for):
    reacted = article(alpha, title="Article commenté")
    other = article(alpha, title="Article voisin")
    visitor = client_for(alpha)
    for path in (reacted.page_url, other.page_url, "/"):
        visitor.get(path)
    assert visitor.get(other.page_url)[HEADER] == "HIT"
    reaction = _pending(alpha, reacted, "Bravo pour cette enquête")

    with schema_context(alpha.schema_name):
        lifecycle.approve(reaction, None)

    refreshed = visitor.get(reacted.page_url)
    assert refreshed[HEADER] == "MISS"
    assert "Bravo pour cette enquête" in refreshed.text
    with CaptureQueriesContext(connection) as queries:
        still_cached = visitor.get(other.page_url)
    assert still_cached[HEADER] == "HIT"
    assert visitor.get("/")[HEADER] == "HIT"
    # Served from the cache: beyond the host's lookup, no query at all for the page.
    assert not any("reactions_" in query["sql"] for query in queries.captured_queries)


def test_a_pending_reaction_is_not_in_any_feed(alpha, client_for):
    page = article(alpha)
    _pending(alpha, page, "Pas encore relue")
    visitor = client_for(alpha)

    comments = visitor.get(page.page_url + "reactions/rss/")

    assert comments.status_code == 200
    assert "Pas encore relue" not in comments.text


def test_the_comments_feed_is_advertised_and_lists_published_reactions(alpha, client_for):
    page = article(alpha, title="Le marché du dimanche")
    reaction = _pending(alpha, page, "Le marché est revenu !")
    with schema_context(alpha.schema_name):
        lifecycle.reply(reaction, "Merci de votre fidélité.", None)
    visitor = client_for(alpha)

    html = visitor.get(page.page_url).text
    feed = visitor.get(page.page_url + "reactions/rss/")

    assert 'rel="alternate" type="application/rss+xml"' in html
    assert f'href="{page.page_url}reactions/rss/"' in html
    items = feedparser.parse(feed.content).entries
    assert len(items) == 1
    assert "Le marché est revenu !" in items[0].summary
    assert "Réponse de la rédaction" in items[0].summary


def test_the_articles_feed_counts_each_articles_published_reactions(alpha, client_for):
    page = article(alpha, title="Article le plus récent")
    published = _pending(alpha, page, "Publiée")
    _pending(alpha, page, "En attente")
    with schema_context(alpha.schema_name):
        lifecycle.approve(published, None)

    feed = client_for(alpha).get("/actualites/rss/")

    entries = feedparser.parse(feed.content).entries
    item = next(entry for entry in entries if entry.title == "Article le plus récent")
    assert item.slash_comments == "1"
    assert item.wfw_commentrss.endswith(page.page_url + "reactions/rss/")
    assert b"<slash:comments>" in feed.content


def test_an_episode_feed_counts_reactions_too(alpha, client_for):
    from radio.factories import EpisodePageFactory

    with schema_context(alpha.schema_name):
        episode = EpisodePageFactory(title="Émission commentée")
        episode_url = episode.url
        show_url = episode.get_parent().url
        Reaction.objects.create(
            page_id=episode.pk,
            name="Léa",
            email="l@example.org",
            text="Super émission",
            status=Status.PUBLISHED,
        )
    visitor = client_for(alpha)

    assert "Super émission" in visitor.get(episode_url).text
    feed = visitor.get(show_url + "podcast/")
    item = feedparser.parse(feed.content).entries[0]
    assert item.slash_comments == "1"
