"""Demo newsletter of a portal: confirmed subscribers and two issues already sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from core.demo_pages import publish_new_child
from newsletter import subscriptions
from newsletter.addresses import newsletter_section
from newsletter.models import Delivery, Dispatch, NewsletterPage, Subscriber

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

SUBSCRIBERS = [
    ("mireille", ["news", "agenda"]),
    ("karim", ["agenda", "classifieds"]),
    ("fatou", None),
    ("lucas", ["radio"]),
    ("samia", None),
]

ISSUES = [
    (
        "Infolettre n° 1 : la rentrée du quartier",
        "infolettre-n-1",
        "<p>Bienvenue dans la première lettre du média citoyen : ce qui s'est dit, ce qui "
        "se prépare.</p>",
    ),
    (
        "Infolettre n° 2 : tables rondes et petites annonces",
        "infolettre-n-2",
        "<p>Les tables rondes reprennent, et vos voisins ont des choses à donner.</p>",
    ),
]


def seed_newsletter(portal: Neighbourhood) -> None:
    """Five confirmed subscribers (no e-mail sent) and two issues recorded as sent."""
    index = newsletter_section()
    if index is None:
        return
    for name, topics in SUBSCRIBERS:
        email = f"{name}@{portal.schema_name}.quartiers.example"
        if not Subscriber.objects.filter(email=email).exists():
            subscriber = subscriptions.subscribe(
                email,
                topics,
                method="données de démonstration",
                wording=subscriptions.consent_wording(portal.name),
                notify=False,
            )
            subscriptions.confirm(subscriber)
    for title, slug, intro in ISSUES:
        page = index.get_children().filter(slug=slug).first()
        if page is None:
            page = NewsletterPage(
                title=title,
                slug=slug,
                intro=intro,
                body=[
                    ("latest", {"source": "news", "title": "", "limit": 4}),
                    ("latest", {"source": "events", "title": "", "limit": 4}),
                    ("latest", {"source": "classifieds", "title": "", "limit": 4}),
                ],
            )
            publish_new_child(index, page)
        _record_as_sent(page)


def _record_as_sent(page) -> None:
    # A demo issue is shown as sent without sending anything: the same records the
    # sending writes, made at once.
    now = timezone.now()
    dispatch, created = Dispatch.objects.get_or_create(
        page=page,
        defaults={
            "status": Dispatch.Status.SENT,
            "scheduled_for": now,
            "started_at": now,
            "finished_at": now,
            "subject": page.title,
        },
    )
    if created:
        Delivery.objects.bulk_create(
            Delivery(dispatch=dispatch, subscriber=s, status=Delivery.Status.SENT, sent_at=now)
            for s in Subscriber.objects.active()
        )
