"""Registrations to the agenda's events: who comes, how many, and who waits for a place."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_PEOPLE = 10


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self) -> RegistrationQuerySet:
        """The waiting list, first come first served."""
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")

    def attended(self) -> RegistrationQuerySet:
        """Registrations whose people the animator ticked as come."""
        return self.filter(attended_at__isnull=False)

    def people(self) -> int:
        """How many people these registrations bring (each counts its party)."""
        return self.aggregate(n=models.Sum("people"))["n"] or 0

    def places_taken(self) -> int:
        return self.confirmed().aggregate(n=models.Sum("people"))["n"] or 0


class Registration(models.Model):
    """One resident's registration (for themself and the people who come with them)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscrit·e")
        WAITING = "waiting", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulée")

    event = models.ForeignKey(
        "portal.EventPage",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("événement"),
    )
    name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    people = models.PositiveSmallIntegerField(
        _("nombre de personnes"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE)],
    )
    accessibility_needs = models.TextField(_("besoins d'accessibilité"), blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("sorti·e de la liste d'attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    # Ticked by the animator on the day, from the attendance list (``lifecycle.mark_attendance``).
    attended_at = models.DateTimeField(_("présence notée le"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["event", "created_at", "pk"]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self) -> str:
        return f"{self.name} · {self.event} · {self.get_status_display()}"
