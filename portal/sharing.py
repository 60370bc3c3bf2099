"""What a page shares with the network: the portal's side of the federation index."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import strip_tags
from wagtail.models import Page

from portal.models import ArticlePage, MethodologyPage


@dataclass(frozen=True)
class SharedFields:
    """The listing fields of a shared page, in the words of the federation index."""

    kind: str
    module: str
    title: str
    summary: str
    tags: list[str]


def shared_fields(page: Page) -> SharedFields | None:
    """The fields ``page`` shares, or None when it is not shared with the network.

    Published methodology sheets are always shared; an article only when its editor
    ticked "partager avec le réseau".
    """
    page = page.specific
    if isinstance(page, MethodologyPage):
        return SharedFields(
            kind="methodology",
            module=page.module,
            title=page.title,
            summary=page.summary,
            tags=sorted(tag.name for tag in page.tags.all()),
        )
    if isinstance(page, ArticlePage) and page.shared_with_network:
        return SharedFields(
            kind="article",
            module="",
            title=page.title,
            summary=strip_tags(page.intro).strip(),
            tags=sorted(tag.name for tag in page.tags.all()),
        )
    return None


SHARED_PAGE_TYPES = (MethodologyPage, ArticlePage)
