"""Episodes as listings show them: the latest ones, each with its show."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.db.models.functions import Left, Length
from wagtail.images import get_image_model

from core.combined_queries import rows_of
from core.images import shape_specs
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
    # Their shows (each episode's parent) in the same round trip as the episodes.
    parent_path = Left("path", Length("path") - EpisodePage.steplen)
    shows = ShowPage.objects.filter(path__in=newest.annotate(parent=parent_path).values("parent"))
    # Their covers and the covers' card renditions, in the same round trip too.
    covers = get_image_model().objects.filter(pk__in=newest.values("cover_id"))
    renditions = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(image_id__in=newest.values("cover_id"), filter_spec__in=CARD_SPECS)
    )
    found, shows, covers, renditions = rows_of([newest, shows, covers, renditions])
    by_path = {show.path: show for show in shows}
    for cover in covers:
        cover.prefetched_renditions = [r for r in renditions if r.image_id == cover.pk]
        for rendition in cover.prefetched_renditions:
            # As Django's prefetch would: a rendition's alt text reads its image.
            rendition.image = cover
    covers_by_pk = {cover.pk: cover for cover in covers}
    for episode in found:
        episode.show = by_path.get(episode.path[: -EpisodePage.steplen])
        if episode.cover_id in covers_by_pk:
            episode.cover = covers_by_pk[episode.cover_id]
    # Newest first, as asked (the combined query does not promise its rows' order).
    return sorted(found, key=lambda episode: (episode.date, episode.pk), reverse=True)
