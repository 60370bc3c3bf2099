"""Factories for the fediverse's rows (tests and the admin's screenshots)."""

import factory

from fediverse.models import DeliveryFailure, Follower


class FollowerFactory(factory.django.DjangoModelFactory):
    """A Mastodon account following the portal (enter the portal's schema first)."""

    actor_id = factory.Sequence(lambda n: f"https://mastodon.example/users/voisin{n}")
    handle = factory.Sequence(lambda n: f"@voisin{n}@mastodon.example")
    inbox = factory.LazyAttribute(lambda follower: f"{follower.actor_id}/inbox")
    shared_inbox = "https://mastodon.example/inbox"

    class Meta:
        model = Follower


class DeliveryFailureFactory(factory.django.DjangoModelFactory):
    """An article that a remote server refused four times."""

    inbox = "https://instance-en-panne.example/inbox"
    activity_type = "Create"
    object_type = "Article"
    error = "https://instance-en-panne.example/inbox a répondu 503"
    attempts = 4

    class Meta:
        model = DeliveryFailure
