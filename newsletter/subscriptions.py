"""A subscriber's life, each step one function: subscribe, confirm, choose topics, leave,
get or erase their data. Views, the admin and the demo seed call these.

Nothing a visitor sees tells whether an address was already on the list: subscribing an
address sends an e-mail either way (a confirmation link, or "you are already subscribed,
manage here"), and the page shown afterwards is the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter import notifications
from newsletter.models import ConsentRecord, Subscriber
from newsletter.topics import ALL_TOPICS

Status = Subscriber.Status
Action = ConsentRecord.Action


def consent_wording(portal_name: str) -> str:
    """The sentence shown next to every subscribe form, recorded with each consent."""
    return _(
        "J'accepte de recevoir par e-mail l'infolettre de %(portal)s sur les sujets choisis. "
        "Je peux changer d'avis à tout moment grâce au lien présent dans chaque message."
    ) % {"portal": portal_name}


def _record(subscriber: Subscriber, action: str, method: str, wording: str = "") -> None:
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        method=method,
        wording=wording,
        topics=list(subscriber.topics),
    )


def subscribe(
    email: str, topics: Sequence[str] | None, method: str, wording: str, notify: bool = True
) -> Subscriber:
    """Ask for a subscription: e-mail the confirmation link (or, to a subscriber already
    confirmed, a link to manage their subscription). Topics default to all of them."""
    email = email.strip().lower()
    chosen = [topic for topic in (topics or ALL_TOPICS) if topic in ALL_TOPICS] or ALL_TOPICS
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"topics": chosen}
        )
        # An address the infolettre stopped writing to (bounce, complaint) confirms again.
        already = subscriber.status == Status.ACTIVE and not subscriber.delivery_problem
        if not already:
            subscriber.status = Status.PENDING
            subscriber.topics = chosen
            subscriber.save(update_fields=["status", "topics"])
            _record(subscriber, Action.REQUESTED, method, wording)
    if notify:
        if already:
            notifications.already_subscribed(subscriber)
        else:
            notifications.confirmation(subscriber)
    return subscriber


def confirm(subscriber: Subscriber) -> Subscriber:
    """The resident opened the link and confirmed: they are on the list from now on."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status != Status.ACTIVE:
            subscriber.status = Status.ACTIVE
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            # The link was opened: the mailbox works and wants the letter again.
            subscriber.delivery_problem = ""
            subscriber.delivery_problem_reason = ""
            subscriber.delivery_problem_at = None
            subscriber.soft_bounces = 0
            subscriber.save(
                update_fields=[
                    "status",
                    "confirmed_at",
                    "unsubscribed_at",
                    "delivery_problem",
                    "delivery_problem_reason",
                    "delivery_problem_at",
                    "soft_bounces",
                ]
            )
            _record(subscriber, Action.CONFIRMED, _("lien de confirmation reçu par e-mail"))
    return subscriber


def change_topics(subscriber: Subscriber, topics: Sequence[str]) -> Subscriber:
    """The subscriber picked other topics, from their private page."""
    subscriber.topics = [topic for topic in topics if topic in ALL_TOPICS]
    subscriber.save(update_fields=["topics"])
    _record(subscriber, Action.TOPICS, _("page personnelle d'abonnement"))
    return subscriber


def unsubscribe(subscriber: Subscriber, method: str) -> Subscriber:
    """Leave the list (again: no harm). The address gets nothing more."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status != Status.UNSUBSCRIBED:
            subscriber.status = Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["status", "unsubscribed_at"])
            _record(subscriber, Action.UNSUBSCRIBED, method)
    return subscriber


def personal_data(subscriber: Subscriber) -> dict:
    """Everything the portal holds about a subscriber, as plain data (their JSON download)."""
    return {
        "adresse": subscriber.email,
        "etat": subscriber.status,
        "sujets": list(subscriber.topics),
        "inscrit_le": subscriber.created_at.isoformat(),
        "confirme_le": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "desabonne_le": (
            subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None
        ),
        "distribution": {
            "probleme": subscriber.delivery_problem or None,
            "motif": subscriber.delivery_problem_reason,
            "signale_le": (
                subscriber.delivery_problem_at.isoformat()
                if subscriber.delivery_problem_at
                else None
            ),
            "echecs_temporaires": subscriber.soft_bounces,
        },
        "consentements": [
            {
                "action": record.action,
                "le": record.at.isoformat(),
                "comment": record.method,
                "texte_presente": record.wording,
                "sujets": list(record.topics),
            }
            for record in subscriber.consents.all()
        ],
        "envois": [
            {
                "numero": delivery.dispatch.page.title,
                "etat": delivery.status,
                "envoye_le": delivery.sent_at.isoformat() if delivery.sent_at else None,
            }
            for delivery in subscriber.deliveries.select_related("dispatch__page").order_by("pk")
        ],
    }


def erase(subscriber: Subscriber) -> None:
    """Delete the subscriber with their consents and deliveries: nothing of them is kept."""
    subscriber.delete()
