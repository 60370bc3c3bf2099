"""Demo registrations: a round table with room left, a breakfast full with a waiting list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.public import EventPage
from registrations import lifecycle
from registrations.models import Registration

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

# (event slug from portal.demo, places, [(name, people, accessibility needs)])
EVENTS = [
    (
        "round-table-a-venir",
        20,
        [("Mireille", 1, ""), ("Karim", 2, ""), ("Awa", 1, "Accès en fauteuil roulant")],
    ),
    (
        "breakfast-a-venir",
        4,
        [
            ("Lucas", 2, ""),
            ("Fatou", 2, "Interprète en langue des signes"),
            ("Samia", 1, ""),  # waiting list
            ("Yannick", 2, ""),  # waiting list
        ],
    ),
]


def seed_registrations(portal: Neighbourhood) -> None:
    """Open registrations on two upcoming demo events and fill them (no e-mail sent)."""
    for slug, places, people in EVENTS:
        event = EventPage.objects.filter(slug=slug, locale__language_code="fr").first()
        if event is None or event.is_past:
            continue
        if not event.registrations_open:
            event.registrations_open = True
            event.places = places
            event.save_revision().publish()
        if Registration.objects.filter(event=event).exists():
            continue
        for name, count, needs in people:
            email = f"{name.lower()}@{portal.schema_name}.quartiers.example"
            lifecycle.register(event, name, email, count, needs, notify=False)
