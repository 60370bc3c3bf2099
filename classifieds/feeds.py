"""The RSS feed of a portal's published ads (Django's syndication framework)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.translation import gettext as _

from classifieds.addresses import section_path
from classifieds.listing import latest_published
from classifieds.models import Classified, ClassifiedsPage

FEED_LENGTH = 30


class ClassifiedsFeed(Feed):
    """The newest published ads of one portal; the text is plain, escaped by the feed."""

    def __init__(self, page: ClassifiedsPage) -> None:
        super().__init__()
        self.page = page

    def title(self) -> str:
        return f"{self.page.title} · {self.request_portal_name}"

    def link(self) -> str:
        return section_path(self.page, "listing")

    def description(self) -> str:
        return _("Les dernières petites annonces publiées.")

    def items(self) -> list[Classified]:
        return list(latest_published(FEED_LENGTH))

    def item_title(self, item: Classified) -> str:
        return f"{item.get_kind_display()} · {item.title}"

    def item_description(self, item: Classified) -> str:
        # Feed readers read the description as HTML: escape the resident's plain text.
        return linebreaksbr(escape(f"{item.category} · {item.price_label}\n\n{item.text}"))

    def item_link(self, item: Classified) -> str:
        return section_path(self.page, "detail", item.pk)

    def item_pubdate(self, item: Classified):
        return item.published_at

    def item_categories(self, item: Classified) -> list[str]:
        return [item.category.name]

    def __call__(self, request: HttpRequest, *args: object, **kwargs: object):
        tenant = getattr(request, "tenant", None)
        self.request_portal_name = getattr(tenant, "name", "")
        return super().__call__(request, *args, **kwargs)
