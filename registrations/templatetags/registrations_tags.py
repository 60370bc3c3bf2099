"""The registration box of an event page: places left, "complet", the link to register."""

from __future__ import annotations

from django import template

from registrations import lifecycle

register = template.Library()


@register.inclusion_tag("registrations/includes/box.html", takes_context=True)
def registration_box(context: template.Context, event) -> dict:
    """Nothing when the event takes no registrations here; otherwise its places (one query)."""
    if not event.registrations_open:
        return {"shown": False}
    left = lifecycle.places_left(event)
    return {
        "shown": True,
        "event": event,
        "open": lifecycle.accepts_registrations(event),
        "places_left": left,
        "full": left == 0,
        "request": context.get("request"),
    }
