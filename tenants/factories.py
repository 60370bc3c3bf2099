"""Factories for what a federation staff member asks for when opening a portal."""

import factory
from django.contrib.auth.models import Group

from tenants.provisioning import PortalSpec
from tenants.second_factor import new_key


class PortalSpecFactory(factory.Factory):
    """A valid request for a new neighbourhood portal (``slug`` must stay unique)."""

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier{n}")
    city = "Montreuil"
    animator_email = factory.LazyAttribute(lambda spec: f"animation@{spec.slug}.example.org")
    carrying_structure = "Centre social des Ruffins"
    scic_name = "SCIC Montreuil Médias"
    contact_email = factory.LazyAttribute(lambda spec: f"contact@{spec.slug}.example.org")

    class Meta:
        model = PortalSpec


class ToolkitCollectionFactory(factory.django.DjangoModelFactory):
    """A collection of the federation's toolkit (public schema), with no sheets yet."""

    title = factory.Sequence(lambda n: f"Kit n° {n}")
    slug = factory.Sequence(lambda n: f"kit-{n}")
    description = "Les fiches pour bien démarrer un média de quartier."

    class Meta:
        model = "tenants.ToolkitCollection"


class PortalAccountFactory(factory.django.DjangoModelFactory):
    """A local account of the portal the connection is on (enter it with
    ``schema_context``), signing in with ``password``, in the groups named by ``roles``."""

    username = factory.Sequence(lambda n: f"personne{n}@example.org")
    email = factory.LazyAttribute(lambda account: account.username)
    first_name = "Camille"
    last_name = "Martin"
    password = factory.django.Password("un-mot-de-passe-solide")

    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    @factory.post_generation
    def roles(self, create: bool, names: list[str] | None, **kwargs) -> None:
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))


class DailyIndicatorFactory(factory.django.DjangoModelFactory):
    """One folded figure of a portal (public schema): give ``portal``, ``day``, ``indicator``."""

    indicator = "pages"
    value = 1

    class Meta:
        model = "tenants.DailyIndicator"


class SecondFactorDeviceFactory(factory.django.DjangoModelFactory):
    """A TOTP app of a network account (public schema): give ``account``. Its codes come
    from ``tenants.second_factor.current_code(device.key)``, as the person's phone's would."""

    key = factory.LazyFunction(new_key)

    class Meta:
        model = "tenants.SecondFactorDevice"
