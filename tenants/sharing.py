"""What a page shares with the network: the contract between shared pages and the
federation index.

A page type whose pages may appear in the network's index inherits ``SharedWithNetwork``
and says, page by page, what it shares (or nothing). ``tenants.federation`` finds these
page types among the installed models: it names none of them.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.html import strip_tags


@dataclass(frozen=True)
class SharedFields:
    """The listing fields of a shared page, in the words of the federation index.

    The fields after ``tags`` are optional: an event (``kind="event"``) says when and
    where, an episode (``kind="episode"``) when it was broadcast (``starts_at``), its
    sound or video file (an absolute address, with its type and size in bytes), duration,
    artwork (absolute) and whether it is for adults.
    """

    kind: str
    module: str
    title: str
    summary: str
    tags: list[str]
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    place: str = ""
    address: str = ""
    enclosure_url: str = ""
    enclosure_type: str = ""
    enclosure_length: int | None = None
    duration_seconds: int | None = None
    image_url: str = ""
    explicit: bool = False


_SPACES = re.compile(r"\s+")


def plain_text(rich_text: str) -> str:
    """Rich text as the network's listings and feeds show it: no tags, entities decoded
    (``l&#x27;atelier`` -> ``l'atelier``), runs of spaces and line breaks as one space.

    Feed writers escape what they write: text kept escaped here would reach readers as
    ``&amp;#x27;``.
    """
    return _SPACES.sub(" ", html.unescape(strip_tags(rich_text or ""))).strip()


class SharedWithNetwork:
    """Mixin for a page type whose pages may be listed in the federation index."""

    def shared_fields(self) -> SharedFields | None:
        """The fields this page shares, or None when it is not shared with the network."""
        raise NotImplementedError(f"{type(self).__name__} must say what it shares.")


def shared_page_models() -> list[type[models.Model]]:
    """Every installed page type that may share its pages with the network."""
    return [model for model in apps.get_models() if issubclass(model, SharedWithNetwork)]


def shared_fields(page: models.Model) -> SharedFields | None:
    """What ``page`` (of any type) shares with the network, or None."""
    page = page.specific
    if isinstance(page, SharedWithNetwork):
        return page.shared_fields()
    return None
