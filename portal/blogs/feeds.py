"""Each resident's blog as an RSS feed: its newest posts."""

from __future__ import annotations

import datetime

from portal.syndication import SectionFeed, start_of


class BlogFeed(SectionFeed):
    """A blog's newest public posts, dated by their own date."""

    def items(self, blog):
        return blog.specific.posts()[: self.limit]

    def item_pubdate(self, item) -> datetime.datetime:
        return start_of(item.date)
