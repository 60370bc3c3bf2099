"""What the network knows of each remote fediverse server it delivers to. Public schema:
the record is shared by every portal's deliveries (``fediverse.servers.health``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RemoteServerQuerySet(models.QuerySet):
    def paused(self, now=None) -> RemoteServerQuerySet:
        """The servers no delivery goes to until their pause is over."""
        return self.filter(paused_until__gt=now or timezone.now())


class RemoteServer(models.Model):
    """A remote server (``host[:port]`` of its inboxes) and how its last deliveries went.

    ``consecutive_failures`` counts the deliveries in a row that it did not take (no
    answer, or a 5xx/429 answer), from any portal; from ``FEDIVERSE_FAILURES_BEFORE_PAUSE``
    on, each failure outside a pause starts one (``pauses`` of them so far), twice as long
    as the one before. A delivery it takes sets everything back to zero.
    """

    host = models.CharField(_("serveur"), max_length=300, unique=True)
    consecutive_failures = models.PositiveIntegerField(_("échecs de suite"), default=0)
    paused_until = models.DateTimeField(_("en pause jusqu'au"), null=True, blank=True)
    pauses = models.PositiveIntegerField(_("pauses de suite"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    last_failure_at = models.DateTimeField(_("dernier échec"), null=True, blank=True)

    objects = RemoteServerQuerySet.as_manager()

    class Meta:
        verbose_name = _("serveur du fédiverse")
        verbose_name_plural = _("serveurs du fédiverse")
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host

    def is_paused(self, now=None) -> bool:
        """Whether deliveries to this server wait for now."""
        return self.paused_until is not None and self.paused_until > (now or timezone.now())
