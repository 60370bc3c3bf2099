"""What the home page's "latest" blocks can show, one source per section.

Each source is a function giving the newest items (already optimised for a listing) and
the template that lists them. Apps add theirs here through their own named functions.
No source gives a private page, nor the items of a private section (``core.privacy``):
the infolettre's automatic blocks are built from these too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.images import with_renditions
from core.privacy import is_private_section
from portal.models import ArticlePage, BlogPostPage, EventPage
from portal.news.models import LISTING_COVER


@dataclass(frozen=True)
class LatestSource:
    label: str
    items: Callable[[int], Sequence]
    template: str


def latest_articles(limit: int) -> Sequence[ArticlePage]:
    articles = (
        ArticlePage.objects.live()
        .public()
        .prefetch_related(with_renditions("cover", LISTING_COVER))
    )
    return list(articles.order_by("-date", "-pk")[:limit])


def next_events(limit: int) -> Sequence[EventPage]:
    return list(EventPage.objects.live().public().upcoming()[:limit])


def latest_blog_posts(limit: int) -> Sequence[BlogPostPage]:
    return list(BlogPostPage.objects.live().public().order_by("-date", "-pk")[:limit])


def federation_toolkit(limit: int) -> Sequence:
    """The federation's own shared sheets, newest first, from the network's index."""
    from portal.methodology.network import shared_entries

    return list(shared_entries().filter(tenant__kind="federation").newest_first()[:limit])


def featured_actors(limit: int) -> Sequence:
    """The local actors the animators put forward; none when the directory is private."""
    from portal.models import Actor, ActorDirectoryPage

    if is_private_section(ActorDirectoryPage):
        return []
    return list(
        Actor.objects.featured().prefetch_related(with_renditions("logo", "height-64"))[:limit]
    )


def latest_classifieds(limit: int) -> Sequence:
    """The newest published classifieds; none when the classifieds section is private (its
    ads are then shown on it only)."""
    from classifieds.listing import latest_published
    from classifieds.models import ClassifiedsPage

    if is_private_section(ClassifiedsPage):
        return []
    return list(latest_published(limit))


def on_air_now(limit: int) -> Sequence:
    """What the portal's webradio plays now and next (one item: the grid's answer)."""
    from radio.on_air import on_air

    now = on_air()
    return [now] if now else []


def latest_videos(limit: int) -> Sequence:
    """The latest webTV episodes, each with its show."""
    from radio.episodes import latest_episodes

    return latest_episodes(limit, kind="tv")


SOURCES: dict[str, LatestSource] = {
    "news": LatestSource(_("Dernières actualités"), latest_articles, "home/latest/news.html"),
    "events": LatestSource(_("Prochains événements"), next_events, "home/latest/events.html"),
    "blog_posts": LatestSource(
        _("Derniers billets des habitants"), latest_blog_posts, "home/latest/blog_posts.html"
    ),
    "classifieds": LatestSource(
        _("Dernières petites annonces"), latest_classifieds, "home/latest/classifieds.html"
    ),
    "on_air": LatestSource(_("À l'antenne"), on_air_now, "home/latest/on_air.html"),
    "webtv": LatestSource(
        _("Dernières vidéos de la webTV"), latest_videos, "home/latest/webtv.html"
    ),
    "actors": LatestSource(
        _("Les acteurs du quartier"), featured_actors, "home/latest/actors.html"
    ),
    "toolkit": LatestSource(
        _("La boîte à outils du réseau"), federation_toolkit, "home/latest/toolkit.html"
    ),
}
