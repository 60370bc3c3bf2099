"""The HTML of Wagtail's ``<picture>`` and ``<img>`` tags, the same text written faster.

Wagtail's ``Picture.__html__`` and ``Rendition.img_tag`` write their attributes with
Django's ``flatatt`` (``format_html_join`` over sorted pairs) and ask each rendition's
``url`` (its storage's ``url()``) once for every place it appears: profiled at about a
millisecond a picture, a seventh of a demo home page every cache off (issue 25 §2). Here
the tags are written from the same parts in one pass: Wagtail's own ``Picture`` still
groups the renditions by format and picks the fallback, each rendition's URL is asked
once, and the attributes go through ``attributes``, which gives ``flatatt``'s text.
``tests/core/test_picture_html.py`` compares the output with Wagtail's own.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from django.apps import apps
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import AbstractRendition, Picture


def _escaped(value: Any) -> str:
    """``conditional_escape(value)``'s text, without its lazy-string wrappers (a call for
    every attribute of every picture)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int:
        return str(value)
    return str(conditional_escape(value))


def attributes(attrs: Mapping[str, Any]) -> str:
    """``flatatt(attrs)``'s text: `` name="value"`` pairs sorted by name, values escaped,
    then the names of the attributes set to True; False and None left out."""
    pairs = []
    flags = []
    for name, value in attrs.items():
        if isinstance(value, bool):
            if value:
                flags.append(name)
        elif value is not None:
            pairs.append(name)
    pairs.sort()
    flags.sort()
    written = [f' {_escaped(name)}="{_escaped(attrs[name])}"' for name in pairs]
    written.extend(f" {_escaped(name)}" for name in flags)
    return "".join(written)


class _Urls:
    """Each rendition's URL, asked of its storage once however often the tag shows it."""

    def __init__(self) -> None:
        self.found: dict[int, str] = {}

    def of(self, rendition: AbstractRendition) -> str:
        url = self.found.get(id(rendition))
        if url is None:
            url = self.found[id(rendition)] = rendition.url
        return url

    def srcset(self, renditions: Sequence[AbstractRendition]) -> str:
        """``Picture.get_width_srcset``: the URL alone for one rendition."""
        if len(renditions) == 1:
            return self.of(renditions[0])
        return ", ".join([f"{self.of(rendition)} {rendition.width}w" for rendition in renditions])


def img_html(
    rendition: AbstractRendition, extra: Mapping[str, Any] | None = None, urls: _Urls | None = None
) -> SafeString:
    """``rendition.img_tag(extra)``: src, width, height and alt, Wagtail's default
    attributes, then ``extra``."""
    default_attrs = apps.get_app_config("wagtailimages").default_attrs
    attrs: dict[str, Any] = {
        "src": (urls or _Urls()).of(rendition),
        "width": rendition.width,
        "height": rendition.height,
    }
    # Overridden anyway when given: Wagtail's ``alt`` reads the image for nothing then.
    if not (extra and "alt" in extra) and "alt" not in default_attrs:
        attrs["alt"] = rendition.alt
    attrs.update(default_attrs)
    if extra:
        attrs.update(extra)
    return mark_safe(f"<img{attributes(attrs)}>")  # noqa: S308 - values escaped by attributes()


def picture_html(
    renditions: Mapping[str, AbstractRendition], attrs: Mapping[str, Any] | None = None
) -> SafeString:
    """``Picture(renditions, attrs).__html__()``: a ``<source>`` per format but the
    fallback's, in Wagtail's order, then the fallback's ``<img>`` with its srcset."""
    picture = Picture(dict(renditions), None)
    attrs = dict(attrs or {})
    urls = _Urls()
    if not picture.formats:
        if len(picture.renditions) > 1:
            attrs["srcset"] = urls.srcset(picture.renditions)
        return mark_safe(f"<picture>{img_html(picture.renditions[0], attrs, urls)}</picture>")  # noqa: S308
    fallback_format = picture.get_fallback_format()
    fallback = picture.formats[fallback_format]
    sources = [
        "<source"
        + attributes(
            {
                "srcset": urls.srcset(picture.formats[kind.name]),
                "sizes": attrs.get("sizes"),
                "type": kind.mime_type,
            }
        )
        + ">"
        for kind in Picture.source_format_order
        if kind.name != fallback_format and kind.name in picture.formats
    ]
    if len(fallback) > 1:
        attrs["srcset"] = urls.srcset(fallback)
    fallback_tag = img_html(fallback[0], attrs, urls)
    return mark_safe(f"<picture>{''.join(sources)}{fallback_tag}</picture>")  # noqa: S308
