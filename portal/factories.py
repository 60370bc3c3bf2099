"""Factories for the portal's pages (tests and benchmarks). Each one publishes its page
under the portal's own section when no ``parent`` is given."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from core.factories import PublishedPageFactory
from portal.models import (
    Actor,
    ActorDirectoryPage,
    AgendaSubscription,
    ArticleIndexPage,
    ArticlePage,
    BlogIndexPage,
    BlogPage,
    BlogPostPage,
    EventIndexPage,
    EventPage,
    Learner,
    MapStoryPage,
    MediaEducationCyclePage,
    MethodologyIndexPage,
    MethodologyPage,
    ProjectSeedIndexPage,
    ResidencyIndexPage,
    ResidencyPage,
    SeedMember,
    SeedUpdate,
    WorkshopPage,
)


class ArticlePageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Article de quartier n° {n}")
    date = factory.LazyFunction(timezone.localdate)
    intro = "<p>Ce qui s'est passé cette semaine dans le quartier.</p>"

    class Meta:
        model = ArticlePage

    @classmethod
    def default_parent(cls):
        return ArticleIndexPage.objects.get(locale__language_code="fr")


class EventPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Rencontre n° {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=2))
    category = EventPage.Category.WORKSHOP
    place_name = "Centre social"

    class Meta:
        model = EventPage

    @classmethod
    def default_parent(cls):
        return EventIndexPage.objects.get(locale__language_code="fr")


class BlogPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Blog d'habitant n° {n}")
    writers = "Un collectif d'habitants"

    class Meta:
        model = BlogPage

    @classmethod
    def default_parent(cls):
        return BlogIndexPage.objects.get(locale__language_code="fr")


class BlogPostPageFactory(PublishedPageFactory):
    """Give it ``parent=<a BlogPage>``."""

    title = factory.Sequence(lambda n: f"Billet n° {n}")
    date = factory.LazyFunction(timezone.localdate)

    class Meta:
        model = BlogPostPage


class MethodologyPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Fiche atelier n° {n}")
    module = MethodologyPage.Module.WORKSHOP
    summary = "Comment animer un atelier participatif avec les habitants."
    objectives = "<p>Faire émerger des projets portés par les habitants.</p>"

    class Meta:
        model = MethodologyPage

    @classmethod
    def default_parent(cls):
        return MethodologyIndexPage.objects.get(locale__language_code="fr")


class WorkshopPageFactory(PublishedPageFactory):
    """A workshop held a week ago, with a short diagnosis (seeds: give ``seeds=[...]``)."""

    title = factory.Sequence(lambda n: f"Atelier participatif n° {n}")
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    place_name = "Centre social"
    diagnosis = factory.LazyFunction(
        lambda: [("brakes", ["Peu de lieux ouverts le soir"]), ("needs", ["Se retrouver"])]
    )

    class Meta:
        model = WorkshopPage

    @classmethod
    def default_parent(cls):
        return ProjectSeedIndexPage.objects.get(locale__language_code="fr")


class MediaEducationCyclePageFactory(PublishedPageFactory):
    """A media-education cycle in the agenda (séances: give ``sessions=[...]``)."""

    title = factory.Sequence(lambda n: f"Cycle d'éducation aux médias n° {n}")
    intro = "<p>Apprendre à vérifier, écrire et enregistrer l'information du quartier.</p>"
    audience = "Jeunes de 12 à 17 ans"

    class Meta:
        model = MediaEducationCyclePage

    @classmethod
    def default_parent(cls):
        return EventIndexPage.objects.get(locale__language_code="fr")


class LearnerFactory(factory.django.DjangoModelFactory):
    """A minor of a cycle (give ``cycle=``) whose parent authorised nothing yet."""

    name = factory.Sequence(lambda n: f"Participant Numéro{n}")
    is_minor = True

    class Meta:
        model = Learner


class ResidencyPageFactory(PublishedPageFactory):
    """A residency begun a month ago for five months, with a préfiguration and a week on
    site (outputs: give ``phases=[...]``)."""

    title = factory.Sequence(lambda n: f"Résidence média n° {n}")
    territory = "Quartier des Tilleuls"
    team = "L'équipe mobile du réseau"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda page: page.starts_on + datetime.timedelta(days=150))
    phases = factory.LazyAttribute(
        lambda page: [
            (
                "phase",
                {
                    "kind": "prefiguration",
                    "title": "",
                    "starts_on": page.starts_on,
                    "ends_on": page.starts_on + datetime.timedelta(days=14),
                    "text": "<p>Rencontres avec les acteurs du quartier.</p>",
                    "outputs": [],
                },
            ),
            (
                "phase",
                {
                    "kind": "immersion",
                    "title": "Première semaine sur place",
                    "starts_on": page.starts_on + datetime.timedelta(days=21),
                    "ends_on": page.starts_on + datetime.timedelta(days=25),
                    "text": "<p>Balades repérage et entretiens.</p>",
                    "outputs": [],
                },
            ),
        ]
    )

    class Meta:
        model = ResidencyPage

    @classmethod
    def default_parent(cls):
        return ResidencyIndexPage.objects.get(locale__language_code="fr")


class ActorFactory(factory.django.DjangoModelFactory):
    """An actor of the directory, added now."""

    name = factory.Sequence(lambda n: f"Association du quartier n° {n}")

    class Meta:
        model = Actor


class SeedMemberFactory(factory.django.DjangoModelFactory):
    """A resident who joined an action group and confirmed their address: give ``seed``."""

    name = factory.Sequence(lambda n: f"Voisine {n}")
    email = factory.Sequence(lambda n: f"voisine{n}@example.org")
    consent = True
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = SeedMember


class SeedUpdateFactory(factory.django.DjangoModelFactory):
    """An approved piece of news of an action group: give ``seed``."""

    text = "Le jardin a ses premières récoltes."
    status = SeedUpdate.Status.APPROVED
    published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = SeedUpdate


class MapStoryPageFactory(PublishedPageFactory):
    """A resident's story published on the map, in the actors' directory."""

    title = factory.Sequence(lambda n: f"Souvenir du quartier n° {n}")
    kind = "memory"
    text = "Ici, il y avait un cinéma où tout le quartier se retrouvait le dimanche."
    contributor_name = "Jeanne"
    latitude = Decimal("48.8700")
    longitude = Decimal("2.3800")

    class Meta:
        model = MapStoryPage

    @classmethod
    def default_parent(cls):
        return ActorDirectoryPage.objects.get(locale__language_code="fr")


class AgendaSubscriptionFactory(factory.django.DjangoModelFactory):
    """An outside agenda followed by the portal (not trusted: its events arrive as drafts)."""

    name = factory.Sequence(lambda n: f"Agenda du quartier n° {n}")
    url = factory.Sequence(lambda n: f"https://agenda.example/groupe-{n}/feed.ics")

    class Meta:
        model = AgendaSubscription
