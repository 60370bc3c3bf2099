"""The federation's home page blocks: the pilots (map and cards), what the network
shares, and the ways in (toolkit, network agenda, podcast, launching a media).

Each renders only on the federation's portal: put on a neighbourhood's home page, it shows
nothing (a neighbourhood's visitors come for their neighbourhood).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.privacy import may_link_to
from frontdoor.pilots import latest_shared, pilot_cards, pilots_geojson
from tenants.addresses import current_portal


def on_federation() -> bool:
    """Whether the current schema is the federation's portal."""
    portal = current_portal()
    return portal is not None and portal.kind == portal.Kind.FEDERATION


class FederationOnlyBlock(blocks.StructBlock):
    """A block that renders on the federation's portal only."""

    def render(self, value, context=None):
        if not on_federation():
            return ""
        return super().render(value, context)

    class Meta:
        abstract = True


class PilotsBlock(FederationOnlyBlock):
    """The network's pilots on a map and as cards, from the registry (always current)."""

    title = blocks.CharBlock(
        label=_("Titre du bloc"), max_length=120, default="Les quartiers pilotes"
    )
    text = blocks.TextBlock(label=_("Texte"), required=False, max_length=400)
    show_map = blocks.BooleanBlock(label=_("Montrer la carte"), required=False, default=True)

    class Meta:
        icon = "site"
        label = _("Quartiers pilotes (carte et fiches)")
        template = "frontdoor/blocks/pilots_block.html"
        description = _(
            "Les portails du réseau sur une carte et en fiches, avec leur dernier contenu partagé."
        )
        preview_value = {"title": "Les quartiers pilotes", "show_map": False}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        cards = pilot_cards()
        context["pilots"] = cards
        context["map_data"] = pilots_geojson(cards) if value["show_map"] else None
        context["tile_url"] = settings.MAP_TILE_URL
        context["tile_attribution"] = settings.MAP_TILE_ATTRIBUTION
        return context


class NetworkSharedBlock(FederationOnlyBlock):
    """The newest articles and episodes the portals share, credited to their portal."""

    title = blocks.CharBlock(
        label=_("Titre du bloc"), max_length=120, default="Ce que les quartiers racontent"
    )
    count = blocks.IntegerBlock(label=_("Nombre d'éléments"), default=6, min_value=1, max_value=12)

    class Meta:
        icon = "list-ul"
        label = _("Derniers contenus partagés par les quartiers")
        template = "frontdoor/blocks/network_shared_block.html"
        description = _("Les articles et émissions que les portails partagent avec le réseau.")
        preview_value = {"title": "Ce que les quartiers racontent", "count": 3}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["entries"] = latest_shared(value["count"])
        return context


class WayInBlock(blocks.StructBlock):
    """One way into the network: a title, a sentence and where it leads."""

    title = blocks.CharBlock(label=_("Titre"), max_length=80)
    text = blocks.TextBlock(label=_("Texte"), required=False, max_length=300)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    path = blocks.CharBlock(
        label=_("Ou adresse"),
        required=False,
        max_length=200,
        help_text=_("Une adresse de ce portail, par exemple /reseau/agenda/."),
    )
    link_text = blocks.CharBlock(label=_("Texte du lien"), max_length=80)


class WaysInBlock(FederationOnlyBlock):
    """The ways into the network: the toolkit, the network agenda, the podcast, launching
    a media in one's own neighbourhood."""

    title = blocks.CharBlock(
        label=_("Titre du bloc"), max_length=120, default="Rejoindre le mouvement"
    )
    items = blocks.ListBlock(WayInBlock(), label=_("Liens"))

    class Meta:
        icon = "link"
        label = _("Portes d'entrée du réseau")
        template = "frontdoor/blocks/ways_in_block.html"
        description = _("Boîte à outils, agenda du réseau, podcast, lancer un média…")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["links"] = [link for item in value["items"] if (link := _way_in(item))]
        return context


def _way_in(item) -> dict | None:
    """A way in as the template lists it, or None: a page that is not live or is private
    stays on its own (no link to a 404 or a login)."""
    page = item["page"]
    if page is not None:
        page = page.specific
        if not may_link_to(page):
            return None
        url = page.get_url()
    else:
        url = item["path"]
    if not url:
        return None
    return {
        "title": item["title"],
        "text": item["text"],
        "url": url,
        "link_text": item["link_text"],
    }
