"""The workshop cycle, from the animator's side: the questionnaire sent to the actors of
the theme beforehand, the thematic address book sent to the participants afterwards, and
what the portal's workshops keep saying (recurring brakes and levers).

The questionnaire is a consultation page (``consultations.public``); its answers are
counted there. The address book is a page reached by a signed link
(``portal.workshops.tokens``), with the actors of the theme (their public contact only)
and the participants who agreed to be listed (name, structure, e-mail): it goes to those
participants only.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import vobject
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from consultations.public import answer_count
from core.abuse import one_line
from core.spreadsheets import spreadsheet_text
from portal.actors.exports import to_vcard
from portal.actors.models import Actor, ActorQuerySet
from portal.workshops.models import WorkshopAttendee, WorkshopPage
from portal.workshops.seeds import page_path
from portal.workshops.tokens import address_book_token
from tenants.addresses import current_portal, portal_base_url

CSV_DELIMITER = ";"


def theme_actors(workshop: WorkshopPage) -> ActorQuerySet:
    """The actors of the workshop's theme (same theme name, case aside), by name."""
    if not workshop.theme.strip():
        return Actor.objects.none()
    return (
        Actor.objects.filter(themes__name__iexact=workshop.theme.strip())
        .distinct()
        .prefetch_related("themes")
        .order_by("name")
    )


def listed_attendees(workshop: WorkshopPage) -> list[WorkshopAttendee]:
    """The participants who agreed to be listed in (and to receive) the address book."""
    return list(workshop.attendees.filter(listed=True).order_by("name", "pk"))


# --- The questionnaire -------------------------------------------------------------------


def questionnaire_answers(workshop: WorkshopPage) -> int | None:
    """How many answers the workshop's questionnaire counts; None without a questionnaire."""
    if workshop.questionnaire_id is None:
        return None
    return answer_count(workshop.questionnaire_id)


def send_questionnaire(workshop: WorkshopPage) -> tuple[int, list[Actor]]:
    """E-mail the questionnaire's link to each actor of the theme that has an address.

    Returns how many were sent and the actors left out (no address). Nothing is sent for
    a workshop without a live questionnaire.
    """
    questionnaire = workshop.questionnaire
    portal = current_portal()
    if questionnaire is None or not questionnaire.live or portal is None:
        return 0, []
    link = portal_base_url(portal) + page_path(questionnaire)
    sent, left_out = 0, []
    for actor in theme_actors(workshop):
        if not actor.public_email:
            left_out.append(actor)
            continue
        EmailMessage(
            subject=one_line(
                f"[{portal.name}] "
                + _("Votre avis avant l'atelier « %(workshop)s »") % {"workshop": workshop.title}
            ),
            body=render_to_string(
                "portal/workshops/emails/questionnaire.txt",
                {"actor": actor, "workshop": workshop, "link": link, "portal": portal},
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[actor.public_email],
        ).send()
        sent += 1
    return sent, left_out


# --- The thematic address book -----------------------------------------------------------


def address_book_url(attendee: WorkshopAttendee, route: str = "address_book") -> str:
    """The absolute address of ``attendee``'s address book (or of one of its files)."""
    section = attendee.workshop.get_parent().specific
    path = section.reverse_subpage(route, args=[address_book_token(attendee.pk, attendee.email)])
    return portal_base_url(current_portal()) + section.url + path


def send_address_books(workshop: WorkshopPage) -> int:
    """E-mail each participant who agreed to be listed the link to the address book."""
    portal = current_portal()
    if portal is None:
        return 0
    sent = 0
    for attendee in listed_attendees(workshop):
        if not attendee.email:
            continue
        EmailMessage(
            subject=one_line(
                f"[{portal.name}] "
                + _("Le carnet d'adresses de l'atelier « %(workshop)s »")
                % {"workshop": workshop.title}
            ),
            body=render_to_string(
                "portal/workshops/emails/address_book.txt",
                {
                    "attendee": attendee,
                    "workshop": workshop,
                    "link": address_book_url(attendee),
                    "portal": portal,
                },
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[attendee.email],
        ).send()
        sent += 1
    return sent


def address_book_csv(actors: Iterable[Actor], attendees: Iterable[WorkshopAttendee]) -> str:
    """One line per actor (public contact) and per listed participant; no formula can run
    (``core.spreadsheets``); a BOM so that spreadsheets read UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(["nom", "structure", "qualité", "e-mail", "téléphone", "site web"])
    rows = [
        [a.name, a.name, a.get_kind_display(), a.public_email, a.public_phone, a.website]
        for a in actors
    ]
    rows += [[p.name, p.structure, _("participant"), p.email, "", ""] for p in attendees]
    for row in rows:
        writer.writerow([spreadsheet_text(value) for value in row])
    return out.getvalue()


def address_book_vcard(actors: Iterable[Actor], attendees: Iterable[WorkshopAttendee]) -> str:
    """vCard 3.0: the actors as organisations (``portal.actors.exports``), the participants
    as people with their structure."""
    cards = [to_vcard(actors)]
    for attendee in attendees:
        card = vobject.vCard()
        card.add("fn").value = attendee.name
        card.add("n").value = vobject.vcard.Name(family=attendee.name)
        if attendee.structure:
            card.add("org").value = [attendee.structure]
        if attendee.email:
            email = card.add("email")
            email.value = attendee.email
            email.type_param = "INTERNET"
        cards.append(card.serialize())
    return "".join(cards)


# --- What the workshops keep saying ------------------------------------------------------


@dataclass(frozen=True)
class Recurring:
    """A brake or lever named at several workshops."""

    text: str
    workshops: int


def _tidy(text: str) -> str:
    # "Peu de lieux ouverts le soir." and "peu de lieux  ouverts le soir" are one brake.
    text = re.sub(r"\s+", " ", text).strip().strip(".;!…").strip()
    return text[:1].upper() + text[1:]


def recurring(
    workshops: Iterable[WorkshopPage], heading: str, at_least: int = 2
) -> list[Recurring]:
    """Items of the diagnosis' ``heading`` (``brakes``, ``levers``) named at ``at_least``
    workshops or more, the most named first (then alphabetically)."""
    counts: Counter[str] = Counter()
    wording: dict[str, str] = {}
    for workshop in workshops:
        seen = set()
        for item in workshop.diagnosis_lists().get(heading, []):
            tidy = _tidy(item)
            key = tidy.casefold()
            if key and key not in seen:
                seen.add(key)
                counts[key] += 1
                wording.setdefault(key, tidy)
    found = [Recurring(wording[key], n) for key, n in counts.items() if n >= at_least]
    return sorted(found, key=lambda item: (-item.workshops, item.text.casefold()))


def workshops_and_seeds_of(actor: Actor) -> tuple[list[WorkshopPage], list]:
    """The public workshops ``actor`` took part in (newest first) and the seeds whose
    action group it belongs to: for the actor's page (``register_actor_page_sections``)."""
    workshops = list(actor.workshops.live().public().order_by("-date"))
    seeds = list(
        actor.project_seeds.filter(workshop__in=WorkshopPage.objects.live().public())
        .select_related("workshop")
        .order_by("-workshop__date", "sort_order")
    )
    return workshops, seeds
