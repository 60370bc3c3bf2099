"""The agenda: round tables, trainings, workshops and breakfasts of the neighbourhood."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from core.blocks import BodyBlock
from core.choices import choice_label
from core.latest import Reading
from core.page_routes import ExtensibleRoutablePageMixin
from core.pages import CoverMixin, PortalPage, PortalPageQuerySet, SectionPage
from core.query_moment import query_moment
from core.read_ahead import relations_reading
from portal.agenda.calendars import agenda_calendar, event_calendar
from portal.agenda.feeds import EventFeed
from portal.agenda.subscriptions import web_address
from portal.listing import paginate
from tenants.sharing import SharedFields, SharedWithNetwork, plain_text


class EventQuerySet(PortalPageQuerySet):
    def upcoming(self, now: datetime.datetime | None = None) -> EventQuerySet:
        """Events not over yet, soonest first."""
        return self.filter(end__gte=now or query_moment()).order_by("start", "pk")

    def past(self, now: datetime.datetime | None = None) -> EventQuerySet:
        """Events already over, most recent first."""
        return self.filter(end__lt=now or query_moment()).order_by("-start", "-pk")

    def in_month(self, year: int, month: int) -> EventQuerySet:
        """Events that overlap the given month (Europe/Paris)."""
        tz = timezone.get_current_timezone()
        first = datetime.datetime(year, month, 1, tzinfo=tz)
        following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        return self.filter(start__lt=following, end__gte=first).order_by("start", "pk")


EventManager = PageManager.from_queryset(EventQuerySet)


class EventIndexPage(RoutablePageMixin, SectionPage):
    """The agenda ("Agenda"): upcoming and past events, by month, as iCal and RSS."""

    template = "portal/agenda/event_index_page.html"
    subpage_types = ["portal.EventPage", "portal.MediaEducationCyclePage"]

    class Meta:
        verbose_name = _("rubrique Agenda")

    def events(self) -> EventQuerySet:
        return EventPage.objects.live().public().child_of(self)

    @path("")
    def upcoming(self, request):
        return self._listing(request, self.events().upcoming(), period="upcoming")

    @path("passes/")
    def past(self, request):
        return self._listing(request, self.events().past(), period="past")

    @re_path(r"^mois/(?P<year>\d{4})-(?P<month>\d{2})/$")
    def month(self, request, year: str, month: str):
        year_number, month_number = int(year), int(month)
        if not (1 <= month_number <= 12 and 2000 <= year_number <= 2100):
            raise Http404
        events = self.events().in_month(year_number, month_number)
        shown = datetime.date(year_number, month_number, 1)
        return self._listing(request, events, period="month", month=shown)

    @path("ical/")
    def ical(self, request):
        calendar = agenda_calendar(self, self.events().upcoming(), request)
        return ical_response(calendar, f"agenda-{self.slug}.ics")

    @path("rss/")
    def rss(self, request):
        return EventFeed()(request, index_page=self)

    def _listing(self, request, events, period: str, month: datetime.date | None = None):
        today = timezone.localdate()
        current = month or today.replace(day=1)
        previous = (current - datetime.timedelta(days=1)).replace(day=1)
        following = (current + datetime.timedelta(days=32)).replace(day=1)
        return self.render(
            request,
            context_overrides={
                "events": paginate(request, events),
                "period": period,
                "month": month,
                "previous_month": previous,
                "next_month": following,
            },
        )


def ical_response(calendar_bytes: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(calendar_bytes, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EventPage(CoverMixin, ExtensibleRoutablePageMixin, SharedWithNetwork, PortalPage):
    """An event of the agenda: when, where, for whom, and how to come."""

    class Category(models.TextChoices):
        ROUND_TABLE = "round_table", _("Table ronde « Paroles de territoires »")
        MEDIA_LITERACY = "media_literacy", _("Formation d'éducation aux médias")
        PITCH = "pitch", _("Atelier pitch")
        BREAKFAST = "breakfast", _("Petit-déjeuner réseau")
        WORKSHOP = "workshop", _("Atelier participatif")
        OTHER = "other", _("Autre")

    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    category = models.CharField(
        _("type d'événement"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    intro = RichTextField(_("présentation courte"), blank=True, features=["bold", "italic"])
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    place_name = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    # Where the place is on a map: Mobilizon shows the event on its map with them.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Facultatif, par exemple 48.87211 : pour la carte de Mobilizon."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Facultatif, par exemple 2.38542."),
    )
    audience = models.CharField(
        _("public"), max_length=200, blank=True, help_text=_("Par exemple « Tout public »")
    )
    organiser = models.CharField(_("organisé par"), max_length=200, blank=True)
    registration_url = models.URLField(_("lien d'inscription"), blank=True)
    places = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    registrations_open = models.BooleanField(
        _("inscriptions sur le portail"),
        default=False,
        help_text=_(
            "Les habitants s'inscrivent ici (nom, e-mail, nombre de personnes) : confirmation "
            "par e-mail, liste d'attente quand c'est complet, rappel la veille."
        ),
    )
    actors = ParentalManyToManyField(
        "portal.Actor", verbose_name=_("acteurs locaux concernés"), blank=True, related_name="+"
    )
    shared_with_network = models.BooleanField(
        _("partager avec le réseau"),
        default=False,
        help_text=_(
            "L'événement apparaît aussi dans l'agenda du réseau, sur le portail de la "
            "fédération (titre, dates, lieu, présentation courte)."
        ),
    )
    # Filled by the import of an outside agenda (portal.agenda.ical_import): where the
    # event comes from, credited and linked on its page.
    source_name = models.CharField(_("source"), max_length=120, blank=True)
    source_url = models.URLField(
        _("lien vers la source"), max_length=500, blank=True, validators=[web_address]
    )

    objects = EventManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("category")],
            heading=_("Quand"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place_name"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Où"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        *CoverMixin.cover_panels,
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("organiser"),
                FieldPanel("registrations_open"),
                FieldPanel("places"),
                FieldPanel("registration_url"),
                FieldPanel("actors"),
            ],
            heading=_("Participer"),
        ),
        FieldPanel("shared_with_network", heading=_("Partage")),
        MultiFieldPanel(
            [FieldPanel("source_name"), FieldPanel("source_url")],
            heading=_("Origine"),
            help_text=_("Rempli par l'import d'un agenda suivi."),
            classname="collapsed",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("place_name"),
        index.FilterField("start"),
        index.FilterField("end"),
    ]

    template = "portal/agenda/event_page.html"
    parent_page_types = ["portal.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def readings(self, request: HttpRequest | None) -> dict[str, Reading]:
        """The cover, and the relations the page lists, read before it renders."""
        return {**super().readings(request), "relations": relations_reading(self, ["actors"])}

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("La fin doit venir après le début.")})

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    def get_category_display(self) -> str:
        """The category's label, as Django's own gives it, without translating every
        choice's (``core.choices``): shown on every card of the agenda."""
        return choice_label(self.Category, self.category)

    def shared_fields(self) -> SharedFields | None:
        """Shared only when its editor ticked "partager avec le réseau": what the network's
        agenda, its iCal and RSS show of it."""
        if not self.shared_with_network:
            return None
        return SharedFields(
            kind="event",
            module="",
            title=self.title,
            summary=plain_text(self.intro),
            tags=[],
            starts_at=self.start,
            ends_at=self.end,
            place=self.place_name,
            address=self.address,
        )

    @path("")
    def detail(self, request):
        return self.render(request)

    @path("ical/")
    def ical(self, request):
        return ical_response(event_calendar(self, request), f"{self.slug}.ics")
