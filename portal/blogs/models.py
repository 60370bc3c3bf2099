"""Residents' blogs: one blog per resident or group, posts approved by the animators."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.images import shape_specs, with_renditions
from core.page_routes import ExtensibleRoutablePageMixin
from core.pages import CoverMixin, PortalPage, SectionPage
from portal.blogs.feeds import BlogFeed
from portal.listing import paginate

# The renditions a post's card shows (blog_page.html, blog_index_page.html, home's posts).
CARD_SPECS = shape_specs("card")


class BlogIndexPage(SectionPage):
    """Residents' blogs ("Blogs des habitants"): every blog, and the latest posts."""

    template = "portal/blogs/blog_index_page.html"
    subpage_types = ["portal.BlogPage"]

    class Meta:
        verbose_name = _("rubrique Blogs des habitants")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["blogs"] = BlogPage.objects.live().public().child_of(self).order_by("title")
        context["posts"] = paginate(
            request,
            with_renditions(
                BlogPostPage.objects.live().public().descendant_of(self), "cover", *CARD_SPECS
            ).order_by("-date", "-pk"),
        )
        return context


class BlogPage(RoutablePageMixin, PortalPage):
    """The blog of one resident or group: its contributors write the posts."""

    intro = RichTextField(_("présentation"), blank=True, features=["bold", "italic", "link"])
    writers = models.CharField(
        _("qui écrit"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Les jeunes de l'atelier vidéo » ou « Mireille »."),
    )

    content_panels = [*Page.content_panels, FieldPanel("writers"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    template = "portal/blogs/blog_page.html"
    parent_page_types = ["portal.BlogIndexPage"]
    subpage_types = ["portal.BlogPostPage"]

    class Meta:
        verbose_name = _("blog d'habitant")
        verbose_name_plural = _("blogs d'habitants")

    def posts(self):
        posts = BlogPostPage.objects.live().public().child_of(self)
        return with_renditions(posts, "cover", *CARD_SPECS).order_by("-date", "-pk")

    @path("")
    def listing(self, request):
        return self.render(request, context_overrides={"posts": paginate(request, self.posts())})

    @path("rss/")
    def rss(self, request):
        return BlogFeed()(request, index_page=self)


class BlogPostPage(CoverMixin, ExtensibleRoutablePageMixin, PortalPage):
    """A post in a resident's blog, published once an animator approves it."""

    foot_sections = True

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = RichTextField(_("chapô"), blank=True, features=["bold", "italic"])
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        *CoverMixin.cover_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    template = "portal/blogs/blog_post_page.html"
    parent_page_types = ["portal.BlogPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("billet de blog")
        verbose_name_plural = _("billets de blog")
