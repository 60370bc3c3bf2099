"""The network's podcast, on the federation's portal: the episodes the portals share with
the network (``EpisodePage.shared_with_network``) that have a file of their own.

RSS 2.0 with the iTunes and Podcasting 2.0 tags of the shows' own feeds
(``radio.feeds.PodcastFeedGenerator``), read from the federation index alone (public
schema): each item credits its portal and points to the episode's page and file there.
Only open portals' episodes are listed. Identifiers never depend on the host the feed was
asked through: the channel's ``podcast:guid`` comes from the federation's primary address,
each item's GUID from its portal's schema and page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Enclosure
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from core.views import federation_only
from radio.artwork import portal_artwork_url
from radio.feeds import MAX_ITEMS, PODCAST_GUID_NAMESPACE, PodcastFeedGenerator, hh_mm_ss
from radio.models import EpisodePage, ShowPage
from tenants.addresses import portal_base_url
from tenants.federation import publish_entry
from tenants.models import SharedEntry


def network_episodes():
    """The shared episodes with a file, of open portals, newest first, with their portal."""
    return SharedEntry.objects.of_open_portals().podcast_episodes().select_related("tenant")


def episode_guid(entry: SharedEntry) -> str:
    """A shared episode's GUID: stable across renames, moves and host names."""
    name = f"{entry.tenant.schema_name}/{entry.page_id}"
    return f"urn:uuid:{uuid.uuid5(PODCAST_GUID_NAMESPACE, name)}"


class NetworkPodcastFeed(Feed):
    """The network's podcast: one instance per request (it keeps the request)."""

    feed_type = PodcastFeedGenerator

    def __init__(self, request: HttpRequest) -> None:
        super().__init__()
        self.request = request
        self.home = portal_base_url(request.tenant)

    def title(self) -> str:
        return _("Le podcast du réseau · %(network)s") % {"network": self.request.tenant.name}

    def link(self) -> str:
        return "/"

    def description(self) -> str:
        return _("Les émissions que les radios et télés de quartier partagent avec le réseau.")

    def feed_extra_kwargs(self, obj: Any) -> dict[str, Any]:
        tenant = self.request.tenant
        canonical = self.home + reverse("network-podcast")
        return {
            "itunes_author": tenant.name,
            "itunes_email": tenant.contact_email,
            "itunes_image": self.home + portal_artwork_url(self.title(), owner="network"),
            "itunes_category": ShowPage.Category.SOCIETY.value,
            "itunes_explicit": False,
            "podcast_guid": str(uuid.uuid5(PODCAST_GUID_NAMESPACE, canonical.split("://", 1)[1])),
            "podcast_medium": "podcast",
        }

    def items(self):
        return network_episodes()[:MAX_ITEMS]

    def item_title(self, entry: SharedEntry) -> str:
        return f"{entry.title} ({entry.tenant.name})"

    def item_description(self, entry: SharedEntry) -> str:
        credit = _("Une émission de %(portal)s.") % {"portal": entry.tenant.name}
        return f"{entry.summary} {credit}".strip()

    def item_link(self, entry: SharedEntry) -> str:
        return entry.url

    def item_guid(self, entry: SharedEntry) -> str:
        return episode_guid(entry)

    def item_guid_is_permalink(self, entry: SharedEntry) -> bool:
        return False

    def item_author_name(self, entry: SharedEntry) -> str:
        return entry.tenant.name

    def item_pubdate(self, entry: SharedEntry):
        return entry.starts_at or entry.first_published_at

    def item_enclosures(self, entry: SharedEntry) -> list[Enclosure]:
        length = str(entry.enclosure_length or 0)
        return [Enclosure(entry.enclosure_url, length, entry.enclosure_type)]

    def item_extra_kwargs(self, entry: SharedEntry) -> dict[str, Any]:
        seconds = entry.duration_seconds
        return {
            "itunes_duration": hh_mm_ss(seconds) if seconds else "",
            "itunes_image": entry.image_url,
            "itunes_explicit": entry.explicit,
        }


@federation_only
def podcast(request: HttpRequest) -> HttpResponse:
    """The network's podcast feed (``/reseau/podcast.rss``)."""
    return NetworkPodcastFeed(request)(request)


def refresh_shared_episodes(show: ShowPage) -> None:
    """Rewrite the index entries of the show's shared episodes: they carry its artwork and
    its "adults only" flag, which the animators change on the show, not on each episode."""
    for episode in EpisodePage.objects.live().child_of(show).filter(shared_with_network=True):
        publish_entry(episode)


def _on_show_published(sender, instance: ShowPage, **kwargs) -> None:
    refresh_shared_episodes(instance)


def connect() -> None:
    """Keep the shared episodes' entries in step with their show (``RadioConfig.ready``)."""
    page_published.connect(_on_show_published, sender=ShowPage, dispatch_uid="radio-show-shared")
