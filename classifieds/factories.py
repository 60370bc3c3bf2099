"""Factories for classifieds (tests and benchmarks). Build them inside a portal's schema."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from classifieds.models import Classified, ClassifiedCategory


class ClassifiedFactory(factory.django.DjangoModelFactory):
    """A published ad of the portal's first category, online for 30 days."""

    kind = Classified.Kind.OFFER
    category = factory.LazyFunction(lambda: ClassifiedCategory.objects.order_by("sort_order")[0])
    title = factory.Sequence(lambda n: f"Annonce de voisin n° {n}")
    text = "Je donne une étagère en bois, à venir chercher en bas de chez moi."
    price_kind = Classified.PriceKind.FREE
    area = "Rue des Lilas"
    author_name = "Samia"
    author_email = factory.Sequence(lambda n: f"voisine{n}@example.org")
    status = Classified.Status.PUBLISHED
    confirmed_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(
        lambda ad: ad.published_at + datetime.timedelta(days=30) if ad.published_at else None
    )

    class Meta:
        model = Classified
