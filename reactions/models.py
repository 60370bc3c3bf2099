"""Residents' reactions under a page, the addresses that sent them, their reports, and
the pages where animators switched reactions off."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

MAX_TEXT = 3000


class ReactionQuerySet(models.QuerySet):
    def shown(self) -> ReactionQuerySet:
        """What visitors read: published and not held back by reports, oldest first."""
        return self.filter(status=Reaction.Status.PUBLISHED, held=False).order_by(
            "published_at", "pk"
        )

    def waiting(self) -> ReactionQuerySet:
        """What waits for an animator: confirmed reactions to moderate, and reactions held
        back by reports. Oldest first."""
        return self.filter(
            models.Q(status=Reaction.Status.PENDING)
            | models.Q(status=Reaction.Status.PUBLISHED, held=True)
        ).order_by("created_at", "pk")


class Reaction(models.Model):
    """A resident's reaction under a page; an animator may answer it (the editorial reply)."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Adresse à confirmer")
        PENDING = "pending", _("À modérer")
        PUBLISHED = "published", _("Publiée")
        REJECTED = "rejected", _("Refusée")

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    name = models.CharField(_("nom"), max_length=80)
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    text = models.TextField(_("réaction"), max_length=MAX_TEXT)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    held = models.BooleanField(
        _("retenue après signalements"),
        default=False,
        help_text=_("Masquée jusqu'à ce qu'une personne de l'équipe la relise."),
    )
    report_count = models.PositiveIntegerField(_("signalements"), default=0)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modérée par"),
    )
    reply = models.TextField(_("réponse de la rédaction"), blank=True, max_length=MAX_TEXT)
    replied_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("réponse de"),
    )

    objects = ReactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("réaction")
        verbose_name_plural = _("réactions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["page", "status", "held"], name="reaction_page_status"),
            models.Index(fields=["status", "created_at"], name="reaction_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.page.title}"

    @property
    def excerpt(self) -> str:
        """The beginning of the text, for lists."""
        return self.text if len(self.text) <= 120 else self.text[:119] + "…"


class ReactionAddress(models.Model):
    """An e-mail address that reacted at this portal: confirmed once, trusted or not.

    Kept in the portal's schema: an address confirmed at one portal is a stranger at
    another.
    """

    email = models.EmailField(_("adresse e-mail"), max_length=254, unique=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    trusted = models.BooleanField(
        _("de confiance"),
        default=False,
        help_text=_("Ses réactions sont publiées aussitôt, puis relues après coup."),
    )
    trusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confiance donnée par"),
    )

    class Meta:
        verbose_name = _("adresse de réaction")
        verbose_name_plural = _("adresses de réaction")

    def __str__(self) -> str:
        return self.email


class ReactionReport(models.Model):
    """One visitor's report of a reaction (one per visitor and reaction)."""

    reaction = models.ForeignKey(
        Reaction, on_delete=models.CASCADE, related_name="reports", verbose_name=_("réaction")
    )
    # A digest of the visitor's network address: counts them once, names nobody.
    reporter = models.CharField(max_length=64)
    reason = models.TextField(_("motif"), max_length=1000)
    created_at = models.DateTimeField(_("signalée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("signalement de réaction")
        verbose_name_plural = _("signalements de réactions")
        constraints = [
            models.UniqueConstraint(fields=["reaction", "reporter"], name="one_report_per_visitor")
        ]

    def __str__(self) -> str:
        return f"{self.reaction} · {self.created_at:%d/%m/%Y}"


class ClosedReactions(models.Model):
    """A page where an animator switched reactions off (no row: reactions are open)."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("page"),
    )
    closed_at = models.DateTimeField(_("fermées le"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fermées par"),
    )

    class Meta:
        verbose_name = _("réactions fermées")
        verbose_name_plural = _("réactions fermées")

    def __str__(self) -> str:
        return str(self.page)


@register_setting(icon="comment")
class ReactionSettings(BaseGenericSetting):
    """How the portal moderates reactions."""

    reports_before_review = models.PositiveSmallIntegerField(
        _("signalements avant de masquer une réaction"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Une réaction publiée qui reçoit ce nombre de signalements est masquée jusqu'à "
            "ce qu'une personne de l'équipe la relise."
        ),
    )

    panels = [FieldPanel("reports_before_review")]

    class Meta:
        verbose_name = _("réactions")
