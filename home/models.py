"""A portal's front page and its settings."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core.page_routing import route_from_root
from core.pages import PortalPage
from home.blocks import HomeBlock, read_blocks_ahead
from home.site_settings import PortalSettings

__all__ = ["HomePage", "PortalSettings"]


class HomePage(PortalPage):
    """The agora of the neighbourhood: blocks the animator orders, hides or adds."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(HomeBlock(), verbose_name=_("blocs de la page d'accueil"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    # Only under the tree's root; animators have no right there, so they cannot add one.
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        """The page's context, what its blocks list read ahead together (two round trips)."""
        read_blocks_ahead(request, self.body, self)
        return super().get_context(request, *args, **kwargs)

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # Every address of the portal starts here: one query for the whole path.
        return route_from_root(self, request, path_components)
