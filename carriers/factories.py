"""Factories for the carriers (tests and benchmarks)."""

import factory
from wagtail_factories import ImageFactory

from carriers.models import FreePage, Partner
from core.factories import PublishedPageFactory


class FreePageFactory(PublishedPageFactory):
    """A free page, published under the portal's "À propos" unless a parent is given."""

    title = factory.Sequence(lambda n: f"Page libre n° {n}")
    intro = "<p>Ce que l'équipe veut dire aux habitants.</p>"

    class Meta:
        model = FreePage

    @classmethod
    def default_parent(cls):
        return FreePage.objects.get(slug="a-propos", locale__language_code="fr")


class PartnerFactory(factory.django.DjangoModelFactory):
    """A partner with a logo and its alternative text."""

    name = factory.Sequence(lambda n: f"Association partenaire n° {n}")
    kind = Partner.Kind.PARTNER
    logo = factory.SubFactory(ImageFactory, title=factory.SelfAttribute("..name"))
    logo_alt = factory.SelfAttribute("name")
    url = "https://example.org/"

    class Meta:
        model = Partner
