"""Who carries the media: the pages an animator writes freely (about us, how to join,
legal notice), the cooperative's page (SCIC), and the partners and funders."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from carriers.alt_text import visible
from carriers.blocks import AssemblyBlock, CollegeBlock
from core.blocks import BodyBlock
from core.pages import PortalPage, SectionPage

INTRO_FEATURES = ["bold", "italic", "link", "document-link"]


class WithSubpages:
    """Lists the page's public free sub-pages ("Nous rejoindre" under "À propos")."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = FreePage.objects.child_of(self).live().public()
        return context


class FreePage(WithSubpages, PortalPage):
    """A page the animator writes as they like: "À propos", "Nous rejoindre", mentions
    légales. Free pages may hold free pages (a "À propos" with its sub-pages), and so may
    the cooperative's page (its statutes)."""

    intro = RichTextField(_("Introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = [settings.PORTAL_HOME_PAGE_MODEL, "carriers.FreePage", "carriers.ScicPage"]
    subpage_types = ["carriers.FreePage"]

    class Meta:
        verbose_name = _("page libre")
        verbose_name_plural = _("pages libres")


class ScicPage(WithSubpages, SectionPage):
    """The cooperative (SCIC) that carries the media: its colleges and how many members
    each has, its general assemblies with their documents, how to become a member."""

    colleges = StreamField([("college", CollegeBlock())], verbose_name=_("collèges"), blank=True)
    assemblies = StreamField(
        [("assembly", AssemblyBlock())],
        verbose_name=_("assemblées générales"),
        blank=True,
        help_text=_("La plus récente en premier."),
    )
    membership = RichTextField(
        _("Devenir sociétaire"),
        blank=True,
        features=["h3", "bold", "italic", "link", "document-link", "ol", "ul"],
    )

    content_panels = [
        *SectionPage.content_panels,
        FieldPanel("colleges"),
        FieldPanel("membership"),
        FieldPanel("assemblies"),
    ]
    search_fields = [
        *SectionPage.search_fields,
        index.SearchField("colleges"),
        index.SearchField("membership"),
    ]
    subpage_types = ["carriers.FreePage"]
    max_count = 1

    class Meta:
        verbose_name = _("page de la coopérative (SCIC)")

    @property
    def member_count(self) -> int:
        """Every college's members together."""
        return sum(block.value["members"] or 0 for block in self.colleges)


class Partner(models.Model):
    """A partner or funder of the portal, shown in its footer strip and home block."""

    class Kind(models.TextChoices):
        FUNDER = "funder", _("Financeur")
        PARTNER = "partner", _("Partenaire")
        NETWORK = "network", _("Réseau")

    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.PARTNER)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    logo_alt = models.CharField(
        _("texte alternatif du logo"),
        max_length=250,
        help_text=_("Ce que le logo dit, en général le nom du partenaire."),
    )
    url = models.URLField(_("site web"), blank=True)
    in_footer = models.BooleanField(_("dans le bandeau du pied de page"), default=True)
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("logo"),
        FieldPanel("logo_alt"),
        FieldPanel("url"),
        FieldPanel("in_footer"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires et financeurs")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The logo's alternative text must say something: spaces, zero-width or other
        invisible characters alone leave a screen reader's user with nothing."""
        super().clean()
        self.logo_alt = (self.logo_alt or "").strip()
        if not visible(self.logo_alt):
            raise ValidationError(
                {
                    "logo_alt": _(
                        "Décrivez le logo en quelques mots visibles (par exemple le nom du "
                        "partenaire) : des espaces ou des caractères invisibles ne sont pas "
                        "lus par les lecteurs d'écran."
                    )
                }
            )
