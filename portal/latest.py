"""The portal's "latest" sources (``core.latest``): news, events, residents' posts, local
actors and the network's toolkit, registered in ``portal/wagtail_hooks.py``.

No source gives a private page, nor the items of a private section (``core.privacy``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.images import with_renditions
from core.latest import NOTHING, LatestSource, LetterLine, Reading, page_path, when
from core.privacy import is_private_section
from portal.blogs.models import CARD_SPECS
from portal.methodology.network import shared_reading
from portal.models import Actor, ActorDirectoryPage, ArticlePage, BlogPostPage, EventPage
from portal.news.models import LEAD_COVER, LISTING_COVER


def _listing(queryset) -> Reading:
    """One queryset whose rows are the items."""
    return Reading((queryset,), lambda rows: rows[0])


def latest_articles(limit: int) -> Reading:
    """The newest public articles, with their cover's rendition."""
    articles = with_renditions(
        ArticlePage.objects.live().public(), "cover", *LISTING_COVER, *LEAD_COVER
    )
    return _listing(articles.order_by("-date", "-pk")[:limit])


def next_events(limit: int) -> Reading:
    """The next public events, soonest first."""
    return _listing(EventPage.objects.live().public().upcoming()[:limit])


def latest_blog_posts(limit: int) -> Reading:
    """The residents' newest public posts."""
    # With their covers: joined to the posts' own query, their renditions read with the
    # other blocks' images (core.latest.read_together), so no query more on the home page.
    posts = with_renditions(BlogPostPage.objects.live().public(), "cover", *CARD_SPECS)
    return _listing(posts.order_by("-date", "-pk")[:limit])


def federation_toolkit(limit: int) -> Reading:
    """The federation's own shared sheets, newest first, from the network's index."""
    return _listing(shared_reading().filter(tenant__kind="federation").newest_first()[:limit])


def featured_actors(limit: int) -> Reading:
    """The local actors the animators put forward; none when the directory is private."""
    if is_private_section(ActorDirectoryPage):
        return NOTHING
    return _listing(with_renditions(Actor.objects.featured(), "logo", "height-64")[:limit])


def _article_line(article: ArticlePage) -> LetterLine:
    return LetterLine(article.title, page_path(article), when(article.date))


def _event_line(event: EventPage) -> LetterLine:
    detail = " · ".join(filter(None, [when(event.start), event.place_name]))
    return LetterLine(event.title, page_path(event), detail)


SOURCES: tuple[LatestSource, ...] = (
    LatestSource(
        key="news",
        label=_("Dernières actualités"),
        reading=latest_articles,
        template="portal/latest/news.html",
        letter_label=_("Les actualités depuis la dernière lettre"),
        letter_line=_article_line,
        appeared_at=lambda article: article.first_published_at,
    ),
    LatestSource(
        key="events",
        label=_("Prochains événements"),
        reading=next_events,
        template="portal/latest/events.html",
        letter_label=_("Les prochains rendez-vous"),
        letter_line=_event_line,
        # The agenda looks forward: the next events, whenever they were announced.
        appeared_at=None,
    ),
    LatestSource(
        key="blog_posts",
        label=_("Derniers billets des habitants"),
        reading=latest_blog_posts,
        template="portal/latest/blog_posts.html",
    ),
    LatestSource(
        key="actors",
        label=_("Les acteurs du quartier"),
        reading=featured_actors,
        template="portal/latest/actors.html",
    ),
    LatestSource(
        key="toolkit",
        label=_("La boîte à outils du réseau"),
        reading=federation_toolkit,
        template="portal/latest/toolkit.html",
    ),
)
