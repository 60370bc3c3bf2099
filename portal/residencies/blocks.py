"""The blocks of a residency: its phases, the modules it runs, its partners.

The keys (``phase``, ``module``, ``partner``, ``organisation`` and their fields) are stored
in every portal's pages: never rename one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

# What a residency may have produced, by page type: named by strings, so that portal
# imports no sibling app (radio's episodes).
OUTPUT_PAGE_TYPES = [
    "portal.ArticlePage",
    "radio.EpisodePage",
    "portal.WorkshopPage",
    "portal.EventPage",
]
# The partners and funders of the portal (the carriers app), by name for the same reason.
PARTNER_SNIPPET = "carriers.Partner"


class PhaseKind(models.TextChoices):
    """The four moments of a residency, in the order they come."""

    PREFIGURATION = "prefiguration", _("Préfiguration")
    IMMERSION = "immersion", _("Immersion")
    RESTITUTION = "restitution", _("Restitution")
    FOLLOW_UP = "follow_up", _("Suivi")


class Scope(models.TextChoices):
    """Where a partner stands: on the territory, or with the residency from outside."""

    LOCAL = "local", _("Sur le territoire")
    EXTERNAL = "external", _("Autour de la résidence")


class PhaseBlock(blocks.StructBlock):
    """One phase of the residency: its kind, its dates, what happens, what came out."""

    kind = blocks.ChoiceBlock(label=_("Moment"), choices=PhaseKind.choices)
    title = blocks.CharBlock(
        label=_("Titre"),
        max_length=150,
        required=False,
        help_text=_("Par exemple « Deuxième semaine sur place ». Vide : le nom du moment."),
    )
    starts_on = blocks.DateBlock(label=_("Début"))
    ends_on = blocks.DateBlock(label=_("Fin"), required=False)
    text = blocks.RichTextBlock(
        label=_("Ce qui se passe"), features=["bold", "italic", "link", "ul"], required=False
    )
    outputs = blocks.ListBlock(
        blocks.PageChooserBlock(page_type=OUTPUT_PAGE_TYPES, label=_("Production")),
        label=_("Ce qui en est sorti"),
        help_text=_(
            "Articles, épisodes, ateliers (et leurs graines de projet), rendez-vous de "
            "l'agenda. Seuls ceux qui sont publiés et publics paraissent sur la page."
        ),
        default=[],
    )

    class Meta:
        icon = "date"
        label = _("Phase")
        preview_value = {
            "kind": PhaseKind.IMMERSION,
            "title": "Première semaine sur place",
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-06",
            "text": "<p>Rencontres au tiers-lieu, premières interviews au marché.</p>",
        }
        description = _("Un moment de la résidence, avec ses dates et ses productions.")

    def clean(self, value):
        value = super().clean(value)
        starts_on, ends_on = value.get("starts_on"), value.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            raise StructBlockValidationError(
                block_errors={
                    "ends_on": ValidationError(_("La fin de la phase précède son début."))
                }
            )
        return value


class ModuleBlock(blocks.StructBlock):
    """A module the residency runs: one of the portal's methodology sheets."""

    sheet = blocks.PageChooserBlock(page_type="portal.MethodologyPage", label=_("Fiche"))
    note = blocks.TextBlock(
        label=_("Ici"),
        required=False,
        max_length=400,
        help_text=_("Ce que la résidence en fait sur ce territoire, en une ou deux phrases."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Module")


class PartnerBlock(blocks.StructBlock):
    """A partner or funder of the portal (its logo and address come with it)."""

    partner = SnippetChooserBlock(PARTNER_SNIPPET, label=_("Partenaire du portail"))
    scope = blocks.ChoiceBlock(label=_("Où"), choices=Scope.choices, default=Scope.LOCAL)
    role = blocks.CharBlock(label=_("Son rôle"), max_length=200, required=False)

    class Meta:
        icon = "group"
        label = _("Partenaire du portail")


class OrganisationBlock(blocks.StructBlock):
    """Any other organisation taking part: a tiers-lieu, a school, a town hall..."""

    name = blocks.CharBlock(label=_("Nom"), max_length=150)
    scope = blocks.ChoiceBlock(label=_("Où"), choices=Scope.choices, default=Scope.LOCAL)
    role = blocks.CharBlock(label=_("Son rôle"), max_length=200, required=False)
    url = blocks.URLBlock(label=_("Site web"), required=False)

    class Meta:
        icon = "site"
        label = _("Autre structure")
