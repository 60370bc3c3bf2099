"""Methodology sheets: how a neighbourhood runs a workshop, a round table, a training...

Every published sheet is shared with the network (the federation index).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import DocumentBlock
from core.pages import PortalPage, SectionPage
from tenants.sharing import SharedFields, SharedWithNetwork


class MethodologyIndexPage(SectionPage):
    """Methodology sheets of the portal ("Méthodologie")."""

    template = "portal/methodology/methodology_index_page.html"
    subpage_types = ["portal.MethodologyPage"]

    class Meta:
        verbose_name = _("rubrique Méthodologie")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sheets"] = (
            MethodologyPage.objects.live().public().child_of(self).order_by("module", "title")
        )
        return context


class StepBlock(blocks.StructBlock):
    """One step of a programme: what happens, for how long, with which technique."""

    title = blocks.CharBlock(label=_("Étape"), max_length=150)
    duration = blocks.CharBlock(label=_("Durée"), max_length=40, required=False)
    technique = blocks.CharBlock(
        label=_("Technique d'animation"),
        max_length=150,
        required=False,
        help_text=_("Par exemple « photolangage », « world café », « porteur de parole »."),
    )
    description = blocks.RichTextBlock(
        label=_("Déroulé"), features=["bold", "italic", "link", "ol", "ul"], required=False
    )

    class Meta:
        icon = "list-ol"
        label = _("Étape")
        template = "portal/methodology/blocks/step_block.html"
        preview_value = {
            "title": "Tour de table",
            "duration": "15 min",
            "technique": "Photolangage",
            "description": "<p>Chacun choisit une photo qui lui évoque le quartier.</p>",
        }
        description = _("Une étape du programme, avec sa durée et sa technique.")


class MethodologyPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.MethodologyPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class MethodologyPage(SharedWithNetwork, PortalPage):
    """A methodology sheet, shared with the whole network as soon as it is published."""

    class Module(models.TextChoices):
        MAPPING = "mapping", _("Cartographie coopérative")
        ROUND_TABLE = "round_table", _("Tables rondes « Paroles de territoires »")
        MEDIA_LITERACY = "media_literacy", _("Éducation aux médias")
        PITCH = "pitch", _("Atelier pitch")
        BREAKFAST = "breakfast", _("Petits-déjeuners réseau")
        WORKSHOP = "workshop", _("Atelier participatif")
        NEWSLETTER = "newsletter", _("Infolettre et journal")
        OTHER = "other", _("Autre")

    module = models.CharField(_("module"), max_length=20, choices=Module.choices)
    summary = models.TextField(
        _("résumé"), max_length=500, help_text=_("Deux ou trois phrases pour la liste du réseau.")
    )
    objectives = RichTextField(_("objectifs"), features=["bold", "italic", "ol", "ul"])
    audience = models.CharField(_("public"), max_length=200, blank=True)
    duration = models.CharField(_("durée"), max_length=100, blank=True)
    team = models.TextField(_("équipe et partenaires nécessaires"), blank=True)
    programme = StreamField(
        [("step", StepBlock())], verbose_name=_("programme pas à pas"), blank=True
    )
    materials = RichTextField(_("matériel"), blank=True, features=["bold", "italic", "ul"])
    expected_results = RichTextField(
        _("résultats attendus"), blank=True, features=["bold", "italic", "ul"]
    )
    what_worked = RichTextField(_("ce qui a marché"), blank=True, features=["bold", "italic", "ul"])
    what_did_not = RichTextField(
        _("ce qui n'a pas marché"), blank=True, features=["bold", "italic", "ul"]
    )
    attachments = StreamField(
        [("document", DocumentBlock())], verbose_name=_("documents joints"), blank=True
    )
    credit = models.CharField(
        _("d'après"),
        max_length=300,
        blank=True,
        help_text=_("Rempli quand la fiche est reprise d'un autre portail du réseau."),
    )
    tags = ClusterTaggableManager(
        through=MethodologyPageTag, blank=True, verbose_name=_("mots-clés")
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("module"), FieldPanel("summary"), FieldPanel("tags")],
            heading=_("Présentation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("objectives"),
                FieldPanel("audience"),
                FieldPanel("duration"),
                FieldPanel("team"),
            ],
            heading=_("Pour qui, pour quoi"),
        ),
        FieldPanel("programme"),
        FieldPanel("materials"),
        FieldPanel("expected_results"),
        MultiFieldPanel(
            [FieldPanel("what_worked"), FieldPanel("what_did_not")],
            heading=_("Retour d'expérience"),
        ),
        FieldPanel("attachments"),
        FieldPanel("credit", read_only=True),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("programme"),
        index.SearchField("what_worked"),
        index.SearchField("what_did_not"),
        index.FilterField("module"),
    ]

    template = "portal/methodology/methodology_page.html"
    parent_page_types = ["portal.MethodologyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("fiche méthodologique")
        verbose_name_plural = _("fiches méthodologiques")

    def shared_fields(self) -> SharedFields:
        """A published sheet is always shared with the network."""
        return SharedFields(
            kind="methodology",
            module=self.module,
            title=self.title,
            summary=self.summary,
            tags=sorted(tag.name for tag in self.tags.all()),
        )
