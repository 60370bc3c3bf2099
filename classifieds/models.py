"""Residents' classifieds: the section page, the ads, their categories and their history."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from core.choices import choice_label
from core.pages import SectionPage
from core.query_moment import query_moment

TITLE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 3000
MAX_PHOTOS = 4


class ClassifiedsPage(RoutablePageMixin, SectionPage):
    """The classifieds section ("Petites annonces"): listing, post form, ads, RSS."""

    ad_lifetime_days = models.PositiveSmallIntegerField(
        _("durée de publication (jours)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Une annonce publiée expire après ce nombre de jours, sauf prolongation."),
    )
    reports_before_review = models.PositiveSmallIntegerField(
        _("signalements avant retour en modération"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    moderation_digest = models.BooleanField(
        _("résumé quotidien aux animateurs"),
        default=True,
        help_text=_("Un e-mail par jour aux animateurs quand des annonces attendent."),
    )

    content_panels = [*SectionPage.content_panels]
    settings_panels = [
        *SectionPage.settings_panels,
        MultiFieldPanel(
            [
                FieldPanel("ad_lifetime_days"),
                FieldPanel("reports_before_review"),
                FieldPanel("moderation_digest"),
            ],
            heading=_("Petites annonces"),
        ),
    ]

    subpage_types: list[str] = []

    class Meta:
        verbose_name = "rubrique Petites annonces"

    # Each route is a thin door to classifieds/views.py, imported on call because the
    # views import these models.
    @path("", name="listing")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        from classifieds import views

        return views.listing(self, request)

    @path("deposer/", name="post")
    def post_route(self, request: HttpRequest) -> HttpResponse:
        from classifieds import views

        return views.post(self, request)

    @path("deposee/", name="posted")
    def posted_route(self, request: HttpRequest) -> HttpResponse:
        from classifieds import views

        return views.posted(self, request)

    @path("annonce/<int:pk>/", name="detail")
    def detail_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        from classifieds import views

        return views.detail(self, request, pk)

    @path("annonce/<int:pk>/contacter/", name="contact")
    def contact_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        from classifieds import views

        return views.contact(self, request, pk)

    @path("annonce/<int:pk>/signaler/", name="report")
    def report_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        from classifieds import views

        return views.report(self, request, pk)

    # Tokens are URL-safe base64 (classifieds/tokens.py).
    @re_path(r"^confirmer/(?P<token>[A-Za-z0-9_-]{1,300})/$", name="confirm")
    def confirm_route(self, request: HttpRequest, token: str) -> HttpResponse:
        from classifieds import views

        return views.confirm(self, request, token)

    @re_path(r"^gerer/(?P<token>[A-Za-z0-9_-]{1,300})/$", name="manage")
    def manage_route(self, request: HttpRequest, token: str) -> HttpResponse:
        from classifieds import views

        return views.manage(self, request, token)

    @path("rss/", name="feed")
    def feed_route(self, request: HttpRequest) -> HttpResponse:
        from classifieds import views

        return views.feed(self, request)


class ClassifiedCategory(models.Model):
    """A category of ads, chosen by the animators (seeded with six)."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("catégorie d'annonces")
        verbose_name_plural = _("catégories d'annonces")

    def __str__(self) -> str:
        return self.name


class ClassifiedQuerySet(models.QuerySet):
    def published(self, now: datetime.datetime | None = None) -> ClassifiedQuerySet:
        """What visitors may see: published and not past its expiry."""
        now = now or query_moment()
        return self.filter(status=Classified.Status.PUBLISHED, expires_at__gt=now)

    def awaiting_moderation(self) -> ClassifiedQuerySet:
        return self.filter(status=Classified.Status.AWAITING_MODERATION)

    def newest_first(self) -> ClassifiedQuerySet:
        return self.order_by("-published_at", "-pk")

    def moderation_queue_first(self) -> ClassifiedQuerySet:
        """Ads awaiting moderation first (oldest first), then the others, newest first."""
        waiting = models.Case(
            models.When(status=Classified.Status.AWAITING_MODERATION, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        return self.annotate(queue_rank=waiting).order_by("queue_rank", "-created_at")


class Classified(models.Model):
    """An ad posted by a resident without an account; its author is known by e-mail only."""

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("en attente de confirmation")
        AWAITING_MODERATION = "awaiting_moderation", _("en attente de modération")
        PUBLISHED = "published", _("publiée")
        REJECTED = "rejected", _("refusée")
        EXPIRED = "expired", _("expirée")
        WITHDRAWN = "withdrawn", _("retirée")

    class Kind(models.TextChoices):
        OFFER = "offer", _("Je propose")
        REQUEST = "request", _("Je cherche")

    class PriceKind(models.TextChoices):
        FREE = "free", _("Gratuit")
        EXCHANGE = "exchange", _("Échange")
        AMOUNT = "amount", _("Prix")

    class Contact(models.TextChoices):
        RELAY = "relay", _("Par le formulaire de contact du site")
        PHONE = "phone", _("Par téléphone (numéro affiché)")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(
        ClassifiedCategory,
        verbose_name=_("catégorie"),
        on_delete=models.PROTECT,
        related_name="classifieds",
    )
    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("texte"), max_length=TEXT_MAX_LENGTH)
    price_kind = models.CharField(
        _("prix"), max_length=10, choices=PriceKind.choices, default=PriceKind.FREE
    )
    price = models.DecimalField(
        _("montant (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    area = models.CharField(
        _("secteur du quartier"),
        max_length=80,
        blank=True,
        help_text=_("Une rue, une place, un ensemble : jamais votre adresse exacte."),
    )
    contact_preference = models.CharField(
        _("être contacté·e"), max_length=10, choices=Contact.choices, default=Contact.RELAY
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    author_name = models.CharField(_("nom ou pseudonyme"), max_length=80)
    author_email = models.EmailField(_("e-mail de l'auteur·rice"))
    status = models.CharField(
        _("état"),
        max_length=30,
        choices=Status.choices,
        default=Status.AWAITING_CONFIRMATION,
        db_index=True,
    )
    created_at = models.DateTimeField(_("déposée le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    report_count = models.PositiveSmallIntegerField(_("signalements"), default=0)
    # Set by the animators when an ad is about a local actor: the actor's page lists it.
    actor = models.ForeignKey(
        "portal.Actor",
        verbose_name=_("acteur local concerné"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="classifieds",
    )

    objects = ClassifiedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("petite annonce")
        verbose_name_plural = _("petites annonces")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The ad's public page (it answers only while the ad is published)."""
        from classifieds.addresses import classified_path

        return classified_path(self)

    def get_kind_display(self) -> str:
        """The kind's label, as Django's own gives it, without translating every
        choice's (``core.choices``): shown on every card of a listing."""
        return choice_label(self.Kind, self.kind)

    @property
    def price_label(self) -> str:
        """ "Gratuit", "Échange" or the amount in euros, as a visitor reads it."""
        if self.price_kind == self.PriceKind.AMOUNT and self.price is not None:
            amount = f"{self.price:.2f}".replace(".", ",").removesuffix(",00")
            return f"{amount} €"
        return str(self.PriceKind(self.price_kind).label)


# The widths of a photo's copies (thumbnail, medium), in pixels.
THUMBNAIL_WIDTHS = (480, 960)


class ClassifiedPhoto(models.Model):
    """A photo of an ad, re-encoded on upload (no metadata), in the portal's media folder."""

    classified = models.ForeignKey(Classified, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to="classifieds/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # Lighter copies in WebP (core.photos.scaled_copy): the cards show the thumbnail, the
    # ad's page both through srcset; the original is only a link away. Empty for photos
    # sent before they existed: the original then serves.
    thumbnail = models.ImageField(
        _("vignette"),
        upload_to="classifieds/%Y/%m/",
        blank=True,
        width_field="thumbnail_width",
        height_field="thumbnail_height",
    )
    thumbnail_width = models.PositiveIntegerField(default=0)
    thumbnail_height = models.PositiveIntegerField(default=0)
    medium = models.ImageField(_("taille moyenne"), upload_to="classifieds/%Y/%m/", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo d'annonce")
        verbose_name_plural = _("photos d'annonces")

    def __str__(self) -> str:
        return f"{self.classified} ({self.position + 1})"

    @property
    def srcset(self) -> str:
        """The ``srcset`` of the photo on the ad's page: its copies, widest last."""
        if not self.thumbnail:
            return ""
        parts = [f"{self.thumbnail.url} {self.thumbnail_width}w"]
        if self.medium:
            parts.append(f"{self.medium.url} {THUMBNAIL_WIDTHS[1]}w")
        return ", ".join(parts)


class ClassifiedStatusChange(models.Model):
    """One step of an ad's life: from which state to which, who did it, when and why."""

    class Actor(models.TextChoices):
        AUTHOR = "author", _("l'auteur·rice")
        MODERATOR = "moderator", _("l'équipe d'animation")
        VISITORS = "visitors", _("des signalements de visiteurs")
        SYSTEM = "system", _("le portail (automatique)")

    classified = models.ForeignKey(
        Classified, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("de"), max_length=30, choices=Classified.Status.choices, blank=True
    )
    to_status = models.CharField(_("vers"), max_length=30, choices=Classified.Status.choices)
    actor = models.CharField(_("par"), max_length=10, choices=Actor.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("motif"), blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("changement d'état d'annonce")
        verbose_name_plural = _("changements d'état d'annonces")

    def __str__(self) -> str:
        return f"{self.classified}: {self.from_status} → {self.to_status}"


class ClassifiedReport(models.Model):
    """A visitor's report of an ad, read by the moderators."""

    classified = models.ForeignKey(Classified, on_delete=models.CASCADE, related_name="reports")
    reason = models.TextField(_("motif"), max_length=1000)
    created_at = models.DateTimeField(_("signalée le"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")

    def __str__(self) -> str:
        return f"{self.classified}: {self.reason[:40]}"


class ModerationDigest(models.Model):
    """The day a moderation digest was sent, so the maintenance sends at most one a day."""

    sent_on = models.DateField(unique=True)
    waiting = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("résumé de modération")
        verbose_name_plural = _("résumés de modération")

    def __str__(self) -> str:
        return str(self.sent_on)
