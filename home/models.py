"""A portal's front page and its settings."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core.caching import fragment, fragments_found
from core.latest import Reading
from core.page_routing import route_from_root
from core.pages import PortalPage
from core.read_ahead import image_reading
from home.blocks import FRAGMENT_SECONDS, HomeBlock, read_blocks_ahead
from home.site_settings import PortalSettings

__all__ = ["HomePage", "PortalSettings"]

# The portal's banner as HTML, kept in the fragment cache under the image's id: an edit of
# the image or of the identity changes the portal's generation (both are shown on pages);
# its AVIF sources, written later by a worker, appear within ``FRAGMENT_SECONDS``.
BANNER_FRAGMENT = "banner"


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

    def readings(self, request: HttpRequest | None) -> dict[str, Reading]:
        """What the page shows beside its blocks, the portal's banner too when its HTML
        is not kept already: its image and renditions then come in the blocks' round trip
        (``read_blocks_ahead``), not in two more queries while the template renders."""
        found = super().readings(request)
        identity = PortalSettings.load(request_or_site=request) if request is not None else None
        if (
            identity is not None
            and identity.banner_id is not None
            and not fragments_found(BANNER_FRAGMENT, [_banner_parts(identity)])
        ):
            found["banner"] = image_reading(identity, "banner")
        return found

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        """The page's context, what its blocks list read ahead together (one round trip),
        and the portal's banner as HTML (kept, or made from what was read ahead)."""
        read_blocks_ahead(request, self.body, self)
        context = super().get_context(request, *args, **kwargs)
        identity = PortalSettings.load(request_or_site=request)
        context["banner"] = (
            fragment(
                BANNER_FRAGMENT,
                _banner_parts(identity),
                FRAGMENT_SECONDS,
                lambda: render_to_string("home/includes/banner.html", {"image": identity.banner}),
            )
            if identity.banner_id is not None
            else ""
        )
        return context

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # Every address of the portal starts here: one query for the whole path.
        return route_from_root(self, request, path_components)


def _banner_parts(identity: PortalSettings) -> tuple[str, ...]:
    """The banner fragment's key parts: the image alone sets its HTML (it has no words)."""
    return (str(identity.banner_id),)
