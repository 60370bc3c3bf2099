"""Factories for reactions (tests and benchmarks). Build them inside a portal's schema."""

from __future__ import annotations

import factory
from django.utils import timezone

from reactions.models import Reaction, ReactionAddress


class ReactionFactory(factory.django.DjangoModelFactory):
    """A published reaction (give it ``page=``)."""

    name = "Samia"
    email = factory.Sequence(lambda n: f"voisine{n}@example.org")
    text = "Merci pour cet article, j'étais à la réunion et c'était bien ça."
    status = Reaction.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Reaction


class ReactionAddressFactory(factory.django.DjangoModelFactory):
    """An address confirmed at the portal."""

    email = factory.Sequence(lambda n: f"habitant{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ReactionAddress
        django_get_or_create = ("email",)
