"""The webradio and the webTV: stations, their shows and weekly grid, episodes."""

from __future__ import annotations

import datetime
import logging
import re
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.images import shape_specs, with_renditions
from core.latest import Reading
from core.page_routes import ExtensibleRoutablePageMixin
from core.pages import CoverMixin, PortalPage, SectionPage
from radio import grid
from radio.embeds import provider_for, validate_embed_url
from radio.media_files import is_video, media_type, validate_episode_file
from tenants.sharing import SharedFields, SharedWithNetwork, plain_text

logger = logging.getLogger(__name__)

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class RadioPage(SectionPage):
    """The radio and TV section ("Radio & TV"): lists the portal's stations."""

    subpage_types = ["radio.StationPage"]

    class Meta:
        verbose_name = "rubrique Radio & TV"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stations"] = with_renditions(
            StationPage.objects.live().public().child_of(self), "logo", *shape_specs("thumb")
        )
        return context


class StationPage(RoutablePageMixin, PortalPage):
    """A webradio or webTV channel: its live stream, its shows and their weekly grid."""

    class Kind(models.TextChoices):
        RADIO = "radio", _("Webradio")
        TV = "tv", _("WebTV")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.RADIO)
    description = RichTextField(_("présentation"), blank=True, features=TEXT_FEATURES)
    stream_url = models.URLField(
        _("flux en direct"),
        max_length=500,
        blank=True,
        help_text=_(
            "Adresse du flux audio (Icecast, Shoutcast), d'un flux HLS (.m3u8) ou d'une page "
            "de direct PeerTube ou YouTube. Laisser vide s'il n'y a pas de direct."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("stream_url"),
        FieldPanel("logo"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    parent_page_types = ["radio.RadioPage"]
    subpage_types = ["radio.ShowPage"]

    class Meta:
        verbose_name = _("station (webradio ou webTV)")
        verbose_name_plural = _("stations")

    @property
    def stream_kind(self) -> str:
        """How the live stream is played: "embed", "hls", "audio", or "" without a stream."""
        url = self.stream_url
        if not url:
            return ""
        if provider_for(url):
            return "embed"
        if urlpath_endswith(url, ".m3u8"):
            return "hls"
        return "audio"

    def embedded_urls(self) -> list[str]:
        """The live page a player shows, fetched when the station is saved (core.embeds)."""
        return [self.stream_url] if self.stream_kind == "embed" else []

    def time_slots(self) -> list[TimeSlot]:
        """Every slot of the station's live shows, with its show (one query)."""
        return list(self._slots())

    def clean(self) -> None:
        super().clean()
        if self.stream_url and not self.stream_url.lower().startswith(("https://", "http://")):
            raise ValidationError({"stream_url": _("Le flux doit être une adresse web.")})

    def _slots(self) -> QuerySet:
        shows = ShowPage.objects.live().public().child_of(self)
        return TimeSlot.objects.filter(show__in=shows).select_related("show")

    def _shows(self) -> QuerySet:
        return with_renditions(
            ShowPage.objects.live().public().child_of(self), "cover", *shape_specs("square")
        )

    def readings(self, request: HttpRequest | None) -> dict[str, Reading]:
        """The grid's slots, the shows, the latest episodes and whether a podcast has
        any, read with the page's other lists in one round trip (``core.read_ahead``)."""
        # Imported here: the listing module builds on these models.
        from radio.episodes import episodes_reading

        return {
            **super().readings(request),
            "slots": Reading([self._slots()], lambda rows: rows[0]),
            "shows": Reading([self._shows()], lambda rows: rows[0]),
            "episodes": episodes_reading(6, station=self),
            "podcast": Reading(
                [podcast_episodes(self).only("pk")[:1]], lambda rows: [bool(rows[0])]
            ),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from radio.episodes import latest_episodes

        # Read ahead by ``get_context`` (``readings``), else asked now.
        ahead = self.read_items
        slots = ahead.get("slots")
        slots = list(self._slots()) if slots is None else slots
        context["on_air"] = grid.OnAir(self, *grid.now_and_next(slots))
        shows = ahead.get("shows")
        context["shows"] = self._shows() if shows is None else shows
        episodes = ahead.get("episodes")
        context["episodes"] = latest_episodes(6, station=self) if episodes is None else episodes
        podcast = ahead.get("podcast")
        context["has_podcast"] = podcast_episodes(self).exists() if podcast is None else podcast[0]
        return context

    @path("grille/", name="grid")
    def grid_view(self, request: HttpRequest) -> HttpResponse:
        """The week of the station: each day's slots, in Paris time."""
        slots = self.time_slots()
        days = [
            (label, sorted((s for s in slots if s.day == day), key=lambda s: s.start))
            for day, label in Weekday.choices
        ]
        return self.render(
            request,
            context_overrides={
                "days": days,
                "on_air": grid.OnAir(self, *grid.now_and_next(slots)),
            },
            template="radio/station_page_grid.html",
        )

    @path("direct/", name="player")
    def player_view(self, request: HttpRequest) -> HttpResponse:
        """The live player alone, to open in a small window and keep listening."""
        return self.render(request, template="radio/station_page_player.html")

    @path("podcast/", name="feed")
    def feed_view(self, request: HttpRequest) -> HttpResponse:
        """The podcast of every show of the station."""
        from radio.feeds import StationFeed

        return StationFeed()(request, station=self)


def urlpath_endswith(url: str, suffix: str) -> bool:
    return urlsplit(url).path.lower().endswith(suffix)


class ShowPage(RoutablePageMixin, PortalPage):
    """A programme of a station, with its hosts, its weekly slots and its episodes."""

    class Category(models.TextChoices):
        # Values are Apple Podcasts' category names, written as is in the feed.
        SOCIETY = "Society & Culture", _("Société et culture")
        NEWS = "News", _("Actualités")
        MUSIC = "Music", _("Musique")
        ARTS = "Arts", _("Arts")
        EDUCATION = "Education", _("Éducation")
        KIDS = "Kids & Family", _("Enfance et famille")
        SPORTS = "Sports", _("Sport")
        HISTORY = "History", _("Histoire")

    hosts = models.CharField(
        _("animé par"),
        max_length=255,
        blank=True,
        help_text=_("Habitants, groupe de jeunes, structure partenaire…"),
    )
    description = RichTextField(_("présentation"), blank=True, features=TEXT_FEATURES)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("visuel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Image carrée de 1400 px au moins : les applications de podcast l'exigent."),
    )
    category = models.CharField(
        _("catégorie du podcast"), max_length=40, choices=Category.choices, default=Category.SOCIETY
    )
    explicit = models.BooleanField(
        _("contenu réservé aux adultes"),
        default=False,
        help_text=_("Signalé aux applications de podcast (langage cru, sujets sensibles)."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hosts"),
        FieldPanel("description"),
        FieldPanel("cover"),
        InlinePanel("slots", heading=_("Créneaux de la grille"), label=_("créneau")),
        MultiFieldPanel([FieldPanel("category"), FieldPanel("explicit")], heading=_("Podcast")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("hosts"),
        index.SearchField("description"),
    ]

    parent_page_types = ["radio.StationPage"]
    subpage_types = ["radio.EpisodePage"]

    class Meta:
        verbose_name = _("émission")
        verbose_name_plural = _("émissions")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["episodes"] = (
            EpisodePage.objects.live().public().child_of(self).order_by("-date", "-pk")
        )
        context["slots"] = sorted(self.slots.all(), key=lambda slot: (slot.day, slot.start))
        # A feed is offered only where it has entries: a webTV show of videos hosted on
        # PeerTube or YouTube has none, and an empty podcast is refused by directories.
        context["has_podcast"] = podcast_episodes(self).exists()
        return context

    @path("podcast/", name="feed")
    def feed_view(self, request: HttpRequest) -> HttpResponse:
        """The show's podcast (RSS 2.0 with the iTunes and Podcasting 2.0 tags)."""
        from radio.feeds import ShowFeed

        return ShowFeed()(request, show=self)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Lundi")
    TUESDAY = 1, _("Mardi")
    WEDNESDAY = 2, _("Mercredi")
    THURSDAY = 3, _("Jeudi")
    FRIDAY = 4, _("Vendredi")
    SATURDAY = 5, _("Samedi")
    SUNDAY = 6, _("Dimanche")


class TimeSlot(Orderable):
    """A weekly slot of a show, in Paris time; an end before the start ends the next day."""

    show = ParentalKey(ShowPage, on_delete=models.CASCADE, related_name="slots")
    day = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start = models.TimeField(_("début"))
    end = models.TimeField(
        _("fin"), help_text=_("Heure de Paris. Une fin avant le début finit le lendemain.")
    )

    panels = [FieldPanel("day"), FieldPanel("start"), FieldPanel("end")]

    class Meta(Orderable.Meta):
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")

    def __str__(self) -> str:
        return f"{self.get_day_display()} de {self.start:%H:%M} à {self.end:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return grid.crosses_midnight(self)

    def clean(self) -> None:
        if self.start is not None and self.start == self.end:
            raise ValidationError({"end": _("Le créneau doit finir à une autre heure.")})


class EpisodePage(CoverMixin, ExtensibleRoutablePageMixin, SharedWithNetwork, PortalPage):
    """An episode of a show: an uploaded sound or video, or a video hosted elsewhere."""

    foot_sections = True

    date = models.DateField(_("date de diffusion"), default=timezone.localdate)
    description = RichTextField(_("présentation"), blank=True, features=TEXT_FEATURES)
    duration = models.DurationField(
        _("durée"), null=True, blank=True, help_text=_("Heures, minutes, secondes : 00:52:30")
    )
    media_file = models.FileField(
        _("fichier audio ou vidéo"),
        upload_to="radio/episodes/%Y/%m/",
        max_length=255,
        blank=True,
        validators=[validate_episode_file],
        help_text=_("MP3, M4A, AAC, OGG, Opus, MP4 ou WebM. Ou bien une adresse ci-dessous."),
    )
    embed_url = models.URLField(
        _("vidéo ou son hébergé ailleurs"),
        max_length=500,
        blank=True,
        validators=[validate_embed_url],
        help_text=_(
            "Adresse d'une page PeerTube, YouTube, Dailymotion, Vimeo, SoundCloud, Mixcloud, "
            "Castopod ou Arte Radio."
        ),
    )
    shared_with_network = models.BooleanField(
        _("partager avec le réseau"),
        default=False,
        help_text=_(
            "L'épisode apparaît aussi sur le portail de la fédération et, s'il a un fichier "
            "déposé ici, dans le podcast du réseau."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("description"),
        FieldPanel("duration"),
        *CoverMixin.cover_panels,
        MultiFieldPanel(
            [FieldPanel("media_file"), FieldPanel("embed_url")],
            heading=_("Le son ou la vidéo (l'un ou l'autre)"),
        ),
        FieldPanel("shared_with_network", heading=_("Partage")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    parent_page_types = ["radio.ShowPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("épisode")
        verbose_name_plural = _("épisodes")

    @property
    def media_type(self) -> str:
        return media_type(self.media_file.name) if self.media_file else ""

    @property
    def is_video(self) -> bool:
        return bool(self.media_file) and is_video(self.media_file.name)

    @property
    def duration_seconds(self) -> int | None:
        return int(self.duration.total_seconds()) if self.duration else None

    @property
    def duration_label(self) -> str:
        """``52 min``, ``1 h 05``, ``40 s``: the duration as listings show it."""
        seconds = self.duration_seconds
        if not seconds:
            return ""
        hours, rest = divmod(seconds, 3600)
        minutes = rest // 60
        if hours:
            return f"{hours} h {minutes:02d}"
        return f"{minutes} min" if minutes else f"{seconds} s"

    @property
    def published_at(self) -> datetime.datetime:
        """The instant podcast apps sort by: the broadcast date, at noon in Paris."""
        return datetime.datetime.combine(self.date, datetime.time(12), tzinfo=grid.GRID_TIME_ZONE)

    def embedded_urls(self) -> list[str]:
        """The video or sound hosted elsewhere, fetched when the episode is saved (core.embeds)."""
        return [self.embed_url] if self.embed_url else []

    def shared_fields(self) -> SharedFields | None:
        """Shared only when its editor ticked "partager avec le réseau": what the network's
        podcast needs, with absolute addresses on this portal (it is read elsewhere)."""
        if not self.shared_with_network:
            return None
        # Imported here: the artwork is drawn from these models.
        from radio.artwork import artwork_url

        parts = self.get_url_parts()
        root = parts[1] if parts else ""
        show = self.get_parent().specific if self.depth > 1 else None
        enclosure_url, enclosure_length = "", None
        if self.media_file and root:
            enclosure_url = urljoin(root + "/", self.media_file.url)
            try:
                enclosure_length = self.media_file.size
            except OSError:  # the file went missing: the feed says 0 rather than fail
                logger.warning("Episode file missing: %s", self.media_file.name)
                enclosure_length = 0
        image_url = ""
        if isinstance(show, ShowPage) and root:
            image_url = urljoin(root + "/", artwork_url(show))
        return SharedFields(
            kind="episode",
            module="",
            title=self.title,
            summary=plain_text(self.description),
            tags=[],
            starts_at=self.published_at,
            enclosure_url=enclosure_url,
            enclosure_type=self.media_type if enclosure_url else "",
            enclosure_length=enclosure_length,
            duration_seconds=self.duration_seconds,
            image_url=image_url,
            explicit=bool(isinstance(show, ShowPage) and show.explicit),
        )

    def clean(self) -> None:
        super().clean()
        if bool(self.media_file) == bool(self.embed_url):
            message = _(
                "Déposez un fichier audio ou vidéo, ou donnez l'adresse d'une vidéo ou d'un son "
                "hébergé ailleurs : l'un ou l'autre."
            )
            raise ValidationError({"media_file": message, "embed_url": message})


def podcast_episodes(within: Page) -> models.QuerySet:
    """The episodes a podcast feed of ``within`` (a show or a station) lists: live, public,
    with an uploaded file (podcast apps need an enclosure)."""
    return EpisodePage.objects.live().public().descendant_of(within).exclude(media_file="")


@register_setting(icon="media")
class RadioSettings(BaseGenericSetting):
    """The portal's own video and podcast hosts, accepted for embeds besides the big ones."""

    peertube_hosts = models.TextField(
        _("instances PeerTube"),
        blank=True,
        help_text=_("Une par ligne, par exemple video.mon-quartier.fr"),
    )
    castopod_hosts = models.TextField(
        _("instances Castopod"),
        blank=True,
        help_text=_("Une par ligne, par exemple podcasts.mon-quartier.fr"),
    )

    panels = [FieldPanel("peertube_hosts"), FieldPanel("castopod_hosts")]

    class Meta:
        verbose_name = _("Radio & TV")

    def peertube_host_list(self) -> list[str]:
        return host_list(self.peertube_hosts)

    def castopod_host_list(self) -> list[str]:
        return host_list(self.castopod_hosts)

    def clean(self) -> None:
        for name in ("peertube_hosts", "castopod_hosts"):
            for line in getattr(self, name).splitlines():
                if line.strip() and not HOST_PATTERN.match(bare_host(line)):
                    raise ValidationError(
                        {name: _("« %(line)s » n'est pas un nom d'hôte.") % {"line": line.strip()}}
                    )


HOST_PATTERN = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)


def bare_host(line: str) -> str:
    """``https://Video.Example.org/`` -> ``video.example.org``: animators paste addresses."""
    host = line.strip().lower()
    host = host.split("://", 1)[-1]
    return host.split("/", 1)[0]


def host_list(text: str) -> list[str]:
    hosts = (bare_host(line) for line in text.splitlines())
    return [host for host in hosts if host and HOST_PATTERN.match(host)]
