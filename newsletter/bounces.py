"""What the sending provider says of an address, and when the infolettre stops writing to it.

    event (anymail, signed) ──> portal of the message (core.mail) ──> its schema:
        bounced, rejected  ──> hard_bounce: stopped at once
        complained         ──> complaint: stopped at once
        deferred           ──> one more temporary failure (each message counts once);
                               at NEWSLETTER_SOFT_BOUNCE_LIMIT: soft_bounces, stopped
        delivered          ──> the temporary failures counted so far are forgotten

A stopped address stays on the list with its reason and date, for the animator to see
(subscribers' admin) and for the resident's own data; the resident lifts it by subscribing
again and confirming (``subscriptions.confirm``). Only the infolettre stops: the other
mails of a portal (a classified's confirmation, a registration...) answer something the
resident just did, on their own request, and are still sent.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from anymail.signals import EventType
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from core.mail import portal_of_event
from newsletter.models import DeliveryProblem, Subscriber

logger = logging.getLogger(__name__)

STOPPING = {
    EventType.BOUNCED: DeliveryProblem.HARD_BOUNCE,
    EventType.REJECTED: DeliveryProblem.HARD_BOUNCE,
    EventType.COMPLAINED: DeliveryProblem.COMPLAINT,
}


def stop(
    subscriber: Subscriber, problem: str, reason: str, at: datetime.datetime | None = None
) -> None:
    """Stop writing to ``subscriber``, saying why (the first problem stays the one shown,
    but a complaint outranks a bounce: it says the person does not want the letter)."""
    if subscriber.delivery_problem and not (
        problem == DeliveryProblem.COMPLAINT
        and subscriber.delivery_problem != DeliveryProblem.COMPLAINT
    ):
        return
    subscriber.delivery_problem = problem
    subscriber.delivery_problem_reason = reason[:255]
    subscriber.delivery_problem_at = at or timezone.now()
    subscriber.save(
        update_fields=["delivery_problem", "delivery_problem_reason", "delivery_problem_at"]
    )


def record(
    email: str,
    event_type: str,
    reason: str = "",
    at: datetime.datetime | None = None,
    message_id: str = "",
) -> Subscriber | None:
    """Record what the provider said of ``email`` in the current portal's list. Returns the
    subscriber, or None when the address is not on the list (nothing to do)."""
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().filter(email=email.strip().lower()).first()
        )
        if subscriber is None:
            return None
        if event_type in STOPPING:
            stop(subscriber, STOPPING[event_type], reason, at)
        elif event_type == EventType.DEFERRED:
            _count_soft_bounce(subscriber, reason, at, message_id)
        elif (
            event_type == EventType.DELIVERED
            and subscriber.soft_bounces
            and not subscriber.delivery_problem
        ):
            subscriber.soft_bounces = 0
            subscriber.last_soft_bounce_message = ""
            subscriber.save(update_fields=["soft_bounces", "last_soft_bounce_message"])
    return subscriber


def _count_soft_bounce(
    subscriber: Subscriber, reason: str, at: datetime.datetime | None, message_id: str
) -> None:
    if subscriber.delivery_problem:
        return
    if message_id and message_id == subscriber.last_soft_bounce_message:
        return  # the provider retried the same message: one failure, not two
    subscriber.soft_bounces += 1
    subscriber.last_soft_bounce_message = message_id[:255]
    subscriber.save(update_fields=["soft_bounces", "last_soft_bounce_message"])
    if subscriber.soft_bounces >= settings.NEWSLETTER_SOFT_BOUNCE_LIMIT:
        stop(subscriber, DeliveryProblem.SOFT_BOUNCES, reason, at)


def _reason(event: Any) -> str:
    """The provider's words, as the animator will read them."""
    parts = [event.description or "", event.mta_response or ""]
    text = " · ".join(part.strip() for part in parts if part and part.strip())
    return text or str(event.reject_reason or event.event_type)


def on_tracking_event(sender: object, event: Any, esp_name: str, **kwargs: object) -> None:
    """anymail's ``tracking`` receiver: the event goes to the portal its message named, and
    nowhere else (an unknown or archived portal, or no portal: ignored)."""
    if event.event_type not in (*STOPPING, EventType.DEFERRED, EventType.DELIVERED):
        return
    if not event.recipient:
        return
    portal = portal_of_event(event)
    if portal is None:
        return
    with tenant_context(portal):
        subscriber = record(
            event.recipient,
            event.event_type,
            reason=_reason(event),
            at=event.timestamp,
            message_id=event.message_id or "",
        )
    if subscriber is not None:
        logger.info(
            "%s: %s event for subscriber %s of %s",
            esp_name,
            event.event_type,
            subscriber.pk,
            portal.schema_name,
        )
