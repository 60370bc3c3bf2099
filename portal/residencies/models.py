"""Media residencies: the federation's team on a territory for three to six months.

A ``ResidencyPage`` holds a residency's territory, dates and phases (préfiguration,
immersion about a week a month, restitution, follow-up six months on), the methodology
sheets it runs as modules, its partners, and what each phase produced (articles, episodes,
workshops with their project seeds, agenda events). Its page shows the phases as a
timeline ("frise") that needs no script and prints whole.

The residency lives in the neighbourhood portal where it takes place: what it produces is
published there, and Wagtail's choosers reach only pages of the same portal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from core.pages import PortalPage, PortalPageQuerySet, SectionPage
from core.privacy import public_pages
from portal.residencies.blocks import (
    ModuleBlock,
    OrganisationBlock,
    PartnerBlock,
    PhaseBlock,
    PhaseKind,
    Scope,
)
from portal.workshops.models import ProjectSeed, WorkshopPage

# How an output is named on the timeline, by page type (``app_label.model_name``).
OUTPUT_KINDS = {
    "portal.articlepage": _("Article"),
    "radio.episodepage": _("Épisode"),
    "portal.workshoppage": _("Atelier"),
    "portal.eventpage": _("Rendez-vous"),
}


class ResidencyIndexPage(SectionPage):
    """The residencies section ("Résidences"): those under way, to come, and past."""

    template = "portal/residencies/residency_index_page.html"
    subpage_types = ["portal.ResidencyPage"]

    class Meta:
        verbose_name = _("rubrique Résidences")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        residencies = ResidencyPage.objects.live().public().child_of(self)
        context["current"] = residencies.current()
        context["upcoming"] = residencies.upcoming()
        context["past"] = residencies.past()
        return context


class ResidencyPageQuerySet(PortalPageQuerySet):
    def current(self, today: datetime.date | None = None) -> ResidencyPageQuerySet:
        """Residencies under way (begun, not ended), soonest ending first."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today), starts_on__lte=today
        ).order_by("starts_on", "pk")

    def upcoming(self, today: datetime.date | None = None) -> ResidencyPageQuerySet:
        """Residencies still to begin, soonest first."""
        return self.filter(starts_on__gt=today or timezone.localdate()).order_by("starts_on", "pk")

    def past(self, today: datetime.date | None = None) -> ResidencyPageQuerySet:
        """Residencies ended, the latest first."""
        return self.filter(ends_on__lt=today or timezone.localdate()).order_by("-ends_on", "-pk")


@dataclass(frozen=True)
class Output:
    """Something a phase produced that visitors may open (live and public)."""

    page: Page
    label: str
    date: datetime.date | None
    seeds: list[tuple[ProjectSeed, str]] = field(default_factory=list)  # (seed, its page)


@dataclass(frozen=True)
class Phase:
    """A phase as the timeline shows it."""

    kind: str
    kind_label: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    text: object
    outputs: list[Output]
    is_current: bool


class ResidencyPage(PortalPage):
    """A media residency on a territory: its phases on a timeline, its modules, its
    partners and what it produced."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("À venir")
        CURRENT = "current", _("En cours")
        DONE = "done", _("Terminée")

    territory = models.CharField(
        _("territoire"),
        max_length=200,
        help_text=_("Le quartier ou la commune, tel que ses habitants le nomment."),
    )
    team = models.CharField(
        _("équipe en résidence"),
        max_length=200,
        blank=True,
        help_text=_("Le média ou l'équipe du réseau qui vient sur place."),
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(
        _("fin"), null=True, blank=True, help_text=_("Suivi compris. Vide : pas encore fixée.")
    )
    intro = RichTextField(_("présentation"), blank=True, features=["bold", "italic", "link", "ul"])
    phases = StreamField(
        [("phase", PhaseBlock())],
        verbose_name=_("phases"),
        blank=True,
        help_text=_("Préfiguration, immersions, restitution, suivi : la frise les range par date."),
    )
    modules = StreamField(
        [("module", ModuleBlock())],
        verbose_name=_("modules"),
        blank=True,
        help_text=_("Les fiches méthodologiques que la résidence met en œuvre."),
    )
    partners = StreamField(
        [("partner", PartnerBlock()), ("organisation", OrganisationBlock())],
        verbose_name=_("partenaires"),
        blank=True,
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("territory"),
                FieldPanel("team"),
                FieldPanel("starts_on"),
                FieldPanel("ends_on"),
            ],
            heading=_("Où et quand"),
        ),
        FieldPanel("intro"),
        FieldPanel("phases"),
        FieldPanel("modules"),
        FieldPanel("partners"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("territory"),
        index.SearchField("team"),
        index.SearchField("intro"),
        # Phases' titles and texts only: a chosen page gives no searchable text, so a
        # private output's title can never make a residency match.
        index.SearchField("phases"),
        index.FilterField("starts_on"),
    ]

    template = "portal/residencies/residency_page.html"
    parent_page_types = ["portal.ResidencyIndexPage"]
    subpage_types: list[str] = []

    objects = PageManager.from_queryset(ResidencyPageQuerySet)()

    class Meta:
        verbose_name = _("résidence")
        verbose_name_plural = _("résidences")

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin de la résidence précède son début.")})

    def status(self, today: datetime.date | None = None) -> ResidencyPage.Status:
        """Whether the residency is to come, under way or over, on ``today``."""
        today = today or timezone.localdate()
        if today < self.starts_on:
            return self.Status.UPCOMING
        if self.ends_on and today > self.ends_on:
            return self.Status.DONE
        return self.Status.CURRENT

    def status_label(self) -> str:
        return self.status().label

    def timeline(self, today: datetime.date | None = None) -> list[Phase]:
        """The phases by date, each with the outputs visitors may open: a draft, an
        unpublished or a private page is left out, title and all."""
        today = today or timezone.localdate()
        phases = sorted(
            (block.value for block in self.phases),
            key=lambda value: value["starts_on"] or datetime.date.max,
        )
        shown = _shown_pages(
            chosen.pk for value in phases for chosen in value["outputs"] if chosen is not None
        )
        seeds = _seeds_by_workshop(shown.values())
        return [
            Phase(
                kind=value["kind"],
                kind_label=PhaseKind(value["kind"]).label,
                title=value["title"] or PhaseKind(value["kind"]).label,
                starts_on=value["starts_on"],
                ends_on=value["ends_on"],
                text=value["text"],
                outputs=[
                    _output(shown[chosen.pk], seeds)
                    for chosen in value["outputs"]
                    if chosen is not None and chosen.pk in shown
                ],
                is_current=value["starts_on"] <= today <= (value["ends_on"] or value["starts_on"]),
            )
            for value in phases
        ]

    def next_step(
        self, today: datetime.date | None = None
    ) -> tuple[bool, str, datetime.date] | None:
        """The phase under way or, failing that, the next one to come, for the section's
        cards: (under way?, its name, its start). Read from the stored phases without
        resolving their outputs, so that listing residencies costs no query per card."""
        today = today or timezone.localdate()
        upcoming = []
        for raw in self.phases.raw_data:
            value = raw["value"]
            try:
                starts_on = datetime.date.fromisoformat(value["starts_on"])
                ends_on = datetime.date.fromisoformat(value["ends_on"] or value["starts_on"])
                kind = PhaseKind(value["kind"])
            except (KeyError, TypeError, ValueError):
                continue
            name = f"{kind.label} : {value['title']}" if value.get("title") else str(kind.label)
            if starts_on <= today <= ends_on:
                return True, name, starts_on
            if starts_on > today:
                upcoming.append((starts_on, name))
        if not upcoming:
            return None
        starts_on, name = min(upcoming, key=lambda step: step[0])
        return False, name, starts_on

    def shown_modules(self) -> list[tuple[Page, str]]:
        """The methodology sheets run here (live and public only), with the note on each."""
        chosen = [block.value for block in self.modules if block.value["sheet"] is not None]
        shown = _shown_pages(value["sheet"].pk for value in chosen)
        return [
            (shown[value["sheet"].pk], value["note"])
            for value in chosen
            if value["sheet"].pk in shown
        ]

    def partners_by_scope(self) -> list[tuple[str, list[dict]]]:
        """The partners grouped by where they stand (on the territory first), each as
        ``name``, ``role``, ``url`` and, for the portal's partners, ``logo`` and
        ``logo_alt``. A partner deleted since it was chosen is left out."""
        groups: dict[str, list[dict]] = {scope: [] for scope in Scope.values}
        for block in self.partners:
            value = block.value
            if block.block_type == "partner":
                partner = value["partner"]
                if partner is None:
                    continue
                entry = {
                    "name": partner.name,
                    "url": partner.url,
                    "logo": partner.logo,
                    "logo_alt": partner.logo_alt,
                }
            else:
                entry = {"name": value["name"], "url": value["url"]}
            entry["role"] = value["role"]
            groups.setdefault(value["scope"], []).append(entry)
        return [(Scope(scope).label, entries) for scope, entries in groups.items() if entries]


def _shown_pages(ids) -> dict[int, Page]:
    """The pages among ``ids`` that visitors may open (live, under no view restriction),
    as their specific type, by id: one query per page type."""
    ids = set(ids)
    if not ids:
        return {}
    pages = public_pages(Page.objects.live().filter(pk__in=ids)).specific()
    return {page.pk: page for page in pages}


def _seeds_by_workshop(pages) -> dict[int, list[tuple[ProjectSeed, str]]]:
    """The project seeds of the workshops among ``pages`` (already known to be shown),
    each with the address of its page in the seeds' section (the workshop's parent): two
    queries, however many workshops."""
    workshops = {page.pk: page for page in pages if isinstance(page, WorkshopPage)}
    if not workshops:
        return {}
    parent_paths = {workshop.path[: -Page.steplen] for workshop in workshops.values()}
    sections = {page.path: page for page in Page.objects.filter(path__in=parent_paths).specific()}
    seeds: dict[int, list[tuple[ProjectSeed, str]]] = {}
    for seed in ProjectSeed.objects.filter(workshop_id__in=workshops).order_by(
        "workshop_id", "sort_order", "pk"
    ):
        section = sections[workshops[seed.workshop_id].path[: -Page.steplen]]
        address = section.url + section.reverse_subpage("seed", args=[seed.pk])
        seeds.setdefault(seed.workshop_id, []).append((seed, address))
    return seeds


def _output(page: Page, seeds: dict[int, list[tuple[ProjectSeed, str]]]) -> Output:
    label = page.specific_class._meta.label_lower
    date = getattr(page, "date", None) or getattr(page, "start", None)
    if isinstance(date, datetime.datetime):
        date = timezone.localtime(date).date()
    return Output(
        page=page, label=OUTPUT_KINDS.get(label, ""), date=date, seeds=seeds.get(page.pk, [])
    )
