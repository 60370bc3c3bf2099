"""``{% stored_embed url %}``: an embed as fetched when its page was saved, never fetched here."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.embeds import stored_embed

register = template.Library()


@register.simple_tag
def stored_embed_html(url: str) -> SafeString:
    """The stored player of ``url``; a plain link when it was never fetched (or failed).

    Replaces Wagtail's ``{% embed %}``, which fetches on a cold cache while the visitor
    waits. The stored HTML is the finder's own markup (``radio.embeds.player_html``).
    """
    embed = stored_embed(url)
    if embed is not None and embed.html:
        return mark_safe(embed.html)  # noqa: S308 - written by our finder, not the provider
    if urlsplit(url or "").scheme not in ("https", "http"):
        return SafeString("")
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, url)
