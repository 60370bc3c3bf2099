"""A portal's front page and its settings."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import HomeBlock
from home.site_settings import PortalSettings

__all__ = ["HomePage", "PortalSettings"]


class HomePage(Page):
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
