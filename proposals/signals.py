"""Wagtail's publish signal, answered at once by a service: the proposer of a page made
from their proposal gets its link when the animators publish it."""

from __future__ import annotations

from wagtail.signals import page_published

from proposals.lifecycle import tell_published


def _page_published(sender: type, instance, **kwargs: object) -> None:
    tell_published(instance)


def connect() -> None:
    """Connect the handler for every page type (articles and events alike)."""
    page_published.connect(_page_published, dispatch_uid="proposals.tell_published")
