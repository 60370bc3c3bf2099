"""Demo content of a portal's radio and TV: a webradio with three shows, a webTV.

Cheap and offline: no oEmbed fetch at seed time (the TV episodes store their addresses
only; the pages show a plain link when the provider cannot be reached), and one short
silent MP3 per portal, shared by the radio episodes.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core.demo_images import cover_pages, demo_cover
from core.identity import portal_identity
from radio.models import (
    EpisodePage,
    RadioPage,
    RadioSettings,
    ShowPage,
    StationPage,
    TimeSlot,
    Weekday,
)
from tenants.federation import publish_entry

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

DEMO_SOUND = "radio/demo/generique.mp3"
DEMO_SOUND_SECONDS = 2
DEMO_PEERTUBE_HOST = "tube.quartiers.example"

# MPEG-1 Layer III, 128 kb/s, 44.1 kHz, mono: 417-byte frames of 1152 samples.
_FRAME_HEADER = bytes([0xFF, 0xFB, 0x90, 0xC0])
_FRAME_BYTES = 417
_FRAMES_PER_SECOND = 44100 / 1152


def silent_mp3(seconds: float = DEMO_SOUND_SECONDS) -> bytes:
    """A valid MP3 of silence (empty frames), for demo and test episodes."""
    frames = max(1, round(seconds * _FRAMES_PER_SECOND))
    return (_FRAME_HEADER + bytes(_FRAME_BYTES - len(_FRAME_HEADER))) * frames


RADIO_SHOWS = [
    (
        "La matinale des habitants",
        "la-matinale",
        "les habitants du comité de rédaction",
        "L'actualité du quartier, l'agenda du jour et l'invité du matin.",
        [(day, "07:30", "08:30") for day in (Weekday.MONDAY, Weekday.WEDNESDAY, Weekday.FRIDAY)],
    ),
    (
        "Micro jeunesse",
        "micro-jeunesse",
        "le groupe jeunes de la MJC",
        "Les 12-17 ans tiennent le micro : reportages, musique et débats.",
        [(Weekday.WEDNESDAY, "17:00", "18:00"), (Weekday.SATURDAY, "14:00", "15:00")],
    ),
    (
        "Les nuits du quartier",
        "les-nuits",
        "l'association Sons de la dalle",
        "Musiques du monde et dédicaces, tard dans la nuit.",
        [(Weekday.FRIDAY, "23:00", "01:00"), (Weekday.SATURDAY, "23:00", "01:00")],
    ),
]

TV_EPISODES = [
    ("Le marché du dimanche en images", "marche-du-dimanche", "le-marche-du-dimanche"),
    ("Portrait : la gardienne de la tour 12", "portrait-gardienne", "portrait-gardienne-tour-12"),
]


def seed_radio(portal: Neighbourhood) -> None:
    """Give a neighbourhood portal a webradio and a webTV (once), each show and episode
    its picture."""
    section = RadioPage.objects.first()
    if portal.kind == "federation" or section is None:
        return
    if not StationPage.objects.exists():
        _stations(portal, section)
    # Each show and episode with its artwork (also for a demo seeded before there was any).
    cover_pages(
        EpisodePage.objects.live().filter(cover__isnull=True),
        "Illustration : le studio de la radio du quartier",
    )
    for show in ShowPage.objects.filter(cover__isnull=True):
        # A square of 1,400 px: podcast directories ask no less (radio.artwork).
        show.cover = demo_cover(
            portal_identity().accent_colour, f"emission-{show.pk}", show.title, (1400, 1400)
        )
        show.save(update_fields=["cover"])


def _stations(portal: Neighbourhood, section: RadioPage) -> None:
    """The demo's webradio (its shows, each with a first episode) and webTV (a news show)."""
    today = timezone.localdate()
    radio_settings = RadioSettings.load()
    radio_settings.peertube_hosts = DEMO_PEERTUBE_HOST
    radio_settings.save()

    radio = _add(
        section,
        StationPage(
            title=f"Radio {portal.name}",
            slug="webradio",
            kind=StationPage.Kind.RADIO,
            description=f"<p>La radio des habitants de {portal.city}, en direct et en podcast.</p>",
            stream_url=f"https://direct.quartiers.example/{portal.schema_name}.mp3",
        ),
    )
    sound = _demo_sound()
    for number, (title, slug, hosts, summary, slots) in enumerate(RADIO_SHOWS):
        show = _add(
            radio,
            ShowPage(title=title, slug=slug, hosts=hosts, description=f"<p>{summary}</p>"),
        )
        TimeSlot.objects.bulk_create(
            TimeSlot(show=show, day=day, start=start, end=end, sort_order=order)
            for order, (day, start, end) in enumerate(slots)
        )
        episode = _add(
            show,
            EpisodePage(
                title=f"{title} : le générique",
                slug="generique",
                date=today - datetime.timedelta(days=number),
                description="<p>Le générique de l'émission, en attendant le premier épisode.</p>",
                duration=datetime.timedelta(seconds=DEMO_SOUND_SECONDS),
                media_file=sound,
                # The morning show's is in the network's podcast.
                shared_with_network=number == 0,
            ),
        )
        if episode.shared_with_network:
            # Published without a revision, hence without Wagtail's signal: the index is
            # told by the service the signal calls.
            publish_entry(episode)

    tv = _add(
        section,
        StationPage(
            title=f"{portal.name} TV",
            slug="webtv",
            kind=StationPage.Kind.TV,
            description="<p>Les reportages vidéo tournés par les habitants.</p>",
        ),
    )
    journal = _add(
        tv,
        ShowPage(
            title="Le JT du quartier",
            slug="le-jt",
            hosts="l'atelier vidéo du centre social",
            description="<p>Chaque mois, le journal télévisé fait par le quartier.</p>",
            category=ShowPage.Category.NEWS,
        ),
    )
    TimeSlot.objects.create(show=journal, day=Weekday.THURSDAY, start="19:00", end="19:30")
    for number, (title, slug, video) in enumerate(TV_EPISODES):
        _add(
            journal,
            EpisodePage(
                title=title,
                slug=slug,
                date=today - datetime.timedelta(days=7 * number),
                description="<p>Un reportage de l'atelier vidéo.</p>",
                duration=datetime.timedelta(minutes=4, seconds=30),
                embed_url=f"https://{DEMO_PEERTUBE_HOST}/w/{video}",
            ),
        )


def _add(parent, page):
    """Publish a demo page without a revision: seeding ten portals stays quick."""
    page.live = True
    page.first_published_at = page.last_published_at = timezone.now()
    parent.add_child(instance=page)
    return page


def _demo_sound() -> str:
    """The portal's demo MP3, stored once in its own media folder."""
    if default_storage.exists(DEMO_SOUND):
        return DEMO_SOUND
    return default_storage.save(DEMO_SOUND, ContentFile(silent_mp3()))
