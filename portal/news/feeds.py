"""The news section's RSS feed: its newest articles."""

from __future__ import annotations

import datetime

from portal.syndication import SectionFeed, start_of


class ArticleFeed(SectionFeed):
    """The section's newest public articles, dated by their publication date."""

    def items(self, index_page):
        return index_page.specific.articles()[: self.limit]

    def item_pubdate(self, item) -> datetime.datetime:
        return start_of(item.date)

    def item_author_name(self, item) -> str | None:
        return item.authors or None
