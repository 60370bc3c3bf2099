"""The agenda's RSS feed: its upcoming events, soonest first."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from portal.syndication import SectionFeed


class EventFeed(SectionFeed):
    """The agenda's upcoming public events, each described by when and where."""

    def items(self, index_page):
        return index_page.specific.events().upcoming()[: self.limit]

    def item_description(self, item) -> str:
        when = timezone.localtime(item.start).strftime("%d/%m/%Y %H:%M")
        where = item.place_name or _("lieu à préciser")
        return f"{when} · {where}. {strip_tags(item.intro)}".strip()

    def item_pubdate(self, item) -> datetime.datetime | None:
        return item.first_published_at
