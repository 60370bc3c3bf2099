"""Factories for the infolettre's subscribers (tests)."""

import factory
from django.utils import timezone

from newsletter.models import Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    """An address that confirmed its subscription just now."""

    email = factory.Sequence(lambda n: f"lectrice{n}@example.org")
    status = Subscriber.Status.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Subscriber
