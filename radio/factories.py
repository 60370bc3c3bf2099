"""Factories for the radio's pages (tests and benchmarks)."""

from __future__ import annotations

import datetime

import factory

from core.factories import PublishedPageFactory
from radio.demo import silent_mp3
from radio.models import EpisodePage, RadioPage, ShowPage, StationPage, TimeSlot


class StationPageFactory(PublishedPageFactory):
    """A published webradio with an Icecast stream, in the portal's "Radio & TV"."""

    title = factory.Sequence(lambda n: f"Radio du quartier n° {n}")
    kind = StationPage.Kind.RADIO
    description = "<p>La radio des habitants.</p>"
    stream_url = "https://direct.quartiers.example/radio.mp3"

    class Meta:
        model = StationPage

    @classmethod
    def default_parent(cls):
        return RadioPage.objects.get()


class ShowPageFactory(PublishedPageFactory):
    """A published show, under a new station unless ``parent`` is given."""

    title = factory.Sequence(lambda n: f"Émission n° {n}")
    hosts = "Les habitants de la tour 12"
    description = "<p>Une émission faite par le quartier.</p>"

    class Meta:
        model = ShowPage

    @classmethod
    def default_parent(cls):
        return StationPageFactory()


class TimeSlotFactory(factory.django.DjangoModelFactory):
    """A weekly slot, Monday 18:00-19:00 unless told otherwise."""

    show = factory.SubFactory(ShowPageFactory)
    day = 0
    start = datetime.time(18)
    end = datetime.time(19)

    class Meta:
        model = TimeSlot


class EpisodePageFactory(PublishedPageFactory):
    """A published episode with a short MP3, under a new show unless ``parent`` is given."""

    title = factory.Sequence(lambda n: f"Épisode n° {n}")
    date = factory.LazyFunction(datetime.date.today)
    description = "<p>Ce qu'on entend dans cet épisode.</p>"
    duration = datetime.timedelta(minutes=52, seconds=30)
    media_file = factory.django.FileField(filename="episode.mp3", data=silent_mp3(1))

    class Meta:
        model = EpisodePage

    @classmethod
    def default_parent(cls):
        return ShowPageFactory()
