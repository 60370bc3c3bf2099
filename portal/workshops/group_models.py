"""The action groups' own rows: who joined a seed, and the news the group posts.

Both live beside the seed (``ProjectSeed``), not inside the workshop's revisions: they
are written by visitors and by the group, never by the page editor. Members are private
(their names and addresses reach only the group's page, by signed link, and never their
addresses); an update shows on the portal only once approved.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.workshops.models import ProjectSeed


class SeedMemberQuerySet(models.QuerySet):
    def confirmed(self) -> SeedMemberQuerySet:
        """Members who opened their confirmation link: the only ones the group sees and
        writes to (anyone may type someone else's address in the join form)."""
        return self.filter(confirmed_at__isnull=False)


class SeedMember(models.Model):
    """A resident who asked to join a seed's action group, with their consent. A member
    counts only once they confirmed their address (``confirmed_at``)."""

    seed = models.ForeignKey(
        ProjectSeed, verbose_name=_("graine"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("nom"), max_length=80)
    email = models.EmailField(_("e-mail"))
    message = models.TextField(_("message"), blank=True)
    joined_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    consent = models.BooleanField(
        _("accepte que le groupe garde son nom et lui écrive"), default=False
    )
    confirmed_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True)

    objects = SeedMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre d'un groupe d'action")
        verbose_name_plural = _("membres des groupes d'action")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seed", "email"], name="portal_seedmember_once")
        ]

    def __str__(self) -> str:
        return self.name


class SeedUpdateQuerySet(models.QuerySet):
    def approved(self) -> SeedUpdateQuerySet:
        return self.filter(status=SeedUpdate.Status.APPROVED)

    def pending(self) -> SeedUpdateQuerySet:
        return self.filter(status=SeedUpdate.Status.PENDING)

    def public(self) -> SeedUpdateQuerySet:
        """Approved updates of seeds whose workshop is live, newest first."""
        return (
            self.approved()
            .filter(seed__workshop__live=True)
            .select_related("seed", "seed__workshop")
            .order_by("-published_at", "-pk")
        )


class SeedUpdate(models.Model):
    """News of a project posted by its action group, shown once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("à modérer")
        APPROVED = "approved", _("publiée")
        REJECTED = "rejected", _("refusée")

    seed = models.ForeignKey(
        ProjectSeed, verbose_name=_("graine"), on_delete=models.CASCADE, related_name="updates"
    )
    text = models.TextField(_("nouvelle"), max_length=3000)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    decided_by = models.CharField(_("décidée par"), max_length=150, blank=True)

    objects = SeedUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("nouvelle d'un groupe d'action")
        verbose_name_plural = _("nouvelles des groupes d'action")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.seed.title} : {self.text[:60]}"
