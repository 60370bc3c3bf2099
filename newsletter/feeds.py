"""The RSS feed of a portal's past issues."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _

from newsletter.models import NewsletterIndexPage, NewsletterPage

FEED_LENGTH = 20


class IssuesFeed(Feed):
    """The newest issues, each linking to its web version."""

    def __init__(self, page: NewsletterIndexPage) -> None:
        super().__init__()
        self.page = page

    def title(self) -> str:
        return self.page.title

    def link(self) -> str:
        return self.page.get_url_parts()[2]

    def description(self) -> str:
        return _("Les numéros de l'infolettre du quartier.")

    def items(self) -> list[NewsletterPage]:
        return list(self.page.issues()[:FEED_LENGTH])

    def item_title(self, item: NewsletterPage) -> str:
        return item.title

    def item_description(self, item: NewsletterPage) -> str:
        return item.intro

    def item_link(self, item: NewsletterPage) -> str:
        return item.get_url_parts()[2]

    def item_pubdate(self, item: NewsletterPage):
        return item.first_published_at
