"""The moderation digest: one e-mail a day to each of a portal's animators while something
waits in a queue they may see (``core.moderation.sources_for``).

Run inside the portal's schema (``manage.py send_moderation_digest`` enters each one).
Safe from cron: nothing is sent when nothing waits, and at most one digest a day per
portal (``core.models.ModerationDigestSent``, in ``public``). Each animator gets their
own message, listing only the queues their rights open, with absolute links to the
portal's own host.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from core.abuse import one_line
from core.models import ModerationDigestSent
from core.moderation import ModerationItem
from core.moderation_inbox import OLDEST_SHOWN, summaries
from tenants.addresses import current_portal, portal_base_url


@dataclass(frozen=True)
class DigestSection:
    """One queue as the digest lists it, with absolute links."""

    label: str
    count: int
    oldest: list[ModerationItem]
    queue_url: str


def _sections(user, base_url: str) -> list[DigestSection]:
    sections = []
    for summary in summaries(user, OLDEST_SHOWN):
        if not summary.count:
            continue
        oldest = [
            ModerationItem(item.title, item.summary, item.received, base_url + item.url)
            for item in summary.oldest
        ]
        sections.append(
            DigestSection(
                str(summary.source.label),
                summary.count,
                oldest,
                base_url + summary.source.queue_url,
            )
        )
    return sections


def _claim_today(today: datetime.date, waiting: int) -> bool:
    """Record that today's digest goes out; False if it already went (or is going)."""
    schema = connection.schema_name
    try:
        with schema_context(get_public_schema_name()), transaction.atomic():
            _row, created = ModerationDigestSent.objects.get_or_create(
                schema_name=schema, sent_on=today, defaults={"waiting": waiting}
            )
    except IntegrityError:  # another run claimed it a moment ago
        return False
    return created


def send_moderation_digest(now: datetime.datetime | None = None) -> int:
    """Send today's digest of the current portal to each animator with something waiting
    in their queues. Returns how many messages were sent (0: nothing waits, or already
    sent today)."""
    now = now or timezone.now()
    portal = current_portal()
    if portal is None:
        return 0
    base_url = portal_base_url(portal)
    users = get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk")
    messages = []
    for user in users:
        sections = _sections(user, base_url)
        if sections:
            messages.append((user.email, sections))
    if not messages:
        return 0
    waiting = max(sum(section.count for section in sections) for _email, sections in messages)
    if not _claim_today(timezone.localdate(now), waiting):
        return 0
    inbox_url = base_url + reverse("core_moderation_inbox")
    for email, sections in messages:
        total = sum(section.count for section in sections)
        body = render_to_string(
            "core/emails/moderation_digest.txt",
            {
                "portal": portal,
                "network_name": settings.NETWORK_NAME,
                "summaries": sections,
                "total": total,
                "inbox_url": inbox_url,
            },
        )
        # One message per animator: nobody sees their colleagues' addresses.
        EmailMessage(
            subject=one_line(f"[{portal.name}] " + _("À modérer : %(count)d") % {"count": total}),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email],
        ).send()
    return len(messages)
