"""The federation hub's RSS feed: the network's newest shared sheets and articles."""

from __future__ import annotations

import datetime

from portal.methodology.network import shared_reading
from portal.syndication import SectionFeed


class SharedEntryFeed(SectionFeed):
    """The network's newest shared sheets and articles, each linking to its own portal."""

    def items(self, hub):
        return shared_reading().newest_first()[: self.limit]

    def item_title(self, entry) -> str:
        return f"{entry.title} ({entry.tenant.name})"

    def item_description(self, entry) -> str:
        return entry.summary

    def item_link(self, entry) -> str:
        return entry.url

    def item_guid(self, entry) -> str:
        return entry.url

    def item_pubdate(self, entry) -> datetime.datetime | None:
        return entry.first_published_at

    def item_updateddate(self, entry) -> datetime.datetime | None:
        return entry.last_published_at
