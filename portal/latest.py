"""The portal's "latest" sources (``core.latest``): news, events, residents' posts, local
actors and the network's toolkit, registered in ``portal/wagtail_hooks.py``.

No source gives a private page, nor the items of a private section (``core.privacy``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from core.images import with_renditions
from core.latest import LatestSource, LetterLine, page_path, when
from core.privacy import is_private_section
from portal.methodology.network import shared_reading
from portal.models import Actor, ActorDirectoryPage, ArticlePage, BlogPostPage, EventPage
from portal.news.models import LEAD_COVER, LISTING_COVER


def latest_articles(limit: int) -> Sequence[ArticlePage]:
    """The newest public articles, with their cover's rendition."""
    articles = with_renditions(
        ArticlePage.objects.live().public(), "cover", *LISTING_COVER, *LEAD_COVER
    )
    return list(articles.order_by("-date", "-pk")[:limit])


def next_events(limit: int) -> Sequence[EventPage]:
    """The next public events, soonest first."""
    return list(EventPage.objects.live().public().upcoming()[:limit])


def latest_blog_posts(limit: int) -> Sequence[BlogPostPage]:
    """The residents' newest public posts."""
    # Without their covers: one more query would take the home page past its budget
    # (tests/portal/test_query_counts.py); the blogs' own pages show them.
    return list(BlogPostPage.objects.live().public().order_by("-date", "-pk")[:limit])


def federation_toolkit(limit: int) -> Sequence:
    """The federation's own shared sheets, newest first, from the network's index."""
    return list(shared_reading().filter(tenant__kind="federation").newest_first()[:limit])


def featured_actors(limit: int) -> Sequence:
    """The local actors the animators put forward; none when the directory is private."""
    if is_private_section(ActorDirectoryPage):
        return []
    return list(with_renditions(Actor.objects.featured(), "logo", "height-64")[:limit])


def _article_line(article: ArticlePage) -> LetterLine:
    return LetterLine(article.title, page_path(article), when(article.date))


def _event_line(event: EventPage) -> LetterLine:
    detail = " · ".join(filter(None, [when(event.start), event.place_name]))
    return LetterLine(event.title, page_path(event), detail)


SOURCES: tuple[LatestSource, ...] = (
    LatestSource(
        key="news",
        label=_("Dernières actualités"),
        items=latest_articles,
        template="portal/latest/news.html",
        letter_label=_("Les actualités depuis la dernière lettre"),
        letter_line=_article_line,
        appeared_at=lambda article: article.first_published_at,
    ),
    LatestSource(
        key="events",
        label=_("Prochains événements"),
        items=next_events,
        template="portal/latest/events.html",
        letter_label=_("Les prochains rendez-vous"),
        letter_line=_event_line,
        # The agenda looks forward: the next events, whenever they were announced.
        appeared_at=None,
    ),
    LatestSource(
        key="blog_posts",
        label=_("Derniers billets des habitants"),
        items=latest_blog_posts,
        template="portal/latest/blog_posts.html",
    ),
    LatestSource(
        key="actors",
        label=_("Les acteurs du quartier"),
        items=featured_actors,
        template="portal/latest/actors.html",
    ),
    LatestSource(
        key="toolkit",
        label=_("La boîte à outils du réseau"),
        items=federation_toolkit,
        template="portal/latest/toolkit.html",
    ),
)
