"""What the self-filling blocks of an issue show: the portal's new items since the last issue.

Built on the home page's registry of sources (``home.latest.SOURCES``): the same functions
find the items; here they are cut to what appeared since ``since`` and reduced to what an
e-mail shows of each (a title, a link, one line of detail).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from home.latest import SOURCES


@dataclass(frozen=True)
class Item:
    """One line of a self-filling block."""

    title: str
    path: str
    detail: str = ""


def _page_path(page) -> str:
    # The path only: the e-mail makes it absolute on the portal's own host.
    parts = page.get_url_parts()
    return parts[2] if parts else ""


def _when(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "l j F, H\\hi")
    return date_format(value, "j F Y")


def _since(items: list, since: datetime.datetime, stamp: Callable[[object], object]) -> list:
    return [item for item in items if (stamp(item) or since) >= since]


def _news(limit: int, since: datetime.datetime) -> list[Item]:
    articles = _since(SOURCES["news"].items(limit * 4), since, lambda a: a.first_published_at)
    return [Item(a.title, _page_path(a), _when(a.date)) for a in articles[:limit]]


def _events(limit: int, since: datetime.datetime) -> list[Item]:
    # The agenda looks forward: the next events, whenever they were announced.
    events = SOURCES["events"].items(limit)
    return [
        Item(e.title, _page_path(e), " · ".join(filter(None, [_when(e.start), e.place_name])))
        for e in events
    ]


def _classifieds(limit: int, since: datetime.datetime) -> list[Item]:
    ads = _since(list(SOURCES["classifieds"].items(limit * 4)), since, lambda a: a.published_at)
    return [
        Item(f"{ad.get_kind_display()} · {ad.title}", ad.get_absolute_url(), ad.price_label)
        for ad in ads[:limit]
    ]


def _episodes(kind: str) -> Callable[[int, datetime.datetime], list[Item]]:
    def latest(limit: int, since: datetime.datetime) -> list[Item]:
        from radio.episodes import latest_episodes

        episodes = _since(latest_episodes(limit * 4, kind=kind), since, lambda e: e.published_at)
        return [Item(e.title, _page_path(e), _when(e.date)) for e in episodes[:limit]]

    return latest


@dataclass(frozen=True)
class NewsletterSource:
    label: str
    items: Callable[[int, datetime.datetime], list[Item]]


NEWSLETTER_SOURCES: dict[str, NewsletterSource] = {
    "news": NewsletterSource(_("Les actualités depuis la dernière lettre"), _news),
    "events": NewsletterSource(_("Les prochains rendez-vous"), _events),
    "classifieds": NewsletterSource(_("Les nouvelles petites annonces"), _classifieds),
    "radio": NewsletterSource(_("Les nouvelles émissions de radio"), _episodes("radio")),
    "webtv": NewsletterSource(_("Les nouvelles vidéos de la webTV"), _episodes("tv")),
}


def latest_items(source: str, limit: int, since: datetime.datetime) -> list[Item]:
    """The newest items of ``source`` since ``since`` (nothing for an unknown source)."""
    found = NEWSLETTER_SOURCES.get(source)
    return found.items(limit, since) if found else []
