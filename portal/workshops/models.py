"""Participatory workshops and the project seeds ("graines de projet") born there.

A ``WorkshopPage`` records a workshop that happened: who took part, the shared diagnosis,
and its project seeds. The seeds are inline children of their workshop (``ProjectSeed``),
not pages of their own: they are written in the same sitting as the diagnosis, published
and revised with it, and need no URL of their own; the section page
(``portal/workshops/section.py``) lists the seeds of every live workshop and carries the
"I want to join" form.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.pages import PortalPage


def _diagnosis_list(label: str, item_label: str) -> blocks.ListBlock:
    return blocks.ListBlock(blocks.CharBlock(label=item_label, max_length=300), label=label)


class DiagnosisBlock(blocks.StreamBlock):
    """The shared diagnosis ("état des lieux"): four lists, each at most once."""

    brakes = _diagnosis_list(_("Freins"), _("Un frein"))
    levers = _diagnosis_list(_("Leviers"), _("Un levier"))
    needs = _diagnosis_list(_("Besoins"), _("Un besoin"))
    resources = _diagnosis_list(_("Ressources"), _("Une ressource"))

    class Meta:
        block_counts = {
            "brakes": {"max_num": 1},
            "levers": {"max_num": 1},
            "needs": {"max_num": 1},
            "resources": {"max_num": 1},
        }


class WorkshopPage(PortalPage):
    """A participatory workshop that took place, with its diagnosis and project seeds."""

    date = models.DateField(_("date de l'atelier"), default=timezone.localdate)
    place_name = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    intro = RichTextField(_("ce qui s'est passé"), blank=True, features=["bold", "italic", "link"])
    participants = ParentalManyToManyField(
        "portal.Actor",
        verbose_name=_("acteurs participants"),
        blank=True,
        related_name="workshops",
    )
    resident_count = models.PositiveIntegerField(_("nombre d'habitants présents"), default=0)
    diagnosis = StreamField(DiagnosisBlock(), verbose_name=_("état des lieux partagé"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("place_name"), FieldPanel("address")],
            heading=_("Quand et où"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("participants"), FieldPanel("resident_count")],
            heading=_("Participants"),
        ),
        FieldPanel("diagnosis"),
        InlinePanel("seeds", heading=_("Graines de projet"), label=_("Graine de projet")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("diagnosis"),
        index.FilterField("date"),
    ]

    template = "portal/workshops/workshop_page.html"
    parent_page_types = ["portal.ProjectSeedIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("atelier participatif")
        verbose_name_plural = _("ateliers participatifs")


class ProjectSeedQuerySet(models.QuerySet):
    def public(self) -> ProjectSeedQuerySet:
        """Seeds visitors may see: those of live workshops."""
        return self.filter(workshop__live=True)


class ProjectSeed(Orderable, ClusterableModel):
    """A project born in a workshop, carried by an action group of actors and residents."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idée à préciser")
        FORMING = "forming", _("Groupe en constitution")
        ACTIVE = "active", _("En cours")
        DONE = "done", _("Réalisé")
        PAUSED = "paused", _("En pause")

    workshop = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="seeds")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("le projet"), blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.FORMING
    )
    actors = ParentalManyToManyField(
        "portal.Actor",
        verbose_name=_("acteurs du groupe d'action"),
        blank=True,
        related_name="project_seeds",
    )
    residents = models.TextField(
        _("habitants du groupe d'action"),
        blank=True,
        help_text=_("Un prénom par ligne, seulement pour qui accepte d'être nommé en ligne."),
    )
    next_steps = models.TextField(_("prochaines étapes"), blank=True)
    contact_email = models.EmailField(
        _("e-mail du groupe (privé)"),
        blank=True,
        help_text=_(
            "Reçoit les demandes « Je veux participer » ; jamais affiché. Vide : l'équipe "
            "d'animation les reçoit."
        ),
    )

    objects = ProjectSeedQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("status"),
        FieldPanel("actors"),
        FieldPanel("residents"),
        FieldPanel("next_steps"),
        FieldPanel("contact_email"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("graine de projet")
        verbose_name_plural = _("graines de projet")

    def __str__(self) -> str:
        return self.title

    def resident_names(self) -> list[str]:
        return [line.strip() for line in self.residents.splitlines() if line.strip()]
