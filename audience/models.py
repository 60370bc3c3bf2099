"""What a portal's audience leaves behind: a count per page, day and kind of referrer.

A page is its Wagtail id: a routable page's sub-views (an agenda's month, a classified)
count as their page, and no address a visitor typed is ever kept (a sub-view's address
may hold a confirmation token).

Nothing else is kept: no address, no cookie, no browser, no time of day, no referring
address (only its kind), no identifier of any sort. A row cannot tell one visitor from
another, so it is no personal data (docs/audience.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Referrer(models.TextChoices):
    """Where a view came from, as a kind: the referring address itself is never kept."""

    DIRECT = "direct", _("Accès direct")
    INTERNAL = "internal", _("Navigation dans le portail")
    SEARCH = "search", _("Moteur de recherche")
    SOCIAL = "social", _("Réseau social")
    NETWORK = "network", _("Autre portail du réseau")
    NEWSLETTER = "newsletter", _("Infolettre")
    OTHER = "other", _("Autre site")


class PageViews(models.Model):
    """How many times a page of the portal was seen on a day, coming from one kind of
    referrer."""

    day = models.DateField(_("jour"))
    # No foreign key: a deleted page's past views still count in the portal's totals.
    page_id = models.PositiveIntegerField(_("page"))
    referrer = models.CharField(_("provenance"), max_length=16, choices=Referrer.choices)
    views = models.PositiveIntegerField(_("vues"), default=0)

    class Meta:
        verbose_name = _("vues d'une page")
        verbose_name_plural = _("vues des pages")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "page_id", "referrer"], name="audience_one_count_a_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="audience_views_day")]

    def __str__(self) -> str:
        return f"{self.day} page {self.page_id} ({self.referrer}) : {self.views}"
