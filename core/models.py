"""The project's own table in the public schema: the anti-abuse counters."""

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
