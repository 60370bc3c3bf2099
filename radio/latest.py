"""The radio's "latest" sources (``core.latest``): what the webradio plays now, the webTV's
latest videos and the latest radio shows, registered in ``radio/wagtail_hooks.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.latest import LatestSource, LetterLine, Reading, page_path, when
from radio.episodes import episodes_reading
from radio.models import EpisodePage
from radio.on_air import on_air_reading


def on_air_now(limit: int) -> Reading:
    """What the portal's webradio plays now and next (one item: the grid's answer)."""
    reading = on_air_reading()

    def items(rows: list[list]) -> list:
        now = reading.items(rows)
        return [now] if now else []

    return Reading(reading.querysets, items)


def latest_videos(limit: int) -> Reading:
    """The latest webTV episodes, each with its show."""
    return episodes_reading(limit, kind="tv")


def latest_radio_shows(limit: int) -> Reading:
    """The latest radio episodes, each with its show."""
    return episodes_reading(limit, kind="radio")


def _episode_line(episode: EpisodePage) -> LetterLine:
    return LetterLine(episode.title, page_path(episode), when(episode.date))


def _episode_appeared_at(episode: EpisodePage):
    return episode.published_at


SOURCES: tuple[LatestSource, ...] = (
    LatestSource(
        key="on_air",
        label=_("À l'antenne"),
        reading=on_air_now,
        template="radio/latest/on_air.html",
    ),
    LatestSource(
        key="webtv",
        label=_("Dernières vidéos de la webTV"),
        reading=latest_videos,
        template="radio/latest/webtv.html",
        letter_label=_("Les nouvelles vidéos de la webTV"),
        letter_line=_episode_line,
        appeared_at=_episode_appeared_at,
    ),
    # Offered to the infolettre only: the home page shows what is on air instead.
    LatestSource(
        key="radio",
        label=_("Les nouvelles émissions de radio"),
        reading=latest_radio_shows,
        letter_label=_("Les nouvelles émissions de radio"),
        letter_line=_episode_line,
        appeared_at=_episode_appeared_at,
    ),
)
