"""What every RSS feed of the portal shares (Django's syndication): each domain's feed
(``portal/<domain>/feeds.py``) is a ``SectionFeed`` of its own section."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page

from core.feed_comments import CommentCountsMixin


class SectionFeed(CommentCountsMixin, Feed):
    """The latest pages of a section, each linking to its page on this portal (and saying
    how many comments it has, when a feature takes them: ``core.feed_comments``)."""

    limit = 30

    def get_object(self, request, index_page: Page):
        self.request = request
        return index_page

    def title(self, index_page: Page) -> str:
        return f"{index_page.title} · {self.request.tenant.name}"

    def link(self, index_page: Page) -> str:
        return index_page.get_url(self.request)

    def description(self, index_page: Page) -> str:
        return strip_tags(getattr(index_page, "intro", "")) or index_page.title

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return strip_tags(getattr(item, "intro", ""))

    def item_link(self, item: Page) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item: Page) -> str:
        return item.get_full_url(self.request)

    def item_updateddate(self, item: Page) -> datetime.datetime | None:
        return item.last_published_at


def start_of(day: datetime.date) -> datetime.datetime:
    """A dated item's publication time for feed readers: 8 a.m. that day, local time."""
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=timezone.get_current_timezone())
