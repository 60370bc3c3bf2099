"""Episodes as listings show them: the latest ones, each with its show."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from radio.models import EpisodePage, ShowPage, StationPage


def attach_shows(episodes: Iterable[EpisodePage]) -> list[EpisodePage]:
    """Give each episode its ``show`` (its parent page) with one query for all of them."""
    episodes = list(episodes)
    parent_paths = {episode.path[: -EpisodePage.steplen] for episode in episodes}
    shows = {
        show.path: show
        for show in ShowPage.objects.filter(path__in=parent_paths).select_related("cover")
    }
    for episode in episodes:
        episode.show = shows.get(episode.path[: -EpisodePage.steplen])
    return episodes


def latest_episodes(
    limit: int = 4, *, station: StationPage | None = None, kind: str | None = None
) -> list[EpisodePage]:
    """The newest live episodes of the portal, of one station or of one kind ("radio", "tv").

    ``latest_episodes(kind="tv")`` gives the latest webTV videos for the home page.
    """
    episodes = EpisodePage.objects.live().public()
    if station is not None:
        episodes = episodes.descendant_of(station)
    if kind is not None:
        paths = StationPage.objects.live().public().filter(kind=kind).values_list("path", flat=True)
        within = Q(pk__in=[])
        for path in paths:
            within |= Q(path__startswith=path)
        episodes = episodes.filter(within)
    return attach_shows(episodes.order_by("-date", "-pk")[:limit])
