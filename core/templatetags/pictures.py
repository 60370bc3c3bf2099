"""``{% picture_of %}``: a Wagtail image as a responsive ``<picture>`` of one layout shape;
``{% img_of %}``: one rendition as an ``<img>``, as Wagtail's ``{% image %}`` writes it.

    {% load pictures %}
    {% picture_of article.cover "card" alt=article.cover_alt placeholder=True %}
    {% picture_of page.cover "lead" alt="" eager=True %}

Below the fold is the default: ``loading="lazy"`` and ``decoding="async"``; ``eager=True``
is for the one picture a visitor sees first (the lead story, an article's cover), which
the browser then fetches first (``fetchpriority="high"``). Width and height are always
set, from the fallback rendition, so nothing moves when the picture arrives. Without an
image, ``placeholder=True`` shows the portal's drawn stand-in (``core.drawn_images``).
"""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.utils.html import format_html
from wagtail.images.shortcuts import get_renditions_or_not_found

from core.avif import ask_for_avif, avif_to_look_for
from core.drawn_images import PLACEHOLDER_SIZE, SHARE_SIZE, placeholder_url, share_image_url
from core.identity import PortalIdentity
from core.images import RENDITIONS_ATTRIBUTE, SHAPES, filter_for, renditions_of
from core.picture_html import img_html, picture_html
from core.picture_memo import written_once

register = template.Library()
SHARE_SPEC = "fill-1200x630|format-jpeg"
logger = logging.getLogger(__name__)


@register.simple_tag(takes_context=True)
def picture_of(
    context: template.Context,
    image: Any,
    shape: str,
    alt: str = "",
    eager: bool = False,
    placeholder: bool = False,
    css_class: str = "",
) -> str:
    """``image`` as a ``<picture>`` of ``shape`` (``core.images.SHAPES``), or the portal's
    drawn stand-in when there is no image and ``placeholder`` is set, or nothing."""
    layout = SHAPES[shape]
    loading = {"fetchpriority": "high"} if eager else {"loading": "lazy"}
    if not image:
        return _placeholder(_accent(context), css_class, loading) if placeholder else ""
    look_for_avif = avif_to_look_for(
        image.pk, shape, renditions_at_hand=hasattr(image, RENDITIONS_ATTRIBUTE)
    )

    def write() -> tuple[tuple[str, bool], bool]:
        renditions, avif_to_make = renditions_of(image, layout, look_for_avif)
        attrs = {"alt": alt, "sizes": layout.sizes, "decoding": "async", **loading}
        if css_class:
            attrs["class"] = css_class
        return (picture_html(renditions, attrs), avif_to_make), _all_found(renditions)

    # The alternative text's type too: a text marked safe is written as it is, another
    # escaped.
    parts = (shape, look_for_avif, type(alt), alt, eager, css_class)
    html, avif_to_make = written_once(image, parts, write)
    if avif_to_make:
        ask_for_avif(image.pk, shape)
    return html


def _all_found(renditions: dict[str, Any]) -> bool:
    """Whether every rendition was found among those read with the image (Wagtail marks
    them ``_from_cache``), none made while writing (``core.picture_memo``)."""
    return all(getattr(rendition, "_from_cache", False) for rendition in renditions.values())


@register.simple_tag
def img_of(image: Any, spec: str, **attrs: Any) -> str:
    """``image``'s rendition at ``spec`` as an ``<img>`` with ``attrs``, the same tag as
    Wagtail's ``{% image image spec attr=... %}`` writes (nothing without an image).

    Wagtail's tag parses its filter spec at each call and writes the rendition back to
    the rendition cache even when it came with the image (``prefetched_renditions``, as a
    page reads them ahead): profiled at a third of a millisecond a logo, a tenth of a
    cold home page for its partners' and actors' logos. Here the filter is parsed once a
    process (``filter_for``) and ``get_renditions`` writes to the cache only what it did
    not find with the image. The tag is Wagtail's ``img_tag``'s text
    (``core.picture_html``).
    """
    if not image:
        return ""

    def write() -> tuple[str, bool]:
        # By the filter's spec as Wagtail cleans it (``preserve-svg`` rewrites it): the one.
        found = get_renditions_or_not_found(image, [filter_for(spec)])
        [rendition] = found.values()
        return img_html(rendition, attrs), _all_found(found)

    # The alternative text is the template's, else the image's own: kept only with the
    # template's (the image's title is not in the key).
    if "alt" not in attrs:
        return write()[0]
    return written_once(image, (spec, tuple(sorted(attrs.items()))), write)


def _identity(context: template.Context) -> PortalIdentity | None:
    """The portal's name and colour from the settings the page has in hand, if any."""
    settings = context.get("portal_settings")
    # The name as the page's own header shows it: the settings', else the registry's.
    name = getattr(settings, "name", "") or getattr(context.get("portal"), "name", "")
    if not getattr(settings, "accent_colour", None) or not name:
        return None
    return PortalIdentity(name=name, accent_colour=settings.accent_colour)


def _accent(context: template.Context) -> str | None:
    """The portal's accent colour from the settings the page already has in hand (no
    query), or None to ask ``core.identity``."""
    return getattr(context.get("portal_settings"), "accent_colour", None)


def _placeholder(accent: str | None, css_class: str, loading: dict[str, str]) -> str:
    try:
        url = placeholder_url(accent)
    except OSError:  # storage unavailable: a card without a picture still reads
        logger.warning("No placeholder picture for this portal", exc_info=True)
        return ""
    width, height = PLACEHOLDER_SIZE
    attribute, value = next(iter(loading.items()))
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" class="{}" {}="{}" decoding="async">',
        url,
        width,
        height,
        f"placeholder {css_class}".strip(),
        attribute,
        value,
    )


@register.simple_tag
def open_graph_type(page: Any) -> str:
    """``article`` for a dated page (news, posts, episodes...), else ``website``. A tag
    rather than ``{% if page.date %}``: the template engine answers a missing attribute
    by listing every attribute of the page (``dir``), a millisecond on a home page."""
    return "article" if getattr(page, "date", None) else "website"


@register.simple_tag(takes_context=True)
def share_image(context: template.Context, page: Any) -> dict[str, Any] | None:
    """The picture a link to ``page`` shows when shared (Open Graph): its cover cut to
    1,200 by 630 px in JPEG (what every reader of Open Graph takes), else the portal's
    drawing with the page's title; ``None`` for a page not published yet (a preview)."""
    cover = getattr(page, "cover", None)
    if cover:
        rendition = get_renditions_or_not_found(cover, [SHARE_SPEC])[SHARE_SPEC]
        alt = getattr(page, "cover_alt", "")
        return {
            "url": rendition.url,
            "width": rendition.width,
            "height": rendition.height,
            "alt": alt,
        }
    if not page.pk or not page.live:
        return None
    try:
        url = share_image_url(page, _identity(context))
    except OSError:
        logger.warning("No sharing image for page %s", page.pk, exc_info=True)
        return None
    width, height = SHARE_SIZE
    return {"url": url, "width": width, "height": height, "alt": page.seo_title or page.title}
