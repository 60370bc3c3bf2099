"""The portal's two actors as the inbox and the deliveries see them: who they are, which
key signs for them, where their followers are kept.

- ``PORTAL``: the portal itself, an ``Organization`` (``fediverse.documents``);
- ``AGENDA``: its agenda, an ``Application`` that Mobilizon's relays follow
  (``fediverse.agenda_actor``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from fediverse import agenda_actor, documents
from fediverse.keys import agenda_key, portal_key
from fediverse.models import ActorKey, AgendaFollower, AgendaKey, Follower


@dataclass(frozen=True)
class LocalActor:
    """One of the portal's actors: its id, its key, its followers' table."""

    name: str
    actor_id: Callable[[], str]
    key_id: Callable[[], str]
    key: Callable[[], ActorKey | AgendaKey]
    followers: type[models.Model]


PORTAL = LocalActor("portal", documents.actor_id, documents.key_id, portal_key, Follower)
AGENDA = LocalActor(
    "agenda", agenda_actor.actor_id, agenda_actor.key_id, agenda_key, AgendaFollower
)
BY_NAME = {actor.name: actor for actor in (PORTAL, AGENDA)}
