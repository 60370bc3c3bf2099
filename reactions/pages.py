"""Which pages take reactions: named by label, so that reactions import no page model of
the features they extend (portal's articles, blog posts and the residents' stories of its
map, radio's episodes)."""

from __future__ import annotations

from wagtail.models import Page

from reactions.models import ClosedReactions

PAGE_TYPES = frozenset(
    {"portal.articlepage", "portal.blogpostpage", "portal.mapstorypage", "radio.episodepage"}
)


def takes_reactions_type(page_class: type) -> bool:
    """Whether pages of this class show reactions (subclasses included)."""
    return any(
        getattr(klass, "_meta", None) is not None and klass._meta.label_lower in PAGE_TYPES
        for klass in getattr(page_class, "__mro__", ())
    )


def is_closed(page: Page) -> bool:
    """Whether an animator switched reactions off on this page."""
    return ClosedReactions.objects.filter(page_id=page.pk).exists()


def takes_reactions(page: Page) -> bool:
    """Whether visitors may read and send reactions on this page now."""
    return takes_reactions_type(type(page)) and not is_closed(page)


def page_address(page: Page) -> str | None:
    """The page's address on its portal (a path), or None if it is not routable."""
    parts = page.get_url_parts()
    return parts[2] if parts else None
