"""News, agenda, residents' blogs and methodology: the sections residents read."""

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.pages import SectionPage


class ArticleIndexPage(SectionPage):
    """The news section ("Actualités"): lists its articles, newest first."""

    subpage_types = ["portal.ArticlePage"]

    class Meta:
        verbose_name = "rubrique Actualités"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ArticlePage.objects.live().child_of(self).order_by("-date", "-pk").specific()
        )
        return context


class ArticlePage(Page):
    """A news article of the neighbourhood."""

    date = models.DateField("Date de publication", default=timezone.localdate)
    intro = RichTextField("Chapô", blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name="Contenu", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["portal.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "article"


class EventIndexPage(SectionPage):
    """The agenda of the neighbourhood ("Agenda")."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = "rubrique Agenda"


class BlogIndexPage(SectionPage):
    """Residents' blogs ("Blogs des habitants")."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = "rubrique Blogs des habitants"


class MethodologyIndexPage(SectionPage):
    """Methodology sheets of the portal ("Méthodologie")."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = "rubrique Méthodologie"
