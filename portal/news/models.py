"""News of the neighbourhood: the "Actualités" section and its articles."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.blocks import BodyBlock
from core.images import shape_specs, with_renditions
from core.latest import Reading
from core.page_routes import ExtensibleRoutablePageMixin
from core.pages import CoverMixin, PortalPage, SectionPage
from core.read_ahead import relations_reading
from portal.listing import paginate, query_param
from portal.news.feeds import ArticleFeed
from tenants.sharing import SharedFields, SharedWithNetwork, plain_text

# The renditions listings of articles show (portal/news/article_index_page.html, home's
# news), and the lead story of the home page (portal/latest/news.html).
LISTING_COVER = shape_specs("card")
LEAD_COVER = shape_specs("lead")


@register_snippet
class ArticleCategory(models.Model):
    """A rubric of the news (Vie du quartier, Jeunesse, Culture...), chosen by the animator."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True, allow_unicode=False)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("catégorie d'article")
        verbose_name_plural = _("catégories d'articles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticleIndexPage(RoutablePageMixin, SectionPage):
    """The news section ("Actualités"): articles newest first, by category or tag, RSS."""

    template = "portal/news/article_index_page.html"
    subpage_types = ["portal.ArticlePage", "portal.JournalIssuePage"]

    class Meta:
        verbose_name = _("rubrique Actualités")

    def articles(self):
        articles = ArticlePage.objects.live().public().child_of(self)
        return with_renditions(articles, "cover", *LISTING_COVER).order_by("-date", "-pk")

    @path("")
    def listing(self, request):
        articles = self.articles()
        categories = ArticleCategory.objects.all()
        category = None
        if slug := query_param(request, "categorie", 80):
            category = categories.filter(slug=slug).first()
            if category is None:
                raise Http404
            articles = articles.filter(categories=category)
        tag = query_param(request, "tag", 100)
        if tag:
            articles = articles.filter(tags__name=tag)
        return self.render(
            request,
            context_overrides={
                "articles": paginate(request, articles),
                "categories": categories,
                "category": category,
                "tag": tag,
                "filter_query": urlencode(
                    {
                        key: value
                        for key, value in (("categorie", category and category.slug), ("tag", tag))
                        if value
                    }
                ),
            },
        )

    @path("rss/")
    def rss(self, request):
        return ArticleFeed()(request, index_page=self)


class ArticlePage(CoverMixin, ExtensibleRoutablePageMixin, SharedWithNetwork, PortalPage):
    """A news article of the neighbourhood."""

    foot_sections = True

    date = models.DateField(_("date de publication"), default=timezone.localdate)
    intro = RichTextField(_("chapô"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    authors = models.CharField(
        _("auteurs et autrices"),
        max_length=255,
        blank=True,
        help_text=_("Les noms tels qu'ils doivent apparaître, par exemple « Awa et Karim »."),
    )
    categories = ParentalManyToManyField(
        ArticleCategory, verbose_name=_("catégories"), blank=True, related_name="articles"
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("mots-clés"))
    actors = ParentalManyToManyField(
        "portal.Actor", verbose_name=_("acteurs locaux concernés"), blank=True, related_name="+"
    )
    shared_with_network = models.BooleanField(
        _("partager avec le réseau"),
        default=False,
        help_text=_("L'article apparaît aussi sur le portail de la fédération."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("authors")],
            heading=_("Publication"),
        ),
        FieldPanel("intro"),
        *CoverMixin.cover_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("categories"),
                FieldPanel("tags"),
                FieldPanel("actors"),
                FieldPanel("shared_with_network"),
            ],
            heading=_("Classement et partage"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("authors"),
        index.FilterField("date"),
    ]

    template = "portal/news/article_page.html"
    parent_page_types = ["portal.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")

    def readings(self, request: HttpRequest | None) -> dict[str, Reading]:
        """The cover, and the relations the page lists, read before it renders."""
        return {
            **super().readings(request),
            "relations": relations_reading(self, ["categories", "tags", "actors"]),
        }

    def shared_fields(self) -> SharedFields | None:
        """Shared only when its editor ticked "partager avec le réseau"."""
        if not self.shared_with_network:
            return None
        return SharedFields(
            kind="article",
            module="",
            title=self.title,
            summary=plain_text(self.intro),
            tags=sorted(tag.name for tag in self.tags.all()),
        )
