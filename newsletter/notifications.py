"""The e-mails about a subscription (not the issues themselves: see ``sending``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.abuse import one_line
from core.mail import tag_with_portal
from newsletter import addresses
from newsletter.models import Subscriber
from tenants.addresses import current_portal


def _send(template: str, subject: str, subscriber: Subscriber, **context: object) -> None:
    portal = current_portal()
    body = render_to_string(
        f"newsletter/emails/{template}.txt",
        {"portal": portal, "network_name": settings.NETWORK_NAME, **context},
    )
    message = EmailMessage(
        subject=one_line(f"[{portal.name}] {subject}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
    )
    tag_with_portal(message).send()


def confirmation(subscriber: Subscriber) -> None:
    """The double opt-in: the link that confirms the address."""
    _send(
        "confirm",
        _("Confirmez votre inscription à l'infolettre"),
        subscriber,
        confirm_url=addresses.confirm_url(subscriber.pk),
    )


def already_subscribed(subscriber: Subscriber) -> None:
    """Sent instead of a confirmation to an address already on the list."""
    _send(
        "already_subscribed",
        _("Votre inscription à l'infolettre"),
        subscriber,
        manage_url=addresses.manage_url(subscriber.pk),
    )
