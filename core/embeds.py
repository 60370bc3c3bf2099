"""Embeds are fetched when an editor saves, and shown from storage when a visitor reads.

Wagtail fetches an embed the first time a page showing it is rendered (``{% embed %}``,
``EmbedValue.html``): a visitor would wait on a third party, and choose when the server
makes a request. Here a page's embeds are fetched when it is saved in the admin or
published (``resolve_embeds``, a task carrying the portal's schema), through the
guarded ``core.outbound``; templates only read Wagtail's ``Embed`` table
(``stored_embed``), and an embed never fetched shows as a link.

The embeds of a page are those of its StreamFields' ``EmbedBlock``\\ s, plus the addresses
its own ``embedded_urls()`` method names (a field that is not a block, e.g. an episode's
video page), so a feature adds embeds without this module knowing it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import format_html
from django_tasks import task
from django_tenants.utils import schema_context
from wagtail import blocks, hooks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.embeds import get_embed, get_embed_hash
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.oembed import OEmbedFinder
from wagtail.embeds.models import Embed
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.signals import page_published

from core import outbound

logger = logging.getLogger(__name__)


class GuardedOEmbedFinder(OEmbedFinder):
    """Wagtail's oEmbed finder, its request made through ``core.outbound``.

    Wagtail's own calls ``requests.get`` inside ``find_embed``, following redirects to
    any address; only that request differs here, the answer is read as Wagtail reads it.
    """

    def find_embed(self, url: str, max_width: int | None = None, max_height: int | None = None):
        endpoint = self._get_endpoint(url)
        if endpoint is None:
            raise EmbedNotFoundException
        params: dict[str, Any] = {**self.options, "url": url, "format": "json"}
        if max_width:
            params["maxwidth"] = max_width
        if max_height:
            params["maxheight"] = max_height
        try:
            response = outbound.fetch(endpoint, params=params)
            if response.status != 200:
                raise EmbedNotFoundException(f"Provider answered {response.status}")
            oembed = response.json()
        except (outbound.OutboundError, ValueError) as error:
            raise EmbedNotFoundException(f"Request failed: {error}") from error
        if not isinstance(oembed, dict) or "type" not in oembed:
            raise EmbedNotFoundException("Missing 'type' in response")
        return oembed_result(oembed)


def oembed_result(oembed: dict[str, Any]) -> dict[str, Any]:
    """An oEmbed answer as Wagtail's ``Embed`` fields (as ``OEmbedFinder`` builds them)."""
    if oembed["type"] == "photo":
        html = format_html('<img src="{}" alt="">', oembed.get("url", ""))
    else:
        html = oembed.get("html")
    result = {
        "title": oembed.get("title", "") or "",
        "author_name": oembed.get("author_name", "") or "",
        "provider_name": oembed.get("provider_name", "") or "",
        "type": oembed["type"],
        "thumbnail_url": oembed.get("thumbnail_url"),
        "width": oembed.get("width"),
        "height": oembed.get("height"),
        "html": html,
    }
    with contextlib.suppress(KeyError, TypeError, ValueError):
        result["cache_until"] = timezone.now() + timedelta(seconds=int(oembed["cache_age"]))
    return result


def stored_embed(url: str) -> Embed | None:
    """The embed fetched for ``url`` when a page was saved, or None: never a fetch.

    An expired one (``cache_until``) is still shown: it is fetched again at the page's
    next save, not while a visitor waits.
    """
    if not url:
        return None
    return Embed.objects.filter(hash=get_embed_hash(url)).first()


def _block_embed_urls(block: blocks.Block, value: Any) -> Iterator[str]:
    if value is None:
        return
    if isinstance(block, EmbedBlock):
        if getattr(value, "url", ""):
            yield value.url
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from _block_embed_urls(child.block, child.value)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from _block_embed_urls(child_block, value.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from _block_embed_urls(block.child_block, item)


def page_embed_urls(page: Page) -> list[str]:
    """Every embed address ``page`` shows: its EmbedBlocks', and its ``embedded_urls()``."""
    urls: list[str] = []
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            urls.extend(_block_embed_urls(field.stream_block, getattr(page, field.name)))
    extra = getattr(page, "embedded_urls", None)
    if callable(extra):
        urls.extend(extra())
    return list(dict.fromkeys(url for url in urls if url))


def fetch_embeds(urls: list[str]) -> None:
    """Fetch and store each embed not stored yet; a failure leaves a link, never an error."""
    for url in urls:
        try:
            # A savepoint: publishing runs in a transaction that a failed write must not break.
            with transaction.atomic():
                get_embed(url)
        except Exception:  # a third party's failure must never fail an editor's save
            logger.info("Embed not available for %s", url, exc_info=True)


@task()
def resolve_embeds(schema_name: str, urls: list[str]) -> None:
    """Fetch and store ``urls``' embeds in the portal whose schema is named (a task: it
    runs at once today, and carries its portal to a worker when tasks get one)."""
    with schema_context(schema_name):
        fetch_embeds(urls)


def enqueue_resolution(page: Page) -> None:
    """Fetch the embeds of ``page`` as it was just saved (a draft too), in its own portal,
    out of any visitor's way."""
    if type(page) is Page:
        page = page.specific
    urls = page_embed_urls(page)
    if urls:
        resolve_embeds.enqueue(connection.schema_name, urls)


def _on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    enqueue_resolution(instance)


def _after_admin_save(request: Any, page: Page) -> None:
    # A draft too: the animator's preview of it then shows its players.
    enqueue_resolution(page)


def connect_signals() -> None:
    """Resolve embeds whenever a page is published (admin, workflow, schedule, command)
    and whenever the admin saves one (drafts included)."""
    page_published.connect(_on_page_published, dispatch_uid="core-embeds-on-publish")
    hooks.register("after_create_page", _after_admin_save)
    hooks.register("after_edit_page", _after_admin_save)
