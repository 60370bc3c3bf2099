"""``{% csp_style %}``: the one way a public template writes an inline ``<style>``."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.security import allow_inline_style

register = template.Library()


@register.simple_tag(takes_context=True)
def accent_style(context: template.Context, colour: str) -> SafeString:
    """``<style>`` setting the portal's accent colour, allowed by the CSP through its hash.

    The colour is validated as ``#RRVVBB`` when saved; it is escaped here all the same.
    """
    tag = format_html("<style>:root {{ --accent: {}; }}</style>", colour)
    css = tag.removeprefix("<style>").removesuffix("</style>")
    allow_inline_style(context.get("request"), css)
    return tag
