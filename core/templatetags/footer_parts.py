"""The parts features add to every page's footer (``FOOTER_PARTS``)."""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

from core.caching import fragment
from core.extension_points import FOOTER_PARTS

register = template.Library()

# Bounded as the menu is: the portal's generation forgets it sooner on any change.
FOOTER_SECONDS = 300


@register.simple_tag(takes_context=True)
def footer_parts(context: template.Context) -> SafeString:
    """Every registered footer part, in order; with the fragment cache on, read once per
    portal and language until the portal changes (no query on a warm cache)."""
    request = context.get("request")
    html = fragment(
        "footer",
        (translation.get_language() or "",),
        FOOTER_SECONDS,
        lambda: "".join(str(hook(request) or "") for hook in hooks.get_hooks(FOOTER_PARTS)),
    )
    return mark_safe(html)  # noqa: S308  (each part is rendered by its app's template)
