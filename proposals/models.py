"""Residents' proposals: the "Participer" section, the proposals, their photos and history,
the credit shown on the pages made from them, and the portal's retention setting."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from core.pages import SectionPage

TITLE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 5000
MAX_PHOTOS = 3
DEFAULT_RETENTION_DAYS = 180
# Under the portal's private prefix: core.views.tenant_media refuses to serve it.
PHOTO_FOLDER = "private/proposals/"


class ProposalsPage(RoutablePageMixin, SectionPage):
    """The "Participer" section: propose a subject or an event, without an account."""

    content_panels = [*SectionPage.content_panels]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("rubrique Participer")

    # Each route is a thin door to proposals/views.py, imported on call because the views
    # import these models.
    @path("", name="index")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        from proposals import views

        return views.index(self, request)

    @path("sujet/", name="subject")
    def subject_route(self, request: HttpRequest) -> HttpResponse:
        from proposals import views

        return views.propose_subject(self, request)

    @path("evenement/", name="event")
    def event_route(self, request: HttpRequest) -> HttpResponse:
        from proposals import views

        return views.propose_event(self, request)

    @path("envoyee/", name="sent")
    def sent_route(self, request: HttpRequest) -> HttpResponse:
        from proposals import views

        return views.sent(self, request)

    # Tokens are URL-safe base64 (proposals/tokens.py).
    @re_path(r"^confirmer/(?P<token>[A-Za-z0-9_-]{1,300})/$", name="confirm")
    def confirm_route(self, request: HttpRequest, token: str) -> HttpResponse:
        from proposals import views

        return views.confirm(self, request, token)

    @re_path(r"^retirer/(?P<token>[A-Za-z0-9_-]{1,300})/$", name="withdraw")
    def withdraw_route(self, request: HttpRequest, token: str) -> HttpResponse:
        from proposals import views

        return views.withdraw(self, request, token)


class ProposalQuerySet(models.QuerySet):
    def waiting(self) -> ProposalQuerySet:
        """Confirmed by their proposer, waiting for the animators' decision, oldest first."""
        return self.filter(status=Proposal.Status.WAITING).order_by("confirmed_at", "pk")

    def queue_first(self) -> ProposalQuerySet:
        """Waiting proposals first (oldest first), then the others, newest first."""
        waiting = models.Case(
            models.When(status=Proposal.Status.WAITING, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        return self.annotate(queue_rank=waiting).order_by("queue_rank", "-created_at")


class Proposal(models.Model):
    """A subject or an event proposed by a resident without an account, known by e-mail."""

    class Kind(models.TextChoices):
        STORY = "story", _("Idée de sujet")
        TESTIMONY = "testimony", _("Témoignage")
        NEWS = "news", _("Information")
        EVENT = "event", _("Événement")

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("en attente de confirmation")
        WAITING = "waiting", _("en attente de décision")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")
        WITHDRAWN = "withdrawn", _("retirée")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("texte"), max_length=TEXT_MAX_LENGTH)
    # Events only.
    start = models.DateTimeField(_("début"), null=True, blank=True)
    end = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    organiser = models.CharField(_("organisé par"), max_length=200, blank=True)
    # The proposer.
    name = models.CharField(_("nom ou pseudonyme"), max_length=80)
    email = models.EmailField(_("e-mail"))
    credit_consent = models.BooleanField(_("accepte d'être nommé·e"), default=False)

    status = models.CharField(
        _("état"),
        max_length=30,
        choices=Status.choices,
        default=Status.AWAITING_CONFIRMATION,
        db_index=True,
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    # The draft page an accepted proposal became; the proposer is told once it is published.
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page créée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_notified_at = models.DateTimeField(
        _("publication annoncée le"), null=True, blank=True
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_event(self) -> bool:
        return self.kind == self.Kind.EVENT


class ProposalPhoto(models.Model):
    """A photo sent with a proposal, re-encoded on upload (no metadata), with its credit.

    Kept out of the image library until the proposal is accepted: only then does it
    become a Wagtail image of the portal. Its file lives under ``private/`` (never served
    under ``/media/``, ``core.views``): the animators see it through
    ``proposals.admin_views.proposal_photo`` only, since nobody has checked it yet.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=PHOTO_FOLDER + "%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    credit = models.CharField(_("crédit"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo de proposition")
        verbose_name_plural = _("photos de propositions")

    def __str__(self) -> str:
        return f"{self.proposal} ({self.position + 1})"


class ProposalEvent(models.Model):
    """One step of a proposal's history: a change of state or a message to the proposer."""

    class Actor(models.TextChoices):
        PROPOSER = "proposer", _("la personne qui propose")
        MODERATOR = "moderator", _("l'équipe d'animation")
        SYSTEM = "system", _("le portail (automatique)")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("de"), max_length=30, choices=Proposal.Status.choices, blank=True
    )
    to_status = models.CharField(_("vers"), max_length=30, choices=Proposal.Status.choices)
    actor = models.CharField(_("par"), max_length=10, choices=Actor.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("étape d'une proposition")
        verbose_name_plural = _("étapes des propositions")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.from_status} → {self.to_status}"


class ProposalCredit(models.Model):
    """ "Proposé par …" on a page made from a proposal whose author agreed to be named.

    Apart from the proposal so that it outlives the proposal's purge: the page keeps the
    credit its author agreed to, and nothing else of them (no e-mail address).
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="proposal_credit"
    )
    name = models.CharField(_("proposé par"), max_length=80)

    class Meta:
        verbose_name = _("crédit d'une proposition")
        verbose_name_plural = _("crédits des propositions")

    def __str__(self) -> str:
        return self.name


@register_setting(icon="help")
class ProposalSettings(BaseGenericSetting):
    """How long the portal keeps residents' proposals."""

    retention_days = models.PositiveSmallIntegerField(
        _("durée de conservation des propositions (jours)"),
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
        help_text=_(
            "Une proposition est effacée (avec ses photos et l'adresse e-mail de la personne) "
            "ce nombre de jours après sa dernière étape. Les pages créées restent."
        ),
    )

    panels = [FieldPanel("retention_days")]

    class Meta:
        verbose_name = _("Propositions des habitants")
