"""The network's agenda, on the federation's portal: the upcoming events the portals share
with the network (``EventPage.shared_with_network``), as a page, an iCalendar file and an
RSS feed.

Everything is read from the federation index (``tenants.SharedEntry``, public schema),
never from a portal's schema: the cost does not grow with the number of portals. Only open
portals' events are listed (a suspended portal's leave at once), each crediting and
linking to its portal. The addresses answer on the federation's host only.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from core.views import federation_only
from portal.agenda.calendars import new_calendar
from portal.agenda.models import ical_response
from portal.listing import paginate
from tenants.addresses import portal_base_url
from tenants.models import SharedEntry

# A calendar application reads the whole file at each refresh: the next events only.
MAX_CALENDAR_EVENTS = 300
MAX_FEED_ITEMS = 50


def network_events():
    """The upcoming events the open portals share, soonest first, each with its portal."""
    return SharedEntry.objects.of_open_portals().upcoming_events().select_related("tenant")


def when_and_where(entry: SharedEntry) -> str:
    """``12/03/2027 18:00 · Centre social · Belleville en direct``: a feed item's first line."""
    when = timezone.localtime(entry.starts_at).strftime("%d/%m/%Y %H:%M")
    return " · ".join(part for part in (when, entry.place, entry.tenant.name) if part)


@federation_only
def agenda(request: HttpRequest) -> HttpResponse:
    """The network's agenda: the upcoming shared events, by date, with their portal."""
    events = paginate(request, network_events().prefetch_related("tenant__domains"))
    for entry in events:
        entry.portal_url = portal_base_url(entry.tenant) + "/"
    return render(request, "portal/agenda/network_agenda.html", {"events": events})


@federation_only
def agenda_calendar(request: HttpRequest) -> HttpResponse:
    """The network's agenda as one calendar to subscribe to (iCalendar, RFC 5545)."""
    calendar = new_calendar(_("Agenda du réseau · %(network)s") % {"network": request.tenant.name})
    for entry in network_events()[:MAX_CALENDAR_EVENTS]:
        calendar.add_component(_calendar_event(entry))
    return ical_response(calendar.to_ical(), "agenda-du-reseau.ics")


def _calendar_event(entry: SharedEntry) -> Event:
    event = Event()
    # The UID the event has in its own portal's calendar (``portal.agenda.calendars``): an
    # application subscribed to both shows it once.
    event.add("uid", f"event-{entry.page_id}@{urlsplit(entry.url).hostname}")
    event.add("summary", entry.title)
    event.add("dtstart", entry.starts_at.astimezone(datetime.UTC))
    event.add("dtend", (entry.ends_at or entry.starts_at).astimezone(datetime.UTC))
    stamp = entry.last_published_at or timezone.now()
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    location = ", ".join(part for part in (entry.place, entry.address) if part)
    if location:
        event.add("location", location)
    credit = _("Proposé par %(portal)s.") % {"portal": entry.tenant.name}
    event.add("description", f"{entry.summary}\n\n{credit}".strip())
    event.add("url", entry.url)
    return event


class NetworkAgendaFeed(Feed):
    """The network's upcoming events (RSS 2.0), each linking to its page on its portal."""

    request: HttpRequest

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return _("Agenda du réseau · %(network)s") % {"network": self.request.tenant.name}

    def link(self) -> str:
        return reverse("network-agenda")

    def description(self) -> str:
        return _("Les prochains événements que les médias de quartier partagent avec le réseau.")

    def items(self):
        return network_events()[:MAX_FEED_ITEMS]

    def item_title(self, entry: SharedEntry) -> str:
        return f"{entry.title} ({entry.tenant.name})"

    def item_description(self, entry: SharedEntry) -> str:
        return f"{when_and_where(entry)}. {entry.summary}".strip()

    def item_link(self, entry: SharedEntry) -> str:
        return entry.url

    def item_guid(self, entry: SharedEntry) -> str:
        return entry.url

    def item_author_name(self, entry: SharedEntry) -> str:
        return entry.tenant.name

    def item_pubdate(self, entry: SharedEntry) -> datetime.datetime | None:
        return entry.first_published_at

    def item_updateddate(self, entry: SharedEntry) -> datetime.datetime | None:
        return entry.last_published_at


@federation_only
def agenda_feed(request: HttpRequest) -> HttpResponse:
    """The network's agenda as an RSS feed (one ``Feed`` per request: it keeps the request)."""
    return NetworkAgendaFeed()(request)
