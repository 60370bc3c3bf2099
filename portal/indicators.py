"""The portal's participation indicators (``tenants.extension_points.ACTIVITY_COUNTERS``):
publications by type, workshops and their project seeds, action groups, the map.

Each counter reads the portal's own rows: what happened since a moment (the rollup takes
the difference between two days' starts), or, for a snapshot, how things stood then.
Workshop participants and seeds count on the workshop's date: a workshop records who
came, not when the animator typed it in.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import (
    Actor,
    ArticlePage,
    BlogPostPage,
    EventPage,
    MapStoryPage,
    ProjectSeed,
    SeedMember,
    SeedUpdate,
    WorkshopAttendee,
    WorkshopPage,
)
from tenants.extension_points import ActivityCounter


def _first_published(model: type) -> Callable[[datetime.datetime], int]:
    def count(since: datetime.datetime) -> int:
        return model.objects.live().filter(first_published_at__gte=since).count()

    return count


def _workshops_from(since: datetime.datetime):
    return WorkshopPage.objects.live().filter(date__gte=timezone.localtime(since).date())


def workshop_participants(since: datetime.datetime) -> int:
    """People recorded at workshops held since ``since``, and the actors who took part."""
    workshops = _workshops_from(since)
    people = WorkshopAttendee.objects.filter(workshop__in=workshops).count()
    actors = WorkshopPage.participants.through.objects.filter(workshoppage__in=workshops).count()
    return people + actors


def project_seeds(since: datetime.datetime) -> int:
    """Project seeds born at workshops held since ``since``."""
    return ProjectSeed.objects.filter(
        workshop__live=True, workshop__date__gte=timezone.localtime(since).date()
    ).count()


def group_members(since: datetime.datetime) -> int:
    """Residents who joined an action group (address confirmed) since ``since``."""
    return SeedMember.objects.confirmed().filter(confirmed_at__gte=since).count()


def group_updates(since: datetime.datetime) -> int:
    """Action groups' news approved since ``since``."""
    return SeedUpdate.objects.approved().filter(published_at__gte=since).count()


def actors_added(since: datetime.datetime) -> int:
    """Actors added to the directory and its map since ``since``."""
    return Actor.objects.filter(created_at__gte=since).count()


def stories_published(since: datetime.datetime) -> int:
    """Residents' stories first published on the map since ``since``."""
    return (
        MapStoryPage.objects.live()
        .filter(status=MapStoryPage.Status.PUBLISHED, first_published_at__gte=since)
        .count()
    )


def portal_counters() -> list[ActivityCounter]:
    """Every indicator of the portal's own domains, in the dashboards' order."""
    return [
        ActivityCounter("articles", _("Articles"), _first_published(ArticlePage)),
        ActivityCounter("blog_posts", _("Billets"), _first_published(BlogPostPage)),
        ActivityCounter("events", _("Événements annoncés"), _first_published(EventPage)),
        ActivityCounter(
            "workshop_participants", _("Participants aux ateliers"), workshop_participants
        ),
        ActivityCounter("project_seeds", _("Graines de projet"), project_seeds),
        ActivityCounter("group_members", _("Membres des groupes d'action"), group_members),
        ActivityCounter("group_updates", _("Nouvelles des groupes d'action"), group_updates),
        ActivityCounter("actors", _("Acteurs ajoutés à la carte"), actors_added),
        ActivityCounter("map_stories", _("Récits d'habitants sur la carte"), stories_published),
    ]
