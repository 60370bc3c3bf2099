"""Links to actors' pages from any template, with one lookup of the directory per render."""

from __future__ import annotations

from django import template

from core.privacy import is_private_section
from portal.actors.directory import actor_paths
from portal.actors.models import Actor
from portal.actors.section import ActorDirectoryPage, directory_page

register = template.Library()

_PATHS = "portal_actor_paths"


@register.simple_tag(takes_context=True)
def actor_url(context: template.Context, actor: Actor) -> str:
    """The public path of an actor's page ("" when the portal has no live directory)."""
    if _PATHS not in context.render_context:
        page = context.get("page")
        if not isinstance(page, ActorDirectoryPage):
            page = directory_page()
        context.render_context[_PATHS] = actor_paths(page)
    return context.render_context[_PATHS](actor)


@register.filter
def shown_actors(actors):
    """``actors``, or none when the actors' directory is private: its items are shown
    elsewhere only when it is public (``core.privacy.is_private_section``)."""
    actors = list(actors)  # read once: the include tests it, then lists it
    if actors and is_private_section(ActorDirectoryPage):
        return []
    return actors
