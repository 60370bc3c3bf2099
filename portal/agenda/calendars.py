"""The agenda as iCalendar files (RFC 5545), for residents' calendar applications."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

if TYPE_CHECKING:
    from portal.agenda.models import EventIndexPage, EventPage


def new_calendar(name: str) -> Calendar:
    """An empty calendar named ``name``, with the properties every application expects."""
    calendar = Calendar()
    calendar.add("prodid", "-//Quartiers//Agenda des médias citoyens//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    return calendar


def _event(page: EventPage, request: HttpRequest) -> Event:
    return _event_at(page, request.get_host().split(":")[0], page.get_full_url(request))


def _event_at(page: EventPage, host: str, url: str) -> Event:
    event = Event()
    event.add("uid", f"event-{page.pk}@{host}")
    event.add("summary", page.title)
    # Times are written in UTC: every calendar application converts them correctly,
    # with no VTIMEZONE block to get wrong around summer time.
    event.add("dtstart", page.start.astimezone(datetime.UTC))
    event.add("dtend", page.end.astimezone(datetime.UTC))
    event.add("dtstamp", (page.last_published_at or timezone.now()).astimezone(datetime.UTC))
    location = ", ".join(part for part in (page.place_name, page.address) if part)
    if location:
        event.add("location", location)
    description = strip_tags(page.intro).strip()
    if description:
        event.add("description", description)
    event.add("url", url)
    event.add("categories", [page.get_category_display()])
    return event


def event_calendar(page: EventPage, request: HttpRequest) -> bytes:
    """One event, as a calendar file."""
    calendar = new_calendar(page.title)
    calendar.add_component(_event(page, request))
    return calendar.to_ical()


def event_calendar_at(page: EventPage, base_url: str) -> bytes:
    """One event as a calendar file, outside a request (an e-mail's attachment): links on
    ``base_url``, the portal's own address."""
    calendar = new_calendar(page.title)
    parts = page.get_url_parts()
    host = base_url.split("://", 1)[-1].split(":")[0]
    calendar.add_component(_event_at(page, host, base_url + (parts[2] if parts else "/")))
    return calendar.to_ical()


def agenda_calendar(index: EventIndexPage, events: Iterable[EventPage], request) -> bytes:
    """Every upcoming event of the agenda, as one calendar to subscribe to."""
    calendar = new_calendar(f"{index.title} · {request.tenant.name}")
    for page in events:
        calendar.add_component(_event(page, request))
    return calendar.to_ical()
