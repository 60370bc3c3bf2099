"""The portal's public events as ActivityPub ``Event`` objects, in the shape Mobilizon
reads them (its converter, ``lib/federation/activity_stream/converter/event.ex`` and
``address.ex``), and the agenda actor's ``Announce`` of them.

Only the portal's own events go out: live, readable by anyone (no restriction on them or
above them), and not imported from another agenda (``source_name`` / ``source_url``
filled by ``portal.agenda.ical_import``): those are someone else's, announced by their
own organiser.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from wagtail.rich_text import expand_db_html

from fediverse import agenda_actor
from fediverse.documents import (
    AS_CONTEXT,
    OUTBOX_PAGE_SIZE,
    PUBLIC,
    actor_id,
    address,
    base_url,
    collection_summary,
    this_portal,
)
from portal.public import EventPage

# The JSON-LD context Mobilizon sends with its events (``make_json_ld_header`` of its
# ``Mobilizon.Federation.ActivityPub.Utils``), trimmed to the terms these events use, plus
# the Mobilizon terms its converter reads that its own context leaves undefined
# (``timezone``, ``externalParticipationUrl``): Mobilizon reads the JSON's keys, not the
# expanded graph, so these only help a JSON-LD processor.
MOBILIZON_CONTEXT: list[Any] = [
    AS_CONTEXT,
    "https://litepub.social/context.jsonld",
    {
        "sc": "http://schema.org#",
        "ical": "http://www.w3.org/2002/12/cal/ical#",
        "mz": "https://joinmobilizon.org/ns#",
        "category": "sc:category",
        "location": {"@id": "sc:location", "@type": "sc:Place"},
        "PostalAddress": "sc:PostalAddress",
        "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
        "addressCountry": "sc:addressCountry",
        "addressRegion": "sc:addressRegion",
        "postalCode": "sc:postalCode",
        "addressLocality": "sc:addressLocality",
        "streetAddress": "sc:streetAddress",
        "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
        "joinModeType": {"@id": "mz:joinModeType", "@type": "rdfs:Class"},
        "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
        "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "sc:URL"},
        "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
    },
]

# The portal's kinds of events in Mobilizon's categories (``Mobilizon.Events.Categories``;
# an unknown one becomes its default, MEETING).
MOBILIZON_CATEGORIES = {
    EventPage.Category.ROUND_TABLE: "COMMUNITY",
    EventPage.Category.MEDIA_LITERACY: "LEARNING",
    EventPage.Category.PITCH: "NETWORKING",
    EventPage.Category.BREAKFAST: "NETWORKING",
    EventPage.Category.WORKSHOP: "COMMUNITY",
    EventPage.Category.OTHER: "MEETING",
}
DEFAULT_COUNTRY = "France"
BANNER = "Banner"  # the attachment Mobilizon takes as the event's picture
# "12 rue des Envierges, 75020 Paris": a street, a French postcode, a town.
POSTAL = re.compile(r"^(?P<street>.*?)[\s,]*\b(?P<code>\d{5})\s+(?P<town>[^,]+?)\s*$")


def public_events():
    """The events that may go out: the portal's own, live and public."""
    return (
        EventPage.objects.live()
        .public()
        .filter(source_name="", source_url="")
        .select_related("locale", "cover")
        .order_by("-first_published_at", "-pk")
    )


def is_announced(page: EventPage) -> bool:
    """True when ``page`` may go out now (``public_events``)."""
    return public_events().filter(pk=page.pk).exists()


def is_imported(page: EventPage) -> bool:
    """True when ``page`` came from another agenda: never announced."""
    return bool(page.source_name or page.source_url)


# Where the Events live (``/ap/events/<id>``), and the folder of their tombstones.
EVENTS_FOLDER = "events"


def event_id(page: EventPage) -> str:
    """``https://<host>/ap/events/<id>``: the Event's id, which answers while it is public."""
    return address(f"{EVENTS_FOLDER}/{page.pk}")


def _absolute(url: str) -> str:
    return url if "://" in url else base_url() + url


def postal_address(text: str) -> dict[str, str]:
    """``text`` (a French postal address on one line) as a schema.org ``PostalAddress``;
    the portal's town when the text names none."""
    found = POSTAL.match(text.strip())
    street, code, town = (
        (found["street"].strip(" ,"), found["code"], found["town"])
        if found
        else (text.strip(), "", this_portal().city)
    )
    return {
        "type": "PostalAddress",
        "streetAddress": street,
        "postalCode": code,
        "addressLocality": town,
        "addressRegion": "",
        "addressCountry": DEFAULT_COUNTRY,
    }


def place(page: EventPage) -> dict[str, Any] | None:
    """Where the event happens as a ``Place`` (Mobilizon's address converter), its
    coordinates as numbers (Mobilizon keeps them only as floats)."""
    if not (page.place_name or page.address):
        return None
    found: dict[str, Any] = {
        "type": "Place",
        "name": page.place_name or page.address,
        "address": postal_address(page.address),
    }
    if isinstance(page.latitude, Decimal) and isinstance(page.longitude, Decimal):
        found["latitude"] = float(page.latitude)
        found["longitude"] = float(page.longitude)
    return found


def _content(page: EventPage) -> str:
    """The intro as HTML, then the description as plain paragraphs (its blocks' own
    markup, embeds and relative links, is the portal's; the page's link carries it)."""
    intro = expand_db_html(page.intro or "")
    body = strip_tags(str(page.body)).strip() if page.body else ""
    if body:
        intro += f"<p>{escape(Truncator(body).chars(2000))}</p>"
    return intro


def _banner(page: EventPage) -> dict[str, str] | None:
    if page.cover is None:
        return None
    rendition = page.cover.get_rendition("fill-1200x675|format-jpeg")
    return {
        "type": "Document",
        "mediaType": "image/jpeg",
        "url": _absolute(rendition.url),
        "name": BANNER,
        "summary": page.cover_alt,
    }


def participation_url(page: EventPage) -> str | None:
    """Where one registers: the event's page when registrations are taken there, else
    the organiser's registration link."""
    if page.registrations_open:
        return _absolute(page.get_url())
    return page.registration_url or None


def event_object(page: EventPage) -> dict[str, Any]:
    """``page`` as the ``Event`` Mobilizon reads (its ``Converter.Event.as_to_model_data``)."""
    zone = timezone.get_current_timezone()
    published = page.first_published_at or page.last_published_at
    me = actor_id()
    event: dict[str, Any] = {
        "id": event_id(page),
        "type": "Event",
        "name": page.title,
        "content": _content(page),
        "summary": Truncator(strip_tags(page.intro or "")).chars(500),
        "mediaType": "text/html",
        "url": _absolute(page.get_url()),
        "actor": me,
        "attributedTo": me,
        "to": [PUBLIC],
        "cc": [agenda_actor.agenda_address("followers")],
        "startTime": page.start.astimezone(zone).isoformat(),
        "endTime": page.end.astimezone(zone).isoformat(),
        "timezone": str(zone),
        "category": MOBILIZON_CATEGORIES.get(page.category, "MEETING"),
        "ical:status": "CONFIRMED",
        "status": "CONFIRMED",
        "joinMode": "external",
        "externalParticipationUrl": participation_url(page),
        "maximumAttendeeCapacity": page.places,
        "inLanguage": page.locale.language_code,
        "published": published.isoformat() if published else None,
        "updated": (page.last_published_at or published).isoformat() if published else None,
        "commentsEnabled": False,
        "attachment": [],
        "isOnline": False,
        "draft": False,
    }
    if location := place(page):
        event["location"] = location
    if banner := _banner(page):
        event["attachment"].append(banner)
    return event


def announce_activity(page: EventPage) -> dict[str, Any]:
    """The agenda actor's ``Announce`` of ``page``'s Event (Mobilizon's relays take the
    events they list from such announces; it fetches the object by its id)."""
    event = event_object(page)
    me = agenda_actor.actor_id()
    return {
        "@context": MOBILIZON_CONTEXT,
        "id": f"{event['id']}/announces/agenda",
        "type": "Announce",
        "actor": me,
        "object": event,
        "published": event["published"],
        "to": [agenda_actor.agenda_address("followers"), event["attributedTo"]],
        "cc": [PUBLIC],
    }


def update_activity(page: EventPage) -> dict[str, Any]:
    """The ``Update`` of ``page``'s Event, from the agenda actor (Mobilizon checks that the
    sender is of the object's server, then takes the object it carries)."""
    event = event_object(page)
    return {
        "@context": MOBILIZON_CONTEXT,
        "id": f"{event['id']}/updates/{page.last_published_at.timestamp()}",
        "type": "Update",
        "actor": agenda_actor.actor_id(),
        "object": event,
        "to": event["to"],
        "cc": event["cc"],
    }


def delete_activity(page: EventPage) -> dict[str, Any]:
    """The ``Delete`` of ``page``'s Event (its address answers 410 from then on)."""
    object_id = event_id(page)
    return {
        "@context": AS_CONTEXT,
        "id": f"{object_id}#delete",
        "type": "Delete",
        "actor": agenda_actor.actor_id(),
        "object": {"id": object_id, "type": "Tombstone", "formerType": "Event"},
        "to": [PUBLIC],
        "cc": [agenda_actor.agenda_address("followers")],
    }


def outbox(page_number: int | None) -> dict[str, Any]:
    """The agenda's outbox: its size and first page, or page ``page_number`` of its
    announces (``EmptyPage`` past its end)."""
    # Every address below is built from the portal's primary domain: read once, not once
    # an address (the portal is the request's own object, kept for the whole answer).
    prefetch_related_objects([this_portal()], "domains")
    paginator = Paginator(public_events(), OUTBOX_PAGE_SIZE)
    collection = agenda_actor.agenda_address("outbox")
    if page_number is None:
        return collection_summary(collection, paginator)
    page = paginator.page(page_number)
    document: dict[str, Any] = {
        "@context": MOBILIZON_CONTEXT,
        "id": f"{collection}?page={page_number}",
        "type": "OrderedCollectionPage",
        "partOf": collection,
        "orderedItems": [
            {key: value for key, value in announce_activity(event).items() if key != "@context"}
            for event in page.object_list
        ],
    }
    if page.has_next():
        document["next"] = f"{collection}?page={page_number + 1}"
    if page.has_previous():
        document["prev"] = f"{collection}?page={page_number - 1}"
    return document
