"""The e-mails of a registration, with the event as an .ics file and the private cancel link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.abuse import one_line
from portal.public import event_calendar_at
from registrations.models import Registration
from registrations.tokens import cancel_token
from tenants.addresses import current_portal, portal_base_url

SUBJECTS = {
    "confirmed": _("Votre inscription : %(event)s"),
    "waiting": _("Liste d'attente : %(event)s"),
    "promoted": _("Une place s'est libérée : %(event)s"),
    "reminder": _("C'est demain : %(event)s"),
    "cancelled": _("Inscription annulée : %(event)s"),
}
# The messages that confirm a place carry the event for the resident's calendar.
WITH_CALENDAR = {"confirmed", "promoted", "reminder"}


def cancel_url(registration: Registration, base_url: str | None = None) -> str:
    """The absolute private link that cancels a registration, on the portal's own host."""
    base_url = base_url or portal_base_url(current_portal())
    event = registration.event
    parts = event.get_url_parts()
    route = event.reverse_subpage("cancel_registration", args=[cancel_token(registration.pk)])
    return base_url + (parts[2] if parts else "/") + route


def send(registration: Registration, template: str) -> None:
    """One of the registration's e-mails (``registrations/emails/<template>.txt``)."""
    portal = current_portal()
    base_url = portal_base_url(portal)
    event = registration.event
    parts = event.get_url_parts()
    body = render_to_string(
        f"registrations/emails/{template}.txt",
        {
            "registration": registration,
            "event": event,
            "portal": portal,
            "network_name": settings.NETWORK_NAME,
            "event_url": base_url + (parts[2] if parts else "/"),
            "cancel_url": cancel_url(registration, base_url),
        },
    )
    message = EmailMessage(
        subject=one_line(f"[{portal.name}] " + SUBJECTS[template] % {"event": event.title[:80]}),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
        reply_to=[portal.contact_email] if portal.contact_email else [],
    )
    if template in WITH_CALENDAR:
        message.attach(
            f"{event.slug}.ics", event_calendar_at(event, base_url), "text/calendar; charset=utf-8"
        )
    message.send()
