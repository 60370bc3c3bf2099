"""Local actors of the neighbourhood: associations, shops, schools, third places...

Kept by the animators (snippets); articles and events name the actors they concern and
the home page can feature some. The directory and the map come with the cooperative map.

Residents propose new actors, or corrections to one (``ActorProposal``). A proposal is
never shown on the portal: only its approval (``portal/actors/proposals.py``) creates or
changes the actor visitors see.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import RevisionMixin
from wagtail.search import index

from core.choices import choice_label


class ActorTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.Actor", related_name="tagged_items", on_delete=models.CASCADE
    )


class ActorQuerySet(models.QuerySet):
    def featured(self) -> ActorQuerySet:
        # The id last: a listing cut after a few names is the same whoever asks.
        return self.filter(featured=True).order_by("name", "pk")

    def located(self) -> ActorQuerySet:
        """Actors a map can place: both coordinates known."""
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def of_kind(self, kind: str) -> ActorQuerySet:
        return self.filter(kind=kind) if kind else self

    def with_theme(self, theme_slug: str) -> ActorQuerySet:
        return self.filter(themes__slug=theme_slug).distinct() if theme_slug else self


class Actor(RevisionMixin, index.Indexed, ClusterableModel):
    """A local actor of the territory, as residents may meet it.

    Revisions keep the history of its entry: each approved change (by a resident or by the
    actor itself, ``portal/actors/proposals.py``) is saved as a revision by the animator.
    """

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        AUTHORITY = "authority", _("Collectivité")
        LANDLORD = "landlord", _("Bailleur social")
        SSE = "sse", _("Entreprise de l'économie sociale et solidaire")
        SHOP = "shop", _("Commerce ou artisan")
        THIRD_PLACE = "third_place", _("Tiers-lieu")
        SCHOOL = "school", _("École ou centre de formation")
        CULTURE = "culture", _("Structure culturelle")
        MEDIA = "media", _("Média")
        RESIDENT_RELAY = "resident_relay", _("Habitant relais")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION
    )
    themes = ClusterTaggableManager(through=ActorTag, blank=True, verbose_name=_("thèmes"))
    description = RichTextField(_("présentation"), blank=True, features=["bold", "italic", "link"])
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    opening_hours = models.TextField(_("horaires d'ouverture"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    public_email = models.EmailField(_("e-mail public"), blank=True)
    public_phone = models.CharField(_("téléphone public"), max_length=30, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured = models.BooleanField(_("mis en avant sur l'accueil"), default=False)
    # Private: for the animators only, never shown on the portal.
    contact_person = models.CharField(_("personne contact (privé)"), max_length=200, blank=True)
    contact_email = models.EmailField(
        _("e-mail de contact (privé)"),
        blank=True,
        help_text=_(
            "Reçoit le lien « Mettez à jour votre fiche ». Vide : l'e-mail public est utilisé."
        ),
    )
    notes = models.TextField(_("notes de l'équipe (privé)"), blank=True)
    # For the infolettre's "new actors" block (portal/workshops/latest.py).
    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now, editable=False)

    objects = ActorQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("kind"), FieldPanel("themes"), FieldPanel("logo")],
            heading=_("Qui"),
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("opening_hours"),
            ],
            heading=_("Où et quand"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("public_email"), FieldPanel("public_phone")],
            heading=_("Contact public"),
        ),
        FieldPanel("featured"),
        MultiFieldPanel(
            [FieldPanel("contact_person"), FieldPanel("contact_email"), FieldPanel("notes")],
            heading=_("Pour l'équipe d'animation (jamais publié)"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.SearchField("address"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("acteur local")
        verbose_name_plural = _("acteurs locaux")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_kind_display(self) -> str:
        """The kind's label, as Django's own gives it, without translating every
        choice's (``core.choices``): shown on every card of a listing."""
        return choice_label(self.Kind, self.kind)

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def theme_names(self) -> list[str]:
        """The themes' names, sorted (from the prefetch cache when there is one)."""
        return sorted(tag.name for tag in self.themes.all())

    @property
    def update_email(self) -> str:
        """Where the actor's own link to update its entry goes: its private contact
        address, else its public one; empty when it has neither."""
        return self.contact_email or self.public_email


class ActorProposalQuerySet(models.QuerySet):
    def pending(self) -> ActorProposalQuerySet:
        return self.filter(status=ActorProposal.Status.PENDING)

    def pending_first(self) -> ActorProposalQuerySet:
        """Proposals awaiting a decision first (oldest first), then the others, newest first."""
        waiting = models.Case(
            models.When(status=ActorProposal.Status.PENDING, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        return self.annotate(queue_rank=waiting).order_by("queue_rank", "-created_at")


class ActorProposal(models.Model):
    """What a visitor proposes: a new actor, or a correction of an existing one; or what
    an actor asks of its own entry, from its signed link (a change, or its removal)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        APPROVED = "approved", _("acceptée")
        REJECTED = "rejected", _("refusée")

    class Origin(models.TextChoices):
        RESIDENT = "resident", _("un habitant")
        ACTOR = "actor", _("l'acteur lui-même")

    actor = models.ForeignKey(
        Actor,
        verbose_name=_("acteur à corriger"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text=_("Vide pour la proposition d'un nouvel acteur."),
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=Actor.Kind.choices, default=Actor.Kind.ASSOCIATION
    )
    themes = models.CharField(
        _("thèmes"), max_length=255, blank=True, help_text=_("Séparés par des virgules.")
    )
    description = models.TextField(_("présentation"), max_length=3000, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    opening_hours = models.TextField(_("horaires d'ouverture"), max_length=1000, blank=True)
    website = models.URLField(_("site web"), blank=True)
    public_email = models.EmailField(_("e-mail public"), blank=True)
    public_phone = models.CharField(_("téléphone public"), max_length=30, blank=True)
    message = models.TextField(_("message à l'équipe"), max_length=2000, blank=True)
    origin = models.CharField(
        _("proposée par"), max_length=10, choices=Origin.choices, default=Origin.RESIDENT
    )
    removal = models.BooleanField(_("demande de retrait de la fiche"), default=False)
    # Who proposed it: for the animators only, to ask a question or say thanks.
    proposer_name = models.CharField(_("proposé par"), max_length=80)
    proposer_email = models.EmailField(_("e-mail de la personne"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("note de décision"), blank=True)

    objects = ActorProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposition d'acteur")
        verbose_name_plural = _("propositions d'acteurs")

    def __str__(self) -> str:
        return self.name

    @property
    def is_correction(self) -> bool:
        return self.actor_id is not None

    @property
    def kind_of_proposal(self) -> str:
        if self.removal:
            return str(_("Demande de retrait"))
        if self.origin == self.Origin.ACTOR:
            return str(_("Mise à jour par l'acteur"))
        return str(_("Correction") if self.is_correction else _("Nouvel acteur"))

    def theme_list(self) -> list[str]:
        """The proposed themes, trimmed, without duplicates, in the order typed."""
        seen: dict[str, None] = {}
        for theme in self.themes.split(","):
            if theme.strip():
                seen.setdefault(theme.strip()[:100], None)
        return list(seen)
