"""The project's own tables in the public schema: the anti-abuse counters, the days the
moderation digest was sent."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Hits of one sender (an address, an e-mail) against one limit, in one portal, until
    ``expires_at``. Written only by ``core.rate_limits``, in one atomic statement.

    In ``public`` with the portal's schema in a column, so that every worker process of
    every machine counts in the same row, and the counters of a portal go with it.
    """

    schema_name = models.CharField(max_length=63)
    key = models.CharField(max_length=120)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schema_name", "key"], name="core_ratecounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.schema_name} {self.key}: {self.count}"


class ModerationDigestSent(models.Model):
    """The day a portal's animators got the moderation digest (``core.moderation_digest``),
    so that a command run from cron sends at most one a day. In ``public`` with the
    portal's schema in a column, like the counters: core has no table in a portal."""

    schema_name = models.CharField(max_length=63)
    sent_on = models.DateField()
    waiting = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["schema_name", "sent_on"], name="core_moderationdigestsent_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.schema_name} {self.sent_on}: {self.waiting}"
