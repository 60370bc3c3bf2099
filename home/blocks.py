"""The home page's blocks: the animator orders, hides or adds them."""

import hashlib
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from carriers.public import Partner, partners
from core.caching import fragment, fragments_found
from core.images import shape_specs
from core.latest import (
    LatestSourceChoiceBlock,
    Reading,
    read_together,
    source_for,
    sources_for,
)
from core.privacy import may_link_to
from core.read_ahead import read_page_ahead
from core.reading_memo import built_once
from frontdoor.blocks import NetworkSharedBlock, PilotsBlock, WaysInBlock

# How long a "latest" block may be reused at most: it also changes with time alone (what
# the radio plays now, an event that has started).
FRAGMENT_SECONDS = 60


class HeroBlock(blocks.StructBlock):
    """The big banner at the top: a title, a sentence, a photo and where to go."""

    title = blocks.CharBlock(label=_("Titre"), max_length=120)
    text = blocks.TextBlock(label=_("Texte"), required=False, max_length=400)
    image = ImageChooserBlock(label=_("Photo"), required=False)
    alt = blocks.CharBlock(label=_("Texte alternatif de la photo"), required=False)
    link = blocks.PageChooserBlock(label=_("Lien vers"), required=False)
    link_text = blocks.CharBlock(label=_("Texte du lien"), required=False, max_length=80)

    class Meta:
        icon = "pick"
        label = _("Bandeau d'accueil")
        template = "home/blocks/hero_block.html"
        preview_value = {
            "title": "Le quartier prend la parole",
            "text": "Actualités, agenda, petites annonces et webradio, par et pour les habitants.",
        }
        description = _("Un grand titre d'accueil, avec une photo et un lien.")

    def get_context(self, value, parent_context=None):
        """The banner keeps its words and photo; its link goes while the page it names
        is a draft or private (its title would show, and the link lead to a 404 or a
        login)."""
        context = super().get_context(value, parent_context)
        context["link"] = value["link"] if may_link_to(value["link"]) else None
        return context


class HighlightBlock(blocks.StructBlock):
    """One page put forward, with its own words."""

    page = blocks.PageChooserBlock(label=_("Page mise en avant"))
    text = blocks.TextBlock(label=_("Pourquoi la lire"), required=False, max_length=300)

    class Meta:
        icon = "pick"
        label = _("Page mise en avant")
        template = "home/blocks/highlight_block.html"
        description = _("Met en avant une page du portail.")

    def render(self, value, context=None):
        """Nothing when the page put forward is a draft or private: it stays on its own
        page."""
        if not may_link_to(value["page"]):
            return ""
        return super().render(value, context)


class FragmentCachedBlock(blocks.StructBlock):
    """A block whose HTML is kept in the fragment cache until the portal changes.

    The key (``core.caching.portal_key``) carries the schema, the release, the portal's
    and the network's generations (bumped by any change the block could show), the
    language and what ``fragment_key_parts`` names of the block's own settings. What
    changes with time alone is bounded by ``FRAGMENT_SECONDS``.
    """

    fragment_name = ""

    def fragment_key_parts(self, value) -> tuple[str, ...]:
        """The block's own settings that change its HTML."""
        raise NotImplementedError

    def fragment_parts(self, value) -> tuple[str, ...]:
        """The parts of the block's fragment key (the language, then its settings)."""
        return (translation.get_language() or "", *self.fragment_key_parts(value))

    def reading(self, value) -> Reading | None:
        """What the block lists, as a ``Reading`` a page reads with its other blocks'
        (``read_blocks_ahead``); None: ask ``items`` alone."""
        return None

    def items(self, value) -> Sequence:
        """What the block lists, read on its own."""
        reading = self.reading(value)
        return reading.read_alone() if reading is not None else []

    def items_here(self, value, context: Any) -> Sequence:
        """What the block lists: as its page read it ahead, else read now."""
        ahead = _read_ahead(context)
        if ahead is not None:
            found = ahead["items"].get((self.fragment_name, self.fragment_parts(value)))
            if found is not None:
                return found
        return self.items(value)

    def render(self, value, context=None):
        ahead = _read_ahead(context)
        if ahead is not None:
            html = ahead["html"].get((self.fragment_name, self.fragment_parts(value)))
            if html is not None:
                return html
        return fragment(
            self.fragment_name,
            self.fragment_parts(value),
            FRAGMENT_SECONDS,
            lambda: super(FragmentCachedBlock, self).render(value, context),
        )


def _digest(text: str | None) -> str:
    """A short fixed-length stand-in for free text in a cache key."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]


class LatestBlock(FragmentCachedBlock):
    """The newest items of a section, filled in by itself, from the sources features
    register (``core.latest``)."""

    source = LatestSourceChoiceBlock(use="home", label=_("Rubrique"))
    title = blocks.CharBlock(
        label=_("Titre du bloc"), required=False, help_text=_("Par défaut : le nom de la liste.")
    )
    count = blocks.IntegerBlock(label=_("Nombre d'éléments"), default=3, min_value=1, max_value=12)

    class Meta:
        icon = "list-ul"
        label = _("Derniers contenus d'une rubrique")
        template = "home/blocks/latest_block.html"
        preview_value = {"source": "news", "count": 3}
        description = _("Les derniers articles, événements, billets… mis à jour tout seuls.")

    fragment_name = "latest"

    def fragment_key_parts(self, value) -> tuple[str, ...]:
        return (value["source"], str(value["count"]), _digest(value["title"]))

    def render(self, value, context=None):
        """Nothing for a source no app provides any more (logged, and reported by the
        check ``quartiers.W002``); else the cached HTML (what the radio plays now and
        events starting are bounded by ``FRAGMENT_SECONDS``), or the HTML the page found
        for it ahead (``read_blocks_ahead``)."""
        if source_for(value["source"], "home") is None:
            return ""
        return super().render(value, context)

    def reading(self, value) -> Reading | None:
        source = sources_for("home").get(value["source"])
        if source is None or source.reading is None:
            return None
        count = value["count"]
        # Built once per portal state and second (``core.reading_memo``): the same
        # querysets at every request, whose compilation is then found at once.
        return built_once(f"latest:{source.key}", count, lambda: source.reading(count))

    def items(self, value) -> Sequence:
        source = sources_for("home").get(value["source"])
        return source.items(value["count"]) if source else []

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        source = source_for(value["source"], "home")
        context["source"] = source
        context["items"] = self.items_here(value, parent_context) if source else []
        context["heading"] = value["title"] or (source.label if source else "")
        return context


# Where a request keeps what its page read ahead for its blocks: its own, never another
# request's (nor another portal's).
READ_AHEAD_ATTRIBUTE = "_blocks_read_ahead"
# The banner's renditions, every width and format ``home/blocks/hero_block.html`` offers.
HERO_IMAGE = tuple(shape_specs("hero"))


def read_blocks_ahead(request: HttpRequest, body: Any, page: Any = None) -> None:
    """Read what the blocks of ``body`` (a home page's StreamField) show before they
    render: the fragments already kept in one ``get_many`` per kind, then the lists of the
    others (the "latest" blocks' sources, the partners) and every image's renditions
    (theirs and the banners') together in one round trip (``core.latest.read_together``),
    instead of one to three queries a block. Kept on
    ``request`` for the blocks' ``render`` and ``get_context``."""
    sources = sources_for("home")
    wanted: dict[tuple[str, tuple], tuple[FragmentCachedBlock, Any]] = {}
    images = []
    for child in body:
        block, value = child.block, child.value
        if isinstance(block, HeroBlock) and value["image"] is not None:
            images.append((value["image"], HERO_IMAGE))
        if isinstance(block, LatestBlock) and value["source"] not in sources:
            continue
        if isinstance(block, LatestBlock | PartnersBlock):
            wanted[(block.fragment_name, block.fragment_parts(value))] = (block, value)
    html = {}
    for kind in {name for name, _parts in wanted}:
        found = fragments_found(kind, [parts for name, parts in wanted if name == kind])
        html.update({(kind, parts): value for parts, value in found.items()})
    readings, items = {}, {}
    for key, (block, value) in wanted.items():
        if key in html:
            continue
        reading = block.reading(value)
        if reading is None:
            items[key] = block.items(value)
        else:
            readings[key] = reading
    if page is None or getattr(request, "is_preview", False) or page.pk is None:
        items.update(read_together(readings, images))
    else:
        # With what the features add to the page (the footer's partners): one round trip.
        page_readings = page.readings(request)
        found = read_page_ahead(page, request, {**readings, **page_readings}, images)
        page.read_items = {key: found[key] for key in page_readings}
        items.update(found)
    setattr(request, READ_AHEAD_ATTRIBUTE, {"html": html, "items": items})


def _read_ahead(context: Any) -> dict[str, dict] | None:
    request = context.get("request") if context else None
    return getattr(request, READ_AHEAD_ATTRIBUTE, None)


class PartnersBlock(FragmentCachedBlock):
    """The portal's partners and funders, with their logos and names (``carriers``)."""

    title = blocks.CharBlock(label=_("Titre du bloc"), max_length=120, default=_("Nos partenaires"))
    kind = blocks.ChoiceBlock(
        label=_("Lesquels"),
        choices=[("", _("Tous")), *Partner.Kind.choices],
        required=False,
    )

    class Meta:
        icon = "group"
        label = _("Partenaires et financeurs")
        template = "home/blocks/partners_block.html"
        preview_value = {"title": "Nos partenaires", "kind": ""}
        description = _("Les logos des partenaires et financeurs du portail.")

    # A partner saved or deleted changes the portal's generation: ``carriers.Partner`` is
    # shown on pages.
    fragment_name = "partners"

    def fragment_key_parts(self, value) -> tuple[str, ...]:
        return (value["kind"] or "", _digest(value["title"]))

    def reading(self, value) -> Reading:
        kind = value["kind"] or ""
        return built_once(
            "partners", kind, lambda: Reading((partners(kind),), lambda rows: rows[0])
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["partners"] = list(self.items_here(value, parent_context))
        return context


class HomeBlock(blocks.StreamBlock):
    hero = HeroBlock()
    text = blocks.RichTextBlock(
        label=_("Texte"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="home/blocks/text_block.html",
        description=_("Un texte libre."),
    )
    highlight = HighlightBlock()
    latest = LatestBlock()
    partners = PartnersBlock()
    # The federation's own blocks (they show nothing on a neighbourhood's portal).
    pilots = PilotsBlock()
    network_shared = NetworkSharedBlock()
    ways_in = WaysInBlock()


# What a new neighbourhood's home page shows until its animator changes it.
DEFAULT_HOME_BLOCKS = [
    ("latest", {"source": "news", "title": "", "count": 3}),
    ("latest", {"source": "events", "title": "", "count": 3}),
    ("latest", {"source": "on_air", "title": "", "count": 1}),
    ("latest", {"source": "classifieds", "title": "", "count": 4}),
    ("latest", {"source": "webtv", "title": "", "count": 3}),
    ("latest", {"source": "blog_posts", "title": "", "count": 3}),
    ("latest", {"source": "actors", "title": "", "count": 6}),
    ("latest", {"source": "toolkit", "title": "", "count": 3}),
]

# The "latest" sources that only a neighbourhood has: a federation's home page that still
# lists them was never fitted to its kind (``home.federation``).
NEIGHBOURHOOD_SOURCES = frozenset({"on_air", "classifieds", "webtv", "blog_posts", "actors"})
