"""Finding actors: the one selection the directory, its map and the exports all use.

Filters by type and theme run in the database; words go through Wagtail's search backend
(PostgreSQL full text in this portal's schema, French stemming), completed by a plain
substring match so that a partial name ("boulang") still finds its actor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from wagtail.search.backends import get_search_backend

from portal.actors.models import Actor, ActorQuerySet

if TYPE_CHECKING:
    from portal.actors.section import ActorDirectoryPage

MAX_SEARCH_HITS = 500


def select_actors(kind: str = "", theme: str = "", text: str = "") -> ActorQuerySet:
    """This portal's actors of ``kind``, carrying ``theme`` (a slug), matching ``text``."""
    actors = Actor.objects.of_kind(kind).with_theme(theme)
    if text:
        found = [hit.pk for hit in get_search_backend().search(text, Actor)[:MAX_SEARCH_HITS]]
        actors = actors.filter(
            Q(pk__in=found)
            | Q(name__icontains=text)
            | Q(address__icontains=text)
            | Q(themes__name__iexact=text)
        ).distinct()
    return actors.order_by("name", "pk")


def subpage_path(page: ActorDirectoryPage, route: str, *args: object) -> str:
    """The path of one of the directory's sub-views, e.g. ``/acteurs/acteur/3/``."""
    parts = page.get_url_parts()
    page_path = parts[2] if parts else "/"
    return page_path + page.reverse_subpage(route, args=args)


def actor_paths(page: ActorDirectoryPage | None) -> Callable[[Actor], str]:
    """A function giving each actor's public path (the page's own path looked up once)."""
    if page is None:
        return lambda actor: ""
    parts = page.get_url_parts()
    page_path = parts[2] if parts else "/"
    return lambda actor: page_path + page.reverse_subpage("actor", args=[actor.pk])


def working_together(actor: Actor, limit: int = 4) -> list[Actor]:
    """Other actors sharing the most themes with ``actor`` ("Ils pourraient travailler
    ensemble"): most themes in common first, then by name."""
    theme_ids = list(actor.themes.values_list("pk", flat=True))
    if not theme_ids:
        return []
    return list(
        Actor.objects.filter(themes__pk__in=theme_ids)
        .exclude(pk=actor.pk)
        .annotate(shared=Count("themes", filter=Q(themes__pk__in=theme_ids), distinct=True))
        .order_by("-shared", "name", "pk")
        .prefetch_related("themes")[:limit]
    )
