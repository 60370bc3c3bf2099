"""The network's toolkit, curated: the federation's marks on shared sheets, its
collections of sheets, and each portal's adoptions with its feedback (public schema).

A sheet is known here by its portal and its page id (``ToolkitSheet``), not by its row of
the federation index: the index row goes when the sheet is unpublished and comes back
when it is published again, and the federation's marks, the collections it sits in and
the feedback of the portals that adopted it must outlive that. What is shown is always
joined with the index of open portals, so a sheet withdrawn, made private, or of a
closed portal never shows, and neither does the feedback of a closed portal.

The features that share sheets act on these rows through their own services
(``portal.methodology.toolkit``); only federation staff curate, and a portal's animators
write the feedback of their own portal's adoptions only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Neighbourhood


class ToolkitSheet(models.Model):
    """A shared sheet as the toolkit knows it: the federation's marks on it."""

    tenant = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="toolkit_sheets"
    )
    page_id = models.PositiveIntegerField()
    validated = models.BooleanField(
        _("validée"), default=False, help_text=_("Relue et validée par la fédération.")
    )
    featured = models.BooleanField(
        _("à la une"), default=False, help_text=_("Mise en avant par la fédération.")
    )
    marked_by = models.CharField(_("marquée par"), max_length=254, blank=True)
    marked_at = models.DateTimeField(_("marquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("fiche de la boîte à outils")
        verbose_name_plural = _("fiches de la boîte à outils")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "page_id"], name="unique_toolkit_sheet")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.page_id}"


class ToolkitCollection(models.Model):
    """A set of sheets the federation puts together ("Kit de démarrage"...), adoptable in
    one action and offered to a portal when it is opened."""

    title = models.CharField(_("titre"), max_length=150)
    slug = models.SlugField(
        _("adresse"),
        max_length=80,
        unique=True,
        allow_unicode=False,
        error_messages={"unique": _("Une autre collection a déjà cette adresse.")},
    )
    description = models.TextField(_("présentation"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    sheets = models.ManyToManyField(
        ToolkitSheet, through="CollectionItem", related_name="collections", blank=True
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("collection de fiches")
        verbose_name_plural = _("collections de fiches")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    """One sheet of a collection, at its place."""

    collection = models.ForeignKey(ToolkitCollection, on_delete=models.CASCADE)
    sheet = models.ForeignKey(ToolkitSheet, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("fiche d'une collection")
        verbose_name_plural = _("fiches des collections")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "sheet"], name="unique_collection_sheet")
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}/{self.sheet_id}"


class AdoptionQuerySet(models.QuerySet):
    def shown(self) -> AdoptionQuerySet:
        """Adoptions by open portals: a closed portal's name and words never show."""
        return self.filter(portal__status=Neighbourhood.Status.ACTIVE).select_related("portal")


class Adoption(models.Model):
    """A portal took a shared sheet into its own methodology (a draft copy there), and may
    say what worked for it ("ce qui a marché chez nous")."""

    sheet = models.ForeignKey(ToolkitSheet, on_delete=models.CASCADE, related_name="adoptions")
    portal = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="adoptions")
    page_id = models.PositiveIntegerField(_("copie dans le portail"))
    collection = models.ForeignKey(
        ToolkitCollection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("adoptée avec la collection"),
    )
    adopted_at = models.DateTimeField(_("adoptée le"), auto_now_add=True)
    adopted_by = models.CharField(_("adoptée par"), max_length=254, blank=True)
    feedback = models.TextField(_("ce qui a marché chez nous"), max_length=2000, blank=True)
    feedback_at = models.DateTimeField(_("retour écrit le"), null=True, blank=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adoption d'une fiche")
        verbose_name_plural = _("adoptions de fiches")
        ordering = ["-adopted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "portal"], name="unique_adoption")]

    def __str__(self) -> str:
        return f"{self.portal_id} <- {self.sheet}"
