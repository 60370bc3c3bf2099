"""The moderation inbox of the admin: one page, one dashboard panel, one menu item, over
every feature's moderation queue (``core.moderation.sources_for``).

Each source the user may see gets a section: how many items wait, the oldest of them
(each linking to where it is decided) and a link to the source's own queue, where items
are decided one by one or in bulk. Core names no feature: the sources come from the
``MODERATION_SOURCES`` hooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.moderation import ModerationItem, ModerationSource, sources_for

# How many of each source's oldest items the inbox and the digest list.
OLDEST_SHOWN = 5


@dataclass(frozen=True)
class SourceSummary:
    """What waits in one source: its count and its oldest items."""

    source: ModerationSource
    count: int
    oldest: Sequence[ModerationItem]


def summaries(user, limit: int = OLDEST_SHOWN) -> list[SourceSummary]:
    """One summary per source ``user`` may see, in the hooks' order (the oldest items
    are read only for a source where something waits)."""
    found = []
    for source in sources_for(user):
        count = source.waiting_count()
        found.append(SourceSummary(source, count, source.waiting(limit) if count else ()))
    return found


class InboxView(WagtailAdminTemplateMixin, TemplateView):
    """The admin's "Modération" page: every source the user may see, what waits in it.
    Open to every admin user: one without a source reads that nothing is theirs to do."""

    template_name = "core/moderation/inbox.html"
    page_title = _("Modération")
    header_icon = "tasks"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: object) -> dict:
        found = summaries(self.request.user)
        return super().get_context_data(
            summaries=found, total=sum(summary.count for summary in found), **kwargs
        )


class InboxMenuItem(MenuItem):
    """ "Modération" in the admin's menu, for users with at least one source to see."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(sources_for(request.user))


class InboxPanel(Component):
    """The dashboard's panel: what waits in each source, with the link to each queue."""

    name = "moderation_inbox"
    template_name = "core/moderation/panel.html"
    order = 40

    def __init__(self, found: list[SourceSummary]) -> None:
        self.found = found

    def get_context_data(self, parent_context: dict) -> dict:
        return {"summaries": self.found, "total": sum(summary.count for summary in self.found)}


def add_inbox_panel(request: HttpRequest, panels: list) -> None:
    """The panel, for users who may see a source (counts only: no items read)."""
    sources = sources_for(request.user)
    if sources:
        found = [SourceSummary(source, source.waiting_count(), ()) for source in sources]
        panels.append(InboxPanel(found))
