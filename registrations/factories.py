"""Factories for registrations (tests): give ``event``."""

import factory

from registrations.models import Registration


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration for one person."""

    name = factory.Sequence(lambda n: f"Habitante {n}")
    email = factory.Sequence(lambda n: f"habitante{n}@example.org")
    people = 1
    status = Registration.Status.CONFIRMED

    class Meta:
        model = Registration
