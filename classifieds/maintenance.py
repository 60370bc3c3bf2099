"""The daily upkeep of one portal's classifieds: purge, remind, expire, digest, and lighter
copies of older photos.

Run inside the portal's schema (``manage.py classifieds_maintenance`` enters each one).
Idempotent: a second run the same day finds nothing left to do, and sends nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from classifieds import lifecycle, notifications
from classifieds.addresses import absolute_url, classifieds_section
from classifieds.models import Classified, ModerationDigest

Status = Classified.Status
# How many skipped photos a portal's line names, so that it stays one line.
SKIPPED_NAMED = 5


@dataclass
class MaintenanceReport:
    """What one run changed on one portal."""

    purged: int = 0
    reminded: int = 0
    expired: int = 0
    digest_sent: bool = False
    photos_copied: int = 0
    # The photos without copies whose file is lost or damaged (``copy_older_photos``).
    photos_skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.purged or self.reminded or self.expired or self.digest_sent or self.photos_copied
        )

    def __str__(self) -> str:
        parts = [
            f"{self.expired} expirée(s)",
            f"{self.reminded} rappel(s)",
            f"{self.purged} non confirmée(s) effacée(s)",
        ]
        if self.digest_sent:
            parts.append("résumé envoyé")
        if self.photos_copied:
            parts.append(f"{self.photos_copied} photo(s) allégée(s)")
        if self.photos_skipped:
            named = "; ".join(self.photos_skipped[:SKIPPED_NAMED])
            more = len(self.photos_skipped) - SKIPPED_NAMED
            if more > 0:
                named += f"; et {more} autre(s)"
            parts.append(f"{len(self.photos_skipped)} photo(s) laissée(s) telle(s) : {named}")
        return ", ".join(parts)


def run_maintenance(now: datetime.datetime | None = None) -> MaintenanceReport:
    """Purge unconfirmed ads, send due reminders, expire ads, send the moderators' digest,
    and give older photos their light copies."""
    now = now or timezone.now()
    report = MaintenanceReport(purged=lifecycle.purge_unconfirmed(now))
    for classified in Classified.objects.filter(status=Status.PUBLISHED, expires_at__lte=now):
        try:
            lifecycle.expire(classified, now)
        except lifecycle.TransitionError:
            continue  # changed meanwhile (extended, withdrawn): nothing to do
        report.expired += 1
    due = now + datetime.timedelta(days=lifecycle.REMINDER_DAYS_BEFORE_EXPIRY)
    for classified in Classified.objects.filter(
        status=Status.PUBLISHED, reminder_sent_at__isnull=True, expires_at__lte=due
    ):
        report.reminded += lifecycle.remind(classified, now)
    report.digest_sent = send_moderation_digest(now)
    copies = lifecycle.copy_older_photos()
    report.photos_copied, report.photos_skipped = copies.copied, copies.skipped
    return report


def moderators_emails() -> list[str]:
    """The addresses of the portal's active accounts that may moderate ads."""
    users = (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename="change_classified",
                groups__permissions__content_type__app_label="classifieds",
            )
            | Q(
                user_permissions__codename="change_classified",
                user_permissions__content_type__app_label="classifieds",
            ),
            is_active=True,
        )
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def send_moderation_digest(now: datetime.datetime | None = None) -> bool:
    """One e-mail a day to the moderators while ads await them, if the portal wants it."""
    now = now or timezone.now()
    page = classifieds_section()
    if page is None or not page.moderation_digest:
        return False
    waiting = list(Classified.objects.awaiting_moderation().select_related("category")[:50])
    recipients = moderators_emails()
    if not waiting or not recipients:
        return False
    try:
        with transaction.atomic():
            _digest, created = ModerationDigest.objects.get_or_create(
                sent_on=timezone.localdate(now), defaults={"waiting": len(waiting)}
            )
    except IntegrityError:  # another run sent it a moment ago
        return False
    if not created:
        return False
    context = {
        "waiting": waiting,
        "moderation_url": absolute_url(reverse("classifieds_classified:list"))
        + f"?status={Status.AWAITING_MODERATION}",
    }
    for email in recipients:
        # One message per moderator: nobody sees their colleagues' addresses.
        notifications.send("digest", _("Petites annonces à modérer"), [email], context)
    return True
