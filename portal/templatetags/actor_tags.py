"""Links to actors' pages from any template, with one lookup of the directory per render."""

from __future__ import annotations

from django import template

from portal.directory import actor_paths, directory_page
from portal.models import Actor, ActorDirectoryPage

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
