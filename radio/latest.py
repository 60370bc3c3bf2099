"""The radio's "latest" sources (``core.latest``): what the webradio plays now, the webTV's
latest videos and the latest radio shows, registered in ``radio/wagtail_hooks.py``."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from core.latest import LatestSource, LetterLine, page_path, when
from radio.episodes import latest_episodes
from radio.grid import OnAir
from radio.models import EpisodePage
from radio.on_air import on_air


def on_air_now(limit: int) -> Sequence[OnAir]:
    """What the portal's webradio plays now and next (one item: the grid's answer)."""
    now = on_air()
    return [now] if now else []


def latest_videos(limit: int) -> Sequence[EpisodePage]:
    """The latest webTV episodes, each with its show."""
    return latest_episodes(limit, kind="tv")


def latest_radio_shows(limit: int) -> Sequence[EpisodePage]:
    """The latest radio episodes, each with its show."""
    return latest_episodes(limit, kind="radio")


def _episode_line(episode: EpisodePage) -> LetterLine:
    return LetterLine(episode.title, page_path(episode), when(episode.date))


def _episode_appeared_at(episode: EpisodePage):
    return episode.published_at


SOURCES: tuple[LatestSource, ...] = (
    LatestSource(
        key="on_air",
        label=_("À l'antenne"),
        items=on_air_now,
        template="radio/latest/on_air.html",
    ),
    LatestSource(
        key="webtv",
        label=_("Dernières vidéos de la webTV"),
        items=latest_videos,
        template="radio/latest/webtv.html",
        letter_label=_("Les nouvelles vidéos de la webTV"),
        letter_line=_episode_line,
        appeared_at=_episode_appeared_at,
    ),
    # Offered to the infolettre only: the home page shows what is on air instead.
    LatestSource(
        key="radio",
        label=_("Les nouvelles émissions de radio"),
        items=latest_radio_shows,
        letter_label=_("Les nouvelles émissions de radio"),
        letter_line=_episode_line,
        appeared_at=_episode_appeared_at,
    ),
)
