"""Support across portals (public schema): federation staff in a portal's admin, for a
limited time, as themselves.

A row is one such visit: which portal, which staff member (their network account and the
local account the visit gave them at the portal), why, until when, and who ended it. The
rows stay as the portal's history of who came to help; ``tenants.support_access`` holds
what starts, enters and ends a visit.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.accounts import NetworkAccount
from tenants.models import Neighbourhood


class SupportAccessQuerySet(models.QuerySet):
    def open(self, now: datetime | None = None) -> SupportAccessQuerySet:
        """Visits under way: not ended by anyone, and not past their end."""
        return self.filter(ended_at__isnull=True, ends_at__gt=now or timezone.now())

    def due(self, now: datetime | None = None) -> SupportAccessQuerySet:
        """Visits past their end that nobody has closed yet (nobody asked since)."""
        return self.filter(ended_at__isnull=True, ends_at__lte=now or timezone.now())


class SupportAccess(models.Model):
    """A federation staff member's visit to a portal's admin, with the "Support réseau"
    role, from ``started_at`` to ``ends_at`` unless ended earlier by either side."""

    portal = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="support_accesses"
    )
    account = models.ForeignKey(
        NetworkAccount,
        on_delete=models.SET_NULL,
        null=True,
        related_name="support_accesses",
        verbose_name=_("compte Quartiers"),
    )
    # Kept as text too: the history still names the person once their account is gone.
    staff_email = models.EmailField(_("membre de l'équipe fédérale"), max_length=254)
    user_id = models.PositiveIntegerField(_("compte local"))
    reason = models.CharField(_("motif"), max_length=500)
    started_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    ends_at = models.DateTimeField(_("jusqu'à"))
    ended_at = models.DateTimeField(_("fermé le"), null=True, blank=True)
    ended_by = models.CharField(_("fermé par"), max_length=254, blank=True)
    # The single-use link into the portal: only its SHA-256 is kept, for a short while.
    link_digest = models.CharField(max_length=64, blank=True, db_index=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)

    objects = SupportAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("accès de support")
        verbose_name_plural = _("accès de support")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "user_id"],
                condition=Q(ended_at__isnull=True),
                name="one_open_support_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_email} @ {self.portal_id}"

    def is_open(self, now: datetime | None = None) -> bool:
        """Whether the visit is under way."""
        return self.ended_at is None and self.ends_at > (now or timezone.now())
