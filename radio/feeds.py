"""Podcast feeds: RSS 2.0 with the iTunes and Podcasting 2.0 tags, per show and per station.

Only episodes with an uploaded file are listed: podcast apps need an enclosure, and an
episode hosted on PeerTube or YouTube has its own feed there. Every address is absolute
and built from the host of the request, which is the portal's own.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Enclosure
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.feed_comments import CommentCountsMixin, CommentedRssFeed
from radio.artwork import artwork_url, square_of
from radio.episodes import attach_shows
from radio.models import EpisodePage, ShowPage, StationPage, podcast_episodes

logger = logging.getLogger(__name__)

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# Podcasting 2.0: podcast:guid is the UUIDv5 of the feed address without its scheme.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
MAX_ITEMS = 100

FeedPage = ShowPage | StationPage


def hh_mm_ss(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


class PodcastFeedGenerator(CommentedRssFeed):
    """Django's RSS 2.0 writer, with the tags Apple Podcasts and Podcasting 2.0 apps read."""

    content_type = "application/rss+xml; charset=utf-8"

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES_NS, "xmlns:podcast": PODCAST_NS}

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        feed = self.feed
        handler.addQuickElement("itunes:author", feed["itunes_author"])
        handler.addQuickElement("itunes:summary", feed["description"])
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:explicit", "true" if feed["itunes_explicit"] else "false")
        handler.addQuickElement("itunes:category", attrs={"text": feed["itunes_category"]})
        if feed.get("itunes_image"):
            handler.addQuickElement("itunes:image", attrs={"href": feed["itunes_image"]})
            handler.startElement("image", {})
            handler.addQuickElement("url", feed["itunes_image"])
            handler.addQuickElement("title", feed["title"])
            handler.addQuickElement("link", feed["link"])
            handler.endElement("image")
        if feed.get("itunes_email"):
            handler.startElement("itunes:owner", {})
            handler.addQuickElement("itunes:name", feed["itunes_author"])
            handler.addQuickElement("itunes:email", feed["itunes_email"])
            handler.endElement("itunes:owner")
        handler.addQuickElement("podcast:guid", feed["podcast_guid"])
        handler.addQuickElement("podcast:medium", feed["podcast_medium"])

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:title", item["title"])
        handler.addQuickElement("itunes:episodeType", "full")
        handler.addQuickElement("itunes:explicit", "true" if item["itunes_explicit"] else "false")
        if item.get("itunes_duration"):
            handler.addQuickElement("itunes:duration", item["itunes_duration"])
        if item.get("itunes_image"):
            handler.addQuickElement("itunes:image", attrs={"href": item["itunes_image"]})


class EpisodeFeed(CommentCountsMixin, Feed):
    """What the show and station feeds share: one instance per request. Each episode says
    how many comments it has, when a feature takes them (``core.feed_comments``)."""

    feed_type = PodcastFeedGenerator
    request: HttpRequest

    def __call__(self, request: HttpRequest, *args, **kwargs):
        self.request = request
        self._covers: dict[int, str] = {}
        return super().__call__(request, *args, **kwargs)

    def absolute(self, url: str) -> str:
        return self.request.build_absolute_uri(url)

    def cover_url(self, page: ShowPage | StationPage) -> str:
        """The feed's square artwork, absolute (``radio.artwork``)."""
        return self.absolute(artwork_url(page))

    def episode_cover_url(self, show: ShowPage | None) -> str:
        """An episode's own artwork: its show's visual when large enough, else "" (podcast
        apps then show the feed's). Cached by image: a station's feed lists many shows,
        and its cost must not grow with them."""
        image = getattr(show, "cover", None)
        if image is None:
            return ""
        if image.pk not in self._covers:
            url = square_of(image)
            self._covers[image.pk] = self.absolute(url) if url else ""
        return self._covers[image.pk]

    def link(self, obj: FeedPage) -> str:
        return obj.get_url(self.request)

    def feed_extra_kwargs(self, obj: FeedPage) -> dict[str, Any]:
        tenant = getattr(self.request, "tenant", None)
        feed_url = self.absolute(self.request.path)
        return {
            "itunes_author": getattr(tenant, "name", "") or obj.get_site().site_name,
            "itunes_email": getattr(tenant, "contact_email", ""),
            "itunes_image": self.cover_url(obj),
            "itunes_category": self.category(obj),
            "itunes_explicit": self.explicit(obj),
            "podcast_guid": str(uuid.uuid5(PODCAST_GUID_NAMESPACE, feed_url.split("://", 1)[1])),
            "podcast_medium": self.medium(obj),
        }

    def category(self, obj: FeedPage) -> str:
        return ShowPage.Category.SOCIETY.value

    def explicit(self, obj: FeedPage) -> bool:
        return False

    def medium(self, obj: FeedPage) -> str:
        station = obj if isinstance(obj, StationPage) else obj.get_parent().specific
        return "video" if station.kind == StationPage.Kind.TV else "podcast"

    def items(self, obj: FeedPage) -> list[EpisodePage]:
        episodes = podcast_episodes(obj).order_by("-date", "-pk")[:MAX_ITEMS]
        return attach_shows(episodes)

    def item_title(self, item: EpisodePage) -> str:
        return item.title

    def item_description(self, item: EpisodePage) -> str:
        return strip_tags(item.description) or item.title

    def item_link(self, item: EpisodePage) -> str:
        return item.get_url(self.request)

    def item_guid(self, item: EpisodePage) -> str:
        # Stable across renames and moves: the page's translation key.
        return f"urn:uuid:{item.translation_key}"

    def item_guid_is_permalink(self, item: EpisodePage) -> bool:
        return False

    def item_pubdate(self, item: EpisodePage):
        return item.published_at

    def item_enclosures(self, item: EpisodePage) -> list[Enclosure]:
        try:
            length = item.media_file.size
        except OSError:  # the file went missing: say 0 rather than fail the whole feed
            logger.warning("Episode file missing: %s", item.media_file.name)
            length = 0
        return [Enclosure(self.absolute(item.media_file.url), str(length), item.media_type)]

    def item_extra_kwargs(self, item: EpisodePage) -> dict[str, Any]:
        show = item.show
        seconds = item.duration_seconds
        return {
            **super().item_extra_kwargs(item),
            "itunes_duration": hh_mm_ss(seconds) if seconds else "",
            "itunes_image": self.episode_cover_url(show),
            "itunes_explicit": bool(show and show.explicit),
        }


class ShowFeed(EpisodeFeed):
    """The podcast of one show."""

    def get_object(self, request: HttpRequest, show: ShowPage) -> ShowPage:
        return show

    def title(self, obj: ShowPage) -> str:
        return obj.title

    def description(self, obj: ShowPage) -> str:
        text = strip_tags(obj.description).strip()
        return text or _("Les épisodes de l'émission %(show)s.") % {"show": obj.title}

    def category(self, obj: ShowPage) -> str:
        return obj.category

    def explicit(self, obj: ShowPage) -> bool:
        return obj.explicit


class StationFeed(EpisodeFeed):
    """Every episode of every show of a station."""

    def get_object(self, request: HttpRequest, station: StationPage) -> StationPage:
        return station

    def title(self, obj: StationPage) -> str:
        return obj.title

    def description(self, obj: StationPage) -> str:
        text = strip_tags(obj.description).strip()
        return text or _("Toutes les émissions de %(station)s.") % {"station": obj.title}
