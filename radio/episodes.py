"""Episodes as listings show them: the latest ones, each with its show."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.db.models.functions import Left, Length

from core.images import shape_specs, with_renditions
from core.latest import Reading
from radio.models import EpisodePage, ShowPage, StationPage

# The renditions an episode's card shows (radio/includes/latest_episodes.html).
CARD_SPECS = shape_specs("card")


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
    return list(episodes_reading(limit, station=station, kind=kind).read_alone())


def episodes_reading(
    limit: int = 4, *, station: StationPage | None = None, kind: str | None = None
) -> Reading:
    """``latest_episodes`` as a ``Reading`` (``core.latest``): the episodes with their
    covers and their shows (each episode's parent) in the same round trip, with other
    blocks' if asked together, and the covers' card renditions in one more."""
    episodes = EpisodePage.objects.live().public()
    if station is not None:
        episodes = episodes.descendant_of(station)
    if kind is not None:
        # An episode's station is its grandparent (station > show > episode): asked in the
        # episodes' own query rather than by a query for the stations' paths first.
        grandparent_path = Left(
            OuterRef("path"), Length(OuterRef("path")) - 2 * EpisodePage.steplen
        )
        stations = StationPage.objects.live().public().filter(kind=kind, path=grandparent_path)
        episodes = episodes.filter(Exists(stations))
    newest = episodes.order_by("-date", "-pk")[:limit]
    parent_path = Left("path", Length("path") - EpisodePage.steplen)
    shows = ShowPage.objects.filter(path__in=newest.annotate(parent=parent_path).values("parent"))
    # Their covers joined to the episodes' own query, and the covers' card renditions in
    # one query more (read with every other block's images by core.latest.read_together).
    listed = with_renditions(episodes, "cover", *CARD_SPECS).order_by("-date", "-pk")[:limit]
    return Reading((listed, shows), _with_their_shows)


def _with_their_shows(rows: list[list]) -> list[EpisodePage]:
    found, shows = rows
    by_path = {show.path: show for show in shows}
    for episode in found:
        episode.show = by_path.get(episode.path[: -EpisodePage.steplen])
    return found
