"""Django's delete signal, answered at once by a service: a deleted story leaves no
private photo behind, whichever way it was deleted (Wagtail's delete view, a parent page
deleted with its children, a purge)."""

from __future__ import annotations

from django.db.models.signals import post_delete

from portal.actors.stories import MapStoryPage
from portal.actors.story_lifecycle import story_deleted


def _story_deleted(sender: type, instance: MapStoryPage, **kwargs: object) -> None:
    story_deleted(instance)


def connect() -> None:
    """Connect the handler for story pages (a signal, since Wagtail deletes pages through
    the ORM's collector, not through a service of ours)."""
    post_delete.connect(_story_deleted, sender=MapStoryPage, dispatch_uid="portal.story_deleted")
