"""The shared address book, written out: CSV, vCard and GeoJSON of a selection of actors.

Only public fields ever leave the portal this way: the animators' private fields
(``contact_person``, ``notes``) are in no column, no card property, no GeoJSON property.
The CSV columns are the ones ``portal/actors/csv_import.py`` reads back.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from html import unescape

import vobject
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines

from core.spreadsheets import spreadsheet_text
from portal.actors.models import Actor

# The public fields, in the order of the CSV columns (headers in French, as animators
# read them in a spreadsheet). Private fields are deliberately absent.
CSV_COLUMNS = [
    ("id", "id"),
    ("nom", "name"),
    ("type", "kind"),
    ("thèmes", "themes"),
    ("adresse", "address"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("horaires", "opening_hours"),
    ("site web", "website"),
    ("e-mail", "public_email"),
    ("téléphone", "public_phone"),
    ("présentation", "description"),
]
PRIVATE_FIELDS = ("contact_person", "notes")
# French spreadsheets open ";"-separated files in columns; the import reads both.
CSV_DELIMITER = ";"


def description_text(actor: Actor) -> str:
    """The actor's presentation as plain text (paragraphs kept as line breaks)."""
    html = actor.description.replace("</p>", "</p>\n").replace("<br>", "\n")
    return normalize_newlines(unescape(strip_tags(html))).strip()


def _themes(actor: Actor) -> list[str]:
    return actor.theme_names()


def _csv_value(actor: Actor, field: str) -> str:
    if field == "kind":
        return actor.kind
    if field == "themes":
        return ", ".join(_themes(actor))
    if field == "description":
        return description_text(actor)
    value = getattr(actor, field)
    return "" if value is None else str(value)


def to_csv(actors: Iterable[Actor]) -> str:
    """A CSV file (with a BOM, so that spreadsheets read it as UTF-8), one actor a line;
    no cell can run as a formula (``core.spreadsheets``)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([header for header, _field in CSV_COLUMNS])
    for actor in actors:
        writer.writerow(
            [spreadsheet_text(_csv_value(actor, field)) for _header, field in CSV_COLUMNS]
        )
    return out.getvalue()


def to_vcard(actors: Iterable[Actor], url_of: Callable[[Actor], str] = lambda actor: "") -> str:
    """vCard 3.0 cards, one per actor, as an organisation (its public contact only)."""
    cards = []
    for actor in actors:
        card = vobject.vCard()
        card.add("fn").value = actor.name
        card.add("n").value = vobject.vcard.Name(family=actor.name)
        card.add("org").value = [actor.name]
        card.add("x-abshowas").value = "COMPANY"
        card.add("categories").value = [actor.get_kind_display(), *_themes(actor)]
        if actor.address:
            address = card.add("adr")
            address.value = vobject.vcard.Address(street=actor.address)
            address.type_param = "WORK"
        if actor.is_located:
            card.add("geo").value = f"{actor.latitude};{actor.longitude}"
        if actor.public_phone:
            phone = card.add("tel")
            phone.value = actor.public_phone
            phone.type_param = "WORK"
        if actor.public_email:
            email = card.add("email")
            email.value = actor.public_email
            email.type_param = "INTERNET"
        if actor.website:
            card.add("url").value = actor.website
        elif url_of(actor):
            card.add("url").value = url_of(actor)
        note = "\n\n".join(
            part for part in (description_text(actor), actor.opening_hours.strip()) if part
        )
        if note:
            card.add("note").value = note
        cards.append(card.serialize())
    return "".join(cards)


def _coordinate(value: Decimal) -> float:
    # RFC 7946 recommends at most 6 decimals (about 10 cm), which is what is stored.
    return float(round(value, 6))


def feature(actor: Actor, url: str = "") -> dict:
    """One RFC 7946 Feature: a Point in [longitude, latitude] order, or no geometry."""
    geometry = None
    if actor.is_located:
        geometry = {
            "type": "Point",
            "coordinates": [_coordinate(actor.longitude), _coordinate(actor.latitude)],
        }
    return {
        "type": "Feature",
        "id": actor.pk,
        "geometry": geometry,
        "properties": {
            "name": actor.name,
            "kind": actor.kind,
            "kind_label": str(actor.get_kind_display()),
            "themes": _themes(actor),
            "address": actor.address,
            "opening_hours": actor.opening_hours,
            "website": actor.website,
            "email": actor.public_email,
            "phone": actor.public_phone,
            "description": description_text(actor),
            "url": url,
        },
    }


def to_geojson_data(
    actors: Iterable[Actor], url_of: Callable[[Actor], str] = lambda actor: ""
) -> dict:
    """A GeoJSON FeatureCollection of ``actors`` (actors without coordinates have a null
    geometry, which RFC 7946 allows, so that other maps can still list them)."""
    return {
        "type": "FeatureCollection",
        "features": [feature(actor, url_of(actor)) for actor in actors],
    }


def to_geojson(actors: Iterable[Actor], url_of: Callable[[Actor], str] = lambda actor: "") -> str:
    return json.dumps(to_geojson_data(actors, url_of), ensure_ascii=False)


def story_feature(story, url: str = "") -> dict:
    """A resident's story as a Feature: what its public page shows, nothing more (no e-mail,
    no place typed by its author, no name: the collection can travel to other maps)."""
    geometry = None
    if story.is_located:
        geometry = {
            "type": "Point",
            "coordinates": [_coordinate(story.longitude), _coordinate(story.latitude)],
        }
    return {
        "type": "Feature",
        "id": f"recit-{story.pk}",
        "geometry": geometry,
        "properties": {
            "layer": "stories",
            "name": story.title,
            "kind": story.kind,
            "kind_label": str(story.get_kind_display()),
            "text": story.text,
            "url": url,
        },
    }


def stories_geojson_data(stories: Iterable, url_of: Callable = lambda story: "") -> dict:
    """The residents' stories in a FeatureCollection of their own."""
    return {
        "type": "FeatureCollection",
        "features": [story_feature(story, url_of(story)) for story in stories],
    }
