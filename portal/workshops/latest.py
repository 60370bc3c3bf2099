"""The workshop cycle's "latest" sources (``core.latest``), registered in
``portal/workshops/hooks.py``: the groups' approved news (home page and infolettre), the
next workshops and the new local actors (infolettre).

No source gives anything of a private section (``core.privacy``), nor a waiting or
refused update.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.latest import LatestSource, LetterLine, page_path, when
from core.privacy import is_private_section
from portal.actors.directory import actor_paths
from portal.actors.models import Actor
from portal.actors.section import ActorDirectoryPage, directory_page
from portal.workshops.group_models import SeedUpdate
from portal.workshops.models import WorkshopPage
from portal.workshops.section import ProjectSeedIndexPage


def seed_updates(limit: int) -> Sequence[SeedUpdate]:
    """The groups' newest approved news of public workshops, each with the ``path`` of its
    seed's page (the sections looked up once)."""
    if is_private_section(ProjectSeedIndexPage):
        return []
    public_workshops = WorkshopPage.objects.live().public()
    updates = list(SeedUpdate.objects.public().filter(seed__workshop__in=public_workshops)[:limit])
    sections = {section.path: section for section in ProjectSeedIndexPage.objects.live()}
    for update in updates:
        section = sections.get(update.seed.workshop.path[: -Page.steplen])
        update.path = (
            page_path(section) + section.reverse_subpage("seed", args=[update.seed_id])
            if section is not None
            else ""
        )
    return updates


def next_workshops(limit: int) -> Sequence[WorkshopPage]:
    """The public workshops still to come, soonest first."""
    return list(WorkshopPage.objects.live().public().upcoming()[:limit])


def new_actors(limit: int) -> Sequence[Actor]:
    """The actors added last; none when the directory is private."""
    if is_private_section(ActorDirectoryPage):
        return []
    actors = list(Actor.objects.order_by("-created_at", "-pk")[:limit])
    path_of = actor_paths(directory_page())
    for actor in actors:
        actor.path = path_of(actor)
    return actors


def _update_line(update: SeedUpdate) -> LetterLine:
    return LetterLine(
        f"{update.seed.title} : {Truncator(update.text).words(25)}",
        update.path,
        when(update.published_at),
    )


def _workshop_line(workshop: WorkshopPage) -> LetterLine:
    detail = " · ".join(filter(None, [when(workshop.date), workshop.place_name]))
    return LetterLine(workshop.title, page_path(workshop), detail)


def _actor_line(actor: Actor) -> LetterLine:
    return LetterLine(actor.name, actor.path, actor.get_kind_display())


SOURCES: tuple[LatestSource, ...] = (
    LatestSource(
        key="seed_updates",
        label=_("Les nouvelles des graines de projet"),
        items=seed_updates,
        template="portal/latest/seed_updates.html",
        letter_label=_("Les nouvelles des groupes d'action"),
        letter_line=_update_line,
        appeared_at=lambda update: update.published_at,
    ),
    LatestSource(
        key="next_workshops",
        label=_("Les prochains ateliers"),
        items=next_workshops,
        letter_label=_("Les prochains ateliers participatifs"),
        letter_line=_workshop_line,
        # Forward-looking: the next workshops, whenever they were announced.
        appeared_at=None,
    ),
    LatestSource(
        key="new_actors",
        label=_("Les nouveaux acteurs"),
        items=new_actors,
        letter_label=_("Les nouveaux acteurs du quartier"),
        letter_line=_actor_line,
        appeared_at=lambda actor: actor.created_at,
    ),
)
