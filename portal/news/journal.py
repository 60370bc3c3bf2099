"""The participatory journal: numbered issues gathering articles and posts, for print."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.latest import Reading
from core.pages import PortalPage
from core.privacy import public_pages
from core.read_ahead import image_reading, read_shown_pages_ahead
from portal.actors.stories import MapStoryPage
from portal.blogs.models import BlogPostPage
from portal.news.models import ArticlePage

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

    def readings(self, request: HttpRequest | None) -> dict[str, Reading]:
        """What the page shows beside its fields: its pieces, read with them."""
        return {**super().readings(request), "contents": _contents_reading(self)}

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        """The context, once the pieces (read ahead with the page) have what they show
        read too: their credits, the stories' photos (one round trip for all of them)."""
        context = super().get_context(request, *args, **kwargs)
        pieces = self.read_items.get("contents")
        if pieces:
            for piece in pieces:
                # Shown without their foot (no reactions, no production credits): the
                # features read nothing for it (``foot_sections``).
                piece.foot_sections = False
            photos = {
                ("photo", piece.pk): reading
                for piece in pieces
                if isinstance(piece, MapStoryPage)
                and (reading := image_reading(piece, "photo")) is not None
            }
            read_shown_pages_ahead(pieces, request, photos)
        return context

    def contents(self) -> Sequence[Page]:
        """The issue's live public pages, in the animator's order, as their own types; a
        resident's map story only once published on the map (never one waiting or
        declined, even if an animator chose it). As read ahead with the page, when it was."""
        ahead = self.read_items.get("contents")
        if ahead is not None:
            return ahead
        items = self.items.select_related("page").order_by("sort_order")
        ids = [item.page_id for item in items if item.page_id]
        live = public_pages(Page.objects.live().filter(pk__in=ids))
        pages = {
            page.pk: page
            for page in live.specific()
            if not isinstance(page, MapStoryPage) or page.status == MapStoryPage.Status.PUBLISHED
        }
        return _marked([pages[pk] for pk in ids if pk in pages])


# The types of the pieces read ahead (an issue's chooser offers no other, ISSUE_PAGE_TYPES).
PIECE_MODELS = (ArticlePage, BlogPostPage, MapStoryPage)


def _contents_reading(issue: JournalIssuePage) -> Reading:
    """The issue's pieces as ``contents`` gives them, as querysets read with the page's
    other lists: its items, then its live public pieces of each type (their own types at
    once, instead of Wagtail's ``specific()`` query a type). Should an item name a page of
    another type, None: ``contents`` then asks as before."""
    items = JournalIssueItem.objects.filter(issue_id=issue.pk).order_by("sort_order")
    chosen = items.values("page_id")
    pieces = [public_pages(model.objects.live().filter(pk__in=chosen)) for model in PIECE_MODELS]
    pieces[-1] = pieces[-1].filter(status=MapStoryPage.Status.PUBLISHED)
    piece_types = ContentType.objects.get_for_models(*PIECE_MODELS).values()
    others = (
        Page.objects.live()
        .filter(pk__in=chosen)
        .exclude(content_type__in=[content_type.pk for content_type in piece_types])
        .only("pk")[:1]
    )

    def contents(rows: list[list]) -> list[Page] | None:
        items_found, *found, other = rows
        if other:
            return None
        pages = {page.pk: page for rows_of_type in found for page in rows_of_type}
        return _marked([pages[item.page_id] for item in items_found if item.page_id in pages])

    return Reading([items, *pieces, others], contents)


def _marked(pieces: list[Page]) -> list[Page]:
    """``pieces``, each told whether it is a resident's map story (the template shows
    those apart), without asking for its content type."""
    for piece in pieces:
        piece.is_story = isinstance(piece, MapStoryPage)
    return pieces


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
