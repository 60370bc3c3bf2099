"""The participatory journal: numbered issues gathering articles and posts, for print."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.pages import PortalPage
from core.privacy import public_pages
from portal.actors.stories import MapStoryPage

# The pages an issue may gather, in its items' chooser.
ISSUE_PAGE_TYPES = ["portal.ArticlePage", "portal.BlogPostPage", "portal.MapStoryPage"]


class JournalIssuePage(PortalPage):
    """A numbered issue of the participatory journal, printable as a paper journal."""

    number = models.PositiveIntegerField(_("numéro"))
    date = models.DateField(_("date de parution"), default=timezone.localdate)
    editorial = RichTextField(_("édito"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("date"),
        FieldPanel("editorial"),
        InlinePanel(
            "items", label=_("Sommaire"), heading=_("Articles, billets et récits du numéro")
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("editorial")]

    template = "portal/news/journal_issue_page.html"
    parent_page_types = ["portal.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("numéro du journal participatif")
        verbose_name_plural = _("numéros du journal participatif")

    def contents(self) -> list[Page]:
        """The issue's live public pages, in the animator's order, as their own types; a
        resident's map story only once published on the map (never one waiting or
        declined, even if an animator chose it)."""
        items = self.items.select_related("page").order_by("sort_order")
        ids = [item.page_id for item in items if item.page_id]
        live = public_pages(Page.objects.live().filter(pk__in=ids))
        pages = {
            page.pk: page
            for page in live.specific()
            if not isinstance(page, MapStoryPage) or page.status == MapStoryPage.Status.PUBLISHED
        }
        return [pages[pk] for pk in ids if pk in pages]


class JournalIssueItem(Orderable):
    """One article, post or resident's map story of an issue."""

    issue = ParentalKey(JournalIssuePage, related_name="items", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("article, billet ou récit de la carte"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("page", ISSUE_PAGE_TYPES)]
