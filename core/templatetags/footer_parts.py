"""The parts features add to every page's footer (``FOOTER_PARTS``)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

from core.caching import portal_key
from core.extension_points import FOOTER_PARTS

register = template.Library()

# Bounded as the menu is: the portal's generation forgets it sooner on any change.
FOOTER_SECONDS = 300


@register.simple_tag(takes_context=True)
def footer_parts(context: template.Context) -> SafeString:
    """Every registered footer part, in order; with the fragment cache on, read once per
    portal and language until the portal changes (no query on a warm cache)."""
    request = context.get("request")
    key = None
    if settings.FRAGMENT_CACHE_ENABLED:
        key = portal_key("footer", translation.get_language() or "")
        html = cache.get(key)
        if html is not None:
            return mark_safe(html)  # noqa: S308  (our own rendering, stored as is)
    html = "".join(str(hook(request) or "") for hook in hooks.get_hooks(FOOTER_PARTS))
    if key:
        cache.set(key, html, FOOTER_SECONDS)
    return mark_safe(html)  # noqa: S308  (each part is rendered by its app's template)
