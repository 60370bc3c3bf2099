"""A page's comments feed (RSS 2.0): its published reactions, newest first, each with the
team's reply when there is one."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail.models import Page

from reactions.models import Reaction

MAX_ITEMS = 50


class ReactionFeed(Feed):
    """The reactions of one page; addresses absolute, from the portal's own host."""

    request: HttpRequest

    def get_object(self, request: HttpRequest, page: Page) -> Page:
        self.request = request
        self.page_url = page.get_full_url(request)
        return page

    def title(self, page: Page) -> str:
        return _("Réactions à « %(title)s »") % {"title": page.title}

    def link(self, page: Page) -> str:
        return self.page_url + "#reactions"

    def description(self, page: Page) -> str:
        return _("Les réactions publiées sous « %(title)s », et les réponses de la rédaction.") % {
            "title": page.title
        }

    def items(self, page: Page) -> list[Reaction]:
        return list(
            Reaction.objects.shown().filter(page_id=page.pk).order_by("-published_at")[:MAX_ITEMS]
        )

    def item_title(self, item: Reaction) -> str:
        return _("Réaction de %(name)s") % {"name": item.name}

    def item_description(self, item: Reaction) -> str:
        if not item.reply:
            return item.text
        return f"{item.text}\n\n{_('Réponse de la rédaction :')} {item.reply}"

    def item_link(self, item: Reaction) -> str:
        return f"{self.page_url}#reaction-{item.pk}"

    def item_guid(self, item: Reaction) -> str:
        return self.item_link(item)

    def item_author_name(self, item: Reaction) -> str:
        return item.name

    def item_pubdate(self, item: Reaction) -> datetime.datetime | None:
        return item.published_at
