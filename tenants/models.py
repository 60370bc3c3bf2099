"""The network's registry, in the public schema: one row per portal, and its host names."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_creation_fakes_migrations, schema_exists

from tenants.media import delete_portal_media
from tenants.slugs import validate_slug


class NeighbourhoodQuerySet(models.QuerySet):
    def active(self) -> NeighbourhoodQuerySet:
        return self.filter(status=Neighbourhood.Status.ACTIVE)

    def portals(self) -> NeighbourhoodQuerySet:
        """Neighbourhoods and the federation, in the order the directory shows them."""
        return self.order_by("kind", "name")


def new_portal_secret() -> str:
    """A fresh random secret for a portal's private links (``Neighbourhood.secret``)."""
    return secrets.token_urlsafe(32)


class Neighbourhood(TenantMixin):
    """A portal of the network: a neighbourhood's citizen media, or the federation."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", _("Quartier")
        FEDERATION = "federation", _("Fédération")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Actif")
        SUSPENDED = "suspended", _("Suspendu")
        ARCHIVED = "archived", _("Archivé")

    schema_name = models.CharField(
        _("identifiant"),
        max_length=63,
        unique=True,
        validators=[validate_slug],
        help_text=_("Nom du schéma et début de l'adresse du portail, par exemple « belleville »."),
        error_messages={"unique": _("Ce nom de quartier est déjà utilisé.")},
    )
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.NEIGHBOURHOOD
    )
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("motif du changement d'état"), max_length=255, blank=True)
    city = models.CharField(_("ville"), max_length=120)
    territory = models.CharField(
        _("territoire"),
        max_length=200,
        blank=True,
        help_text=_(
            "Ce que le portail couvre, tel que le lit un visiteur : « quartier du "
            "Franc-Moisin, Saint-Denis »."
        ),
    )
    # Where the pilot sits on the network's map (the federation's front page).
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    carrying_structure = models.CharField(
        _("structure porteuse"),
        max_length=200,
        blank=True,
        help_text=_("MJC, centre social, régie de quartier…"),
    )
    scic_name = models.CharField(_("SCIC"), max_length=200, blank=True)
    scic_siren = models.CharField(
        _("SIREN de la SCIC"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("Un SIREN compte exactement 9 chiffres."))],
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    content_languages = ArrayField(
        models.CharField(max_length=8, choices=settings.WAGTAIL_CONTENT_LANGUAGES),
        verbose_name=_("langues des contenus"),
        default=list,
        blank=True,
    )
    # Mixed into every private link the portal sends (classifieds, newsletter,
    # registrations, invitations): a portal opened again under the slug of a deleted one,
    # or a copy made by import, gets a new secret and honours none of the old links.
    secret = models.CharField(
        _("secret des liens privés"), max_length=64, default=new_portal_secret, editable=False
    )
    # The slugs of the sections this portal was given (at its opening, or by
    # migrate_network when a feature brought a new one): a section is offered once, so
    # one the animators removed is never put back.
    sections_offered = ArrayField(
        models.CharField(max_length=80),
        verbose_name=_("sections proposées"),
        default=list,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = NeighbourhoodQuerySet.as_manager()

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("portail")
        verbose_name_plural = _("portails")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def slug(self) -> str:
        return self.schema_name

    def delete(self, force_drop: bool = False, *args, **kwargs):
        """Delete the row and, when the schema is dropped with it, the portal's media
        (its folder, or its prefix in the bucket) too, once the transaction commits (a
        rolled-back deletion keeps them)."""
        schema = self.schema_name
        dropped = force_drop or self.auto_drop_schema
        result = super().delete(force_drop, *args, **kwargs)
        if dropped:
            transaction.on_commit(lambda: delete_portal_media(schema))
        return result

    @property
    def is_located(self) -> bool:
        """Whether the portal has a point on the network's map."""
        return self.latitude is not None and self.longitude is not None

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1) -> bool:
        """Clone the template schema; migrate only when there is no template.

        django-tenants fakes every migration after a clone, which costs half a second and
        would mark as applied a migration the template had not received yet. The clone
        already carries the template's ``django_migrations``, so the next
        ``migrate_schemas`` applies exactly what is missing.
        """
        base_schema = self.get_base_schema() if get_creation_fakes_migrations() else None
        if not (base_schema and schema_exists(base_schema)):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        from tenants.schema_copy import copy_schema

        # Not django-tenants' clone_schema, whose cost grows with the number of portals.
        copy_schema(base_schema, self.schema_name)
        connection.set_schema_to_public()
        return True


class Domain(DomainMixin):
    """A host name that serves a portal (the first one is its primary domain)."""

    domain = models.CharField(
        _("nom d'hôte"),
        max_length=253,
        unique=True,
        db_index=True,
        validators=[
            RegexValidator(
                r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
                _("Nom d'hôte invalide : lettres minuscules, chiffres, tirets et points."),
            )
        ],
        error_messages={"unique": _("Ce nom d'hôte sert déjà un autre portail.")},
    )

    class Meta:
        verbose_name = _("nom d'hôte")
        verbose_name_plural = _("noms d'hôte")

    def __str__(self) -> str:
        return self.domain


class SharedEntryQuerySet(models.QuerySet):
    def newest_first(self) -> SharedEntryQuerySet:
        return self.order_by("-last_published_at", "-pk")

    def of_open_portals(self) -> SharedEntryQuerySet:
        """Entries of portals that are open: a suspended or archived portal's never show."""
        return self.filter(tenant__status=Neighbourhood.Status.ACTIVE)

    def of_kind(self, *kinds: str) -> SharedEntryQuerySet:
        return self.filter(kind__in=kinds)

    def upcoming_events(self, now: datetime.datetime | None = None) -> SharedEntryQuerySet:
        """Shared events not over yet, soonest first."""
        return (
            self.filter(kind=SharedEntry.Kind.EVENT, ends_at__gte=now or timezone.now())
            .exclude(starts_at=None)
            .order_by("starts_at", "pk")
        )

    def podcast_episodes(self) -> SharedEntryQuerySet:
        """Shared episodes with a file podcast apps can fetch, newest first."""
        return (
            self.filter(kind=SharedEntry.Kind.EPISODE)
            .exclude(enclosure_url="")
            .order_by("-starts_at", "-pk")
        )

    def search(self, query: str) -> SharedEntryQuerySet:
        """Entries matching ``query`` in French (stemmed), best first."""
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search_query = SearchQuery(query, config="french", search_type="websearch")
        return (
            self.filter(search_vector=search_query)
            .annotate(rank=SearchRank("search_vector", search_query))
            .order_by("-rank", "-last_published_at")
        )


class SharedEntry(models.Model):
    """One page of a portal shared with the network, as the federation's hub lists it.

    Written when the page is published, removed when it is unpublished or deleted; holds
    everything a listing, its filters and its search need, so the hub never reads any
    portal's schema.
    """

    class Kind(models.TextChoices):
        METHODOLOGY = "methodology", _("Fiche méthodologique")
        ARTICLE = "article", _("Article")
        EVENT = "event", _("Événement")
        EPISODE = "episode", _("Épisode")

    tenant = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="shared_entries"
    )
    page_id = models.PositiveIntegerField()
    locale = models.CharField(_("langue"), max_length=8)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    module = models.CharField(_("module"), max_length=20, blank=True)
    title = models.CharField(_("titre"), max_length=255)
    summary = models.TextField(_("résumé"), blank=True)
    tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    url = models.URLField(_("adresse"), max_length=500)
    first_published_at = models.DateTimeField(null=True)
    last_published_at = models.DateTimeField(null=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Events (the network's agenda); for an episode, ``starts_at`` is its broadcast.
    starts_at = models.DateTimeField(_("début"), null=True, blank=True)
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse postale"), max_length=255, blank=True)
    # Episodes (the network's podcast).
    enclosure_url = models.URLField(_("fichier audio ou vidéo"), max_length=500, blank=True)
    enclosure_type = models.CharField(_("type du fichier"), max_length=100, blank=True)
    enclosure_length = models.BigIntegerField(_("taille (octets)"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("durée (secondes)"), null=True, blank=True)
    image_url = models.URLField(_("visuel"), max_length=500, blank=True)
    explicit = models.BooleanField(_("réservé aux adultes"), default=False)

    objects = SharedEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("page partagée avec le réseau")
        verbose_name_plural = _("pages partagées avec le réseau")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "page_id"], name="unique_shared_page")
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="sharedentry_search"),
            models.Index(fields=["-last_published_at"], name="sharedentry_newest"),
            models.Index(fields=["kind", "starts_at"], name="sharedentry_agenda"),
        ]

    def __str__(self) -> str:
        return self.title


class NetworkAction(models.Model):
    """One thing federation staff or an operator did to the network, kept for the record.

    Who and which portal are plain strings, not foreign keys: the staff member's account
    lives in the federation's schema and the portal may since have been deleted.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Création")
        IMPORT = "import", _("Import")
        ADD_DOMAIN = "add_domain", _("Ajout d'un nom d'hôte")
        REMOVE_DOMAIN = "remove_domain", _("Retrait d'un nom d'hôte")
        MAKE_PRIMARY = "make_primary", _("Changement du nom d'hôte principal")
        SUSPEND = "suspend", _("Suspension")
        REACTIVATE = "reactivate", _("Réactivation")
        ARCHIVE = "archive", _("Archivage")
        DELETE = "delete", _("Suppression")
        SUPPORT_START = "support_start", _("Ouverture d'un accès de support")
        SUPPORT_END = "support_end", _("Fin d'un accès de support")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Double authentification retirée")

    who = models.CharField(_("par"), max_length=254)
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    portal = models.CharField(_("portail"), max_length=63, db_index=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("action sur le réseau")
        verbose_name_plural = _("actions sur le réseau")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.action} {self.portal}"


class DailyIndicator(models.Model):
    """One indicator of one portal for one day (pages published, classifieds, editors...),
    folded from the portal's schema by ``manage.py rollup_activity`` (``tenants.rollup``).

    The network's screens read this table alone, whatever the number of portals, instead
    of visiting every schema at each display.
    """

    portal = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="daily_indicators"
    )
    day = models.DateField(_("jour"))
    indicator = models.CharField(_("indicateur"), max_length=60)
    value = models.IntegerField(_("valeur"))

    class Meta:
        verbose_name = _("indicateur du jour")
        verbose_name_plural = _("indicateurs du jour")
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "day", "indicator"], name="one_value_per_portal_day_indicator"
            )
        ]
        indexes = [models.Index(fields=["day", "portal"], name="dailyindicator_day_portal")]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.day} {self.indicator} = {self.value}"


class TemplateDump(models.Model):
    """The SQL that copies the template schema into a new portal, for one version of the
    template (``tenants.schema_copy``).

    Dumping the template reads PostgreSQL's whole catalogue, which grows with every portal:
    a few seconds with ten portals, minutes with a thousand. So the dump is made once per
    version of the template (``migrate_network`` makes it after migrating the template)
    and kept here, where every process of every server finds it, instead of at a visitor's
    first provisioning in each process.
    """

    fingerprint = models.CharField(max_length=255, unique=True)
    sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("copie du schéma modèle")
        verbose_name_plural = _("copies du schéma modèle")

    def __str__(self) -> str:
        return f"{self.fingerprint} ({len(self.sql):,} octets)"


# The curated toolkit's rows and the network's accounts (one password for every portal),
# public schema too, each kept in a module of its own.
from tenants.accounts import NetworkAccount, NetworkMembership  # noqa: E402, F401
from tenants.second_factor import (  # noqa: E402, F401
    RecoveryCode,
    SecondFactorDevice,
    SecondFactorFailure,
)
from tenants.support import SupportAccess  # noqa: E402, F401
from tenants.toolkit import (  # noqa: E402, F401
    Adoption,
    CollectionItem,
    ToolkitCollection,
    ToolkitSheet,
)
from tenants.training import TrainingStep  # noqa: E402, F401
