"""Reading an outside iCal feed: fetched through the SSRF guard, parsed with ``icalendar``,
each VEVENT turned into a ``FeedEvent`` of plain text and Paris times.

Nothing here writes: ``portal.agenda.ical_import`` decides what the events do to pages.

Choices, and why:
- Recurring events (RRULE, RDATE) keep their first occurrence only, and say so on the
  page: the agenda has one page per event and no notion of series; expanding a weekly
  "permanence" would make fifty pages. Occurrences overridden by a RECURRENCE-ID are
  not events of their own and are passed over.
- Everything textual is made plain text (``nh3`` removes every tag, and the content of
  ``script`` and ``style``): a feed is written by strangers, and a page shows only what
  its templates escape.
- An event is known by its UID; a change is noticed by a digest of what the page would
  show, not by SEQUENCE or LAST-MODIFIED, which many producers never raise (and DTSTAMP
  changes at every export).
- Times are truncated to the minute (the admin's date widget keeps no seconds: an
  animator saving the page unchanged must not look like an edit).
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import re
import zoneinfo
from dataclasses import asdict, dataclass, field

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from icalendar import Calendar

from core import outbound
from portal.agenda.subscriptions import web_address

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# An event that began longer ago than this (and is over) is not brought in.
PAST_LIMIT = datetime.timedelta(days=30)
# More events than this in one feed is not an agenda but a dump: refused whole.
MAX_EVENTS = 500
UNTITLED = "Événement sans titre"
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # \v and \f are folded as blanks


class FeedError(Exception):
    """A feed that cannot be imported; the message, in French, says why to the animator."""


@dataclass(frozen=True)
class FeedEvent:
    """One event of a feed, as the agenda would show it."""

    uid: str
    title: str
    start: datetime.datetime
    end: datetime.datetime
    place_name: str
    address: str
    description: str
    url: str
    recurring: bool

    def digest(self) -> str:
        """What the feed says of the event, hashed: another digest means a change."""
        values = asdict(self)
        values["start"], values["end"] = self.start.isoformat(), self.end.isoformat()
        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


@dataclass
class Feed:
    """The events of a feed worth importing, and the UIDs it holds that were left aside
    (past, or unreadable): those are not "removed at the source"."""

    events: list[FeedEvent] = field(default_factory=list)
    passed_over: set[str] = field(default_factory=set)
    unreadable: int = 0


def fetch_feed(url: str) -> bytes:
    """The feed's bytes, through ``core.outbound`` (public addresses only, size and time
    limits); any failure is a ``FeedError`` in French."""
    try:
        response = outbound.fetch(url, headers={"Accept": "text/calendar, */*;q=0.5"})
    except outbound.OutboundError as error:
        raise FeedError(_("Flux injoignable : %(error)s") % {"error": error}) from error
    if response.status == 404 or response.status == 410:
        raise FeedError(
            _("Le flux est introuvable (erreur %(status)s) : vérifiez son adresse.")
            % {"status": response.status}
        )
    if response.status != 200:
        raise FeedError(
            _("Le serveur de l'agenda a répondu par une erreur (%(status)s).")
            % {"status": response.status}
        )
    return response.body


def plain(value: object, limit: int) -> str:
    """``value`` as plain text of at most ``limit`` characters: tags (and scripts) gone,
    entities decoded, blank runs folded (new lines kept between paragraphs)."""
    text = html.unescape(nh3.clean(str(value or ""), tags=set()))
    # Control characters (but new lines and tabs) have no place in a page, and XML 1.0
    # refuses them: kept, they made the agenda's RSS feed fail for every visitor.
    text = _CONTROL.sub("", text)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text[:limit].strip()


def _moment(value: datetime.date | datetime.datetime, end_of_day: bool = False):
    """A DTSTART/DTEND value as an aware Paris time, to the minute. A date (all-day event)
    is its first minute, or with ``end_of_day`` its last."""
    if isinstance(value, datetime.datetime):
        moment = value.replace(tzinfo=PARIS) if value.tzinfo is None else value.astimezone(PARIS)
    else:
        moment = datetime.datetime.combine(
            value, datetime.time(23, 59) if end_of_day else datetime.time.min, tzinfo=PARIS
        )
    return moment.replace(second=0, microsecond=0)


def _when(component) -> tuple[datetime.datetime, datetime.datetime]:
    start_value = component.decoded("DTSTART")
    start = _moment(start_value)
    is_date = not isinstance(start_value, datetime.datetime)
    if "DTEND" in component:
        end_value = component.decoded("DTEND")
        if not isinstance(end_value, datetime.datetime):
            # An all-day event's DTEND is the day after its last (RFC 5545, 3.6.1).
            end_value = max(end_value - datetime.timedelta(days=1), start.date())
            end = _moment(end_value, end_of_day=True)
        else:
            end = _moment(end_value)
    elif "DURATION" in component:
        end = (start + component.decoded("DURATION")).replace(second=0, microsecond=0)
    else:
        end = _moment(start_value, end_of_day=True) if is_date else start
    return start, max(start, end)


def _place(component) -> tuple[str, str]:
    """LOCATION is one line ("Salle des fêtes, 12 rue X, Paris"): the part before the
    first comma names the place, the rest is its address."""
    location = plain(component.get("LOCATION"), 455).replace("\n", ", ")
    name, _comma, address = location.partition(",")
    return name.strip()[:200], address.strip()[:255]


def _uid(component) -> str:
    """The event's UID, without NUL characters: PostgreSQL refuses them in text, and one
    such event would otherwise fail the whole feed at every run."""
    return str(component.get("UID") or "").replace("\x00", "").strip()[:500]


def _link(component) -> str:
    url = str(component.get("URL") or "").strip()
    if any(ord(character) < 32 for character in url):
        return ""  # a control character (NUL above all) makes no address worth linking
    try:
        web_address(url)
    except ValidationError:
        return ""
    return url[:500]


def _event(component) -> FeedEvent:
    start, end = _when(component)
    place_name, address = _place(component)
    return FeedEvent(
        uid=_uid(component),
        title=plain(component.get("SUMMARY"), 255).replace("\n", " ") or UNTITLED,
        start=start,
        end=end,
        place_name=place_name,
        address=address,
        description=plain(component.get("DESCRIPTION"), 10_000),
        url=_link(component),
        recurring="RRULE" in component or "RDATE" in component,
    )


def read_feed(body: bytes, now: datetime.datetime) -> Feed:
    """The events of an iCal file worth importing at ``now``.

    Raises ``FeedError`` when the file is no iCalendar or holds more than ``MAX_EVENTS``.
    An event that cannot be read (no UID, no start, a value ``icalendar`` refuses) is
    counted and left aside, not the whole feed: one odd event must not stop an agenda.
    Cancelled events (STATUS:CANCELLED) are absent, as if removed at the source.
    """
    try:
        calendar = Calendar.from_ical(body)
    except Exception as error:  # icalendar raises ValueError, IndexError, KeyError...
        raise FeedError(
            _("Ce fichier n'est pas un agenda iCal lisible : vérifiez l'adresse du flux.")
        ) from error
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise FeedError(_("Ce fichier n'est pas un agenda iCal (VCALENDAR attendu)."))
    components = [c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" not in c]
    if len(components) > MAX_EVENTS:
        raise FeedError(
            _("Ce flux contient %(count)d événements : au-delà de %(max)d, il n'est pas importé.")
            % {"count": len(components), "max": MAX_EVENTS}
        )
    feed = Feed()
    for component in components:
        uid = _uid(component)
        if not uid or "DTSTART" not in component:
            feed.unreadable += 1
            continue
        try:
            event = _event(component)
        except Exception:  # a malformed date or duration in this event only
            feed.unreadable += 1
            feed.passed_over.add(uid)
            continue
        if str(component.get("STATUS") or "").upper() == "CANCELLED":
            continue
        if event.start < now - PAST_LIMIT and event.end < now:
            feed.passed_over.add(event.uid)
            continue
        feed.events.append(event)
    return feed
