"""What waits for an animator's decision, gathered from every feature into one inbox.

A feature whose residents send things to moderate (proposals, reactions, reports)
returns a ``ModerationSource`` from a hook registered under ``MODERATION_SOURCES``
(``core.extension_points``). The admin's moderation inbox, its dashboard panel and the
animators' digest e-mail list each source's waiting items and link to the source's own
queue, where items are decided one by one or in bulk. Core reads the sources; it never
names a feature.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.extension_points import MODERATION_SOURCES
from tenants.extension_points import gathered


@dataclass(frozen=True)
class ModerationItem:
    """One thing waiting for a decision, as the inbox lists it.

    ``title`` and ``summary`` are plain text (escaped when shown); ``url`` is the admin
    page where the item is decided; ``received`` is when it arrived.
    """

    title: str
    summary: str
    received: datetime.datetime
    url: str


@dataclass(frozen=True)
class ModerationSource:
    """A feature's queue of things to moderate.

    - ``key``: a stable name (``"proposals"``), used in the inbox's anchors and filters.
    - ``label``: the queue's heading in the inbox (French, translatable).
    - ``queue_url``: the admin page of the whole queue (its own listing, bulk actions).
    - ``waiting_count()``: how many items wait, in the current portal's schema.
    - ``waiting(limit)``: the oldest waiting items first, at most ``limit`` of them.
    - ``permission``: the codename (``"app.change_model"``) a user needs to see the queue.
    """

    key: str
    label: str
    queue_url: str
    waiting_count: Callable[[], int]
    waiting: Callable[[int], Sequence[ModerationItem]]
    permission: str


def moderation_sources() -> list[ModerationSource]:
    """Every feature's moderation queue, in the order of the hooks."""
    return gathered(MODERATION_SOURCES)


def sources_for(user) -> list[ModerationSource]:
    """The queues ``user`` may see (holds each source's permission)."""
    return [source for source in moderation_sources() if user.has_perm(source.permission)]
