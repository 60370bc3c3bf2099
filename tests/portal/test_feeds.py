"""RSS feeds that feed readers accept, with this portal's items and links only."""

import feedparser
import pytest
from django_tenants.utils import schema_context

from portal.factories import (
    ArticlePageFactory,
    BlogPageFactory,
    BlogPostPageFactory,
    EventPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(alpha):
    import datetime

    today = datetime.date.today()
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Ancien article", date=today - datetime.timedelta(days=10))
        ArticlePageFactory(title="Nouvel article", slug="nouvel", date=today)
        EventPageFactory(title="Atelier cartographie")
        blog = BlogPageFactory(title="Carnet", slug="carnet")
        BlogPostPageFactory(parent=blog, title="Billet du carnet")


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def test_news_feed_lists_articles_newest_first_with_links_to_this_portal(
    content, alpha, client_for
):
    feed = parse(client_for(alpha), "/actualites/rss/")

    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Nouvel article", "Ancien article"]
    assert feed.entries[0].link == "http://alpha.localhost:8000/actualites/nouvel/"
    assert "Portail Alpha" in feed.feed.title


def test_agenda_and_blog_feeds_hold_their_items(content, alpha, client_for):
    agenda = parse(client_for(alpha), "/agenda/rss/")
    blog = parse(client_for(alpha), "/blogs/carnet/rss/")

    assert [entry.title for entry in agenda.entries] == ["Atelier cartographie"]
    assert [entry.title for entry in blog.entries] == ["Billet du carnet"]


def test_another_portal_feed_has_none_of_these_items(content, beta, client_for):
    feed = parse(client_for(beta), "/actualites/rss/")

    assert feed.entries == []
