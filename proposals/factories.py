"""Factories for proposals (tests and benchmarks). Build them inside a portal's schema."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from proposals.models import Proposal


class ProposalFactory(factory.django.DjangoModelFactory):
    """A story idea, confirmed by its author and waiting for a decision."""

    kind = Proposal.Kind.STORY
    title = factory.Sequence(lambda n: f"Idée de sujet n° {n}")
    text = "Les jardins partagés de la cité cherchent des bras pour le printemps."
    name = "Nadia"
    email = factory.Sequence(lambda n: f"habitante{n}@example.org")
    credit_consent = True
    status = Proposal.Status.WAITING
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Proposal


class EventProposalFactory(ProposalFactory):
    """An event proposed for next week, waiting for a decision."""

    kind = Proposal.Kind.EVENT
    title = factory.Sequence(lambda n: f"Fête de quartier n° {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    end = factory.LazyAttribute(lambda proposal: proposal.start + datetime.timedelta(hours=3))
    place = "Place du marché"
    organiser = "Comité des fêtes"
