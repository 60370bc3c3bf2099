"""The comments of the pages an RSS feed lists: how many, and where their own feed is.

A feature that lets visitors comment pages (reactions) answers ``PAGE_COMMENTS``
(``core.extension_points``) for the pages of a feed; the portal's feeds (articles, blog
posts, episodes) write what it answers into each item, in the elements feed readers
know for this: ``<comments>`` (RSS 2.0, the page's address), ``slash:comments`` (the
count) and ``wfw:commentRss`` (the comments feed). Neither the feeds nor core name the
feature; a portal without it writes items as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed
from wagtail import hooks

from core.extension_points import PAGE_COMMENTS

SLASH_NS = "http://purl.org/rss/1.0/modules/slash/"
WFW_NS = "http://wellformedweb.org/CommentAPI/"


@dataclass(frozen=True)
class PageComments:
    """A page's public comments: how many, its comments feed and where they are read."""

    count: int
    feed_url: str
    page_url: str


def page_comments(pages: Sequence[Any], request: HttpRequest) -> dict[int, PageComments]:
    """What every feature answers for ``pages`` (page id -> ``PageComments``)."""
    found: dict[int, PageComments] = {}
    for hook in hooks.get_hooks(PAGE_COMMENTS):
        found.update(hook(pages, request) or {})
    return found


def item_comments(comments: Mapping[int, PageComments], page: Any) -> dict[str, Any]:
    """The extra values of one feed item (for ``Feed.item_extra_kwargs``)."""
    known = comments.get(page.pk)
    if known is None:
        return {}
    return {"comment_count": known.count, "comments_feed": known.feed_url}


class CommentedRssFeed(Rss201rev2Feed):
    """Django's RSS 2.0 writer, with each item's comment count and comments feed."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:slash": SLASH_NS, "xmlns:wfw": WFW_NS}

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("comment_count") is not None:
            handler.addQuickElement("slash:comments", str(item["comment_count"]))
        if item.get("comments_feed"):
            handler.addQuickElement("wfw:commentRss", item["comments_feed"])


class CommentCountsMixin:
    """For a Django ``Feed``: each item says how many comments its page has, and where
    their feed is. Asked once for all the items of the feed (one query per feature).

    Django's ``Feed`` reads its items through ``_get_dynamic_attr("items", obj)`` and
    offers no hook between reading them and writing them: that one method is wrapped here
    (pinned by the feeds' tests, which fail loudly should Django change it).
    """

    feed_type = CommentedRssFeed
    _comments: Mapping[int, PageComments] = {}

    def _get_dynamic_attr(self, attname: str, obj: Any, default: Any = None) -> Any:
        value = super()._get_dynamic_attr(attname, obj, default)
        if attname == "items":
            value = list(value)
            self._comments = page_comments(value, self.request)
        return value

    def item_extra_kwargs(self, item: Any) -> dict[str, Any]:
        return {**super().item_extra_kwargs(item), **item_comments(self._comments, item)}

    def item_comments(self, item: Any) -> str | None:
        """RSS 2.0's own ``<comments>``: where the page's comments are read."""
        known = self._comments.get(item.pk)
        return known.page_url if known else None
