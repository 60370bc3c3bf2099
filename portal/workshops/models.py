"""Participatory workshops and the project seeds ("graines de projet") born there.

A ``WorkshopPage`` records a workshop, announced or held: its theme, its agenda event, the
questionnaire sent to the actors of the theme beforehand, who took part (actors, and
participants recorded with their consent, ``WorkshopAttendee``), the shared diagnosis,
and its project seeds. The seeds are inline children of their workshop (``ProjectSeed``),
not pages of their own: they are written in the same sitting as the diagnosis, published
and revised with it; the section page (``portal/workshops/section.py``) lists the seeds
of every live workshop and gives each a sub-page (its group's updates, its RSS feed) and
the "I want to join" form. The action groups' own rows (members, updates) are in
``portal/workshops/group_models.py``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from core.pages import PortalPage, PortalPageQuerySet
from portal.actors.stories import MapStoryPage, shown_stories

# The questionnaire's page type, by name: portal does not import consultations for it.
QUESTIONNAIRE_PAGE_TYPE = "consultations.ConsultationPage"


def _diagnosis_list(label: str, item_label: str) -> blocks.ListBlock:
    return blocks.ListBlock(blocks.CharBlock(label=item_label, max_length=300), label=label)


class DiagnosisBlock(blocks.StreamBlock):
    """The shared diagnosis ("état des lieux"): the seeds' six headings, each at most once.

    The keys are stored in every portal's pages: never rename one ("resources", the
    first name of the "Moyens" heading, stays).
    """

    brakes = _diagnosis_list(_("Freins"), _("Un frein"))
    levers = _diagnosis_list(_("Leviers"), _("Un levier"))
    resources = _diagnosis_list(_("Moyens"), _("Un moyen"))
    expectations = _diagnosis_list(_("Attentes"), _("Une attente"))
    needs = _diagnosis_list(_("Besoins"), _("Un besoin"))
    wishes = _diagnosis_list(_("Envies"), _("Une envie"))

    class Meta:
        block_counts = {
            name: {"max_num": 1}
            for name in ("brakes", "levers", "resources", "expectations", "needs", "wishes")
        }


class WorkshopPageQuerySet(PortalPageQuerySet):
    def held(self) -> WorkshopPageQuerySet:
        """Workshops that took place (today's included), newest first."""
        return self.filter(date__lte=timezone.localdate()).order_by("-date", "-pk")

    def upcoming(self) -> WorkshopPageQuerySet:
        """Workshops still to come, soonest first."""
        return self.filter(date__gt=timezone.localdate()).order_by("date", "pk")


class WorkshopPage(PortalPage):
    """A participatory workshop on a theme: announced, then held, with its diagnosis and
    project seeds."""

    date = models.DateField(_("date de l'atelier"), default=timezone.localdate)
    theme = models.CharField(
        _("thème"),
        max_length=100,
        blank=True,
        help_text=_(
            "Le thème tel qu'il figure sur les fiches des acteurs (« alimentation », "
            "« mobilité »…) : le questionnaire et le carnet d'adresses vont à ces acteurs."
        ),
    )
    event = models.ForeignKey(
        "portal.EventPage",
        verbose_name=_("événement de l'agenda"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    # A generic page, limited to the consultations' page type in the chooser: portal does
    # not import the consultations app for a link.
    questionnaire = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("questionnaire aux acteurs"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Une consultation de type questionnaire, envoyée aux acteurs du thème."),
    )
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
            [
                FieldPanel("date"),
                FieldPanel("place_name"),
                FieldPanel("address"),
                FieldPanel("event"),
            ],
            heading=_("Quand et où"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("theme"),
                PageChooserPanel("questionnaire", page_type=QUESTIONNAIRE_PAGE_TYPE),
            ],
            heading=_("Thème et questionnaire"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("participants"), FieldPanel("resident_count")],
            heading=_("Participants"),
        ),
        InlinePanel(
            "attendees",
            heading=_("Participants inscrits (privé)"),
            label=_("Participant"),
            help_text=_(
                "Jamais affichés sur le portail. Qui accepte de figurer dans le carnet "
                "d'adresses le reçoit après l'atelier."
            ),
        ),
        FieldPanel("diagnosis"),
        InlinePanel("seeds", heading=_("Graines de projet"), label=_("Graine de projet")),
        InlinePanel(
            "picked_stories",
            heading=_("Récits des habitants repris"),
            label=_("Récit de la carte"),
            help_text=_("Seuls les récits publiés sur la carte paraissent sur la page."),
        ),
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

    objects = PageManager.from_queryset(WorkshopPageQuerySet)()

    class Meta:
        verbose_name = _("atelier participatif")
        verbose_name_plural = _("ateliers participatifs")

    def diagnosis_lists(self) -> dict[str, list[str]]:
        """The diagnosis' non-empty lists by heading key (``brakes``, ``levers``...)."""
        return {block.block_type: list(block.value) for block in self.diagnosis if block.value}

    def stories(self) -> list[MapStoryPage]:
        """The residents' stories picked for the workshop that visitors may read
        (published on the map), in the animator's order."""
        ids = [pick.story_id for pick in self.picked_stories.order_by("sort_order")]
        shown = {story.pk: story for story in shown_stories().filter(pk__in=ids)}
        return [shown[pk] for pk in ids if pk in shown]


class WorkshopStory(Orderable):
    """A resident's map story the animator picked for a workshop (« Ce que les habitants
    ont raconté »). Any story may be chosen; only a published one is ever shown."""

    workshop = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="picked_stories")
    story = models.ForeignKey(
        "portal.MapStoryPage",
        verbose_name=_("récit"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("story", "portal.MapStoryPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("récit repris dans l'atelier")
        verbose_name_plural = _("récits repris dans l'atelier")


class WorkshopAttendee(Orderable):
    """Someone who took part in a workshop, recorded with their consent. Private: shown
    only in the admin and, if they agreed, in the workshop's thematic address book."""

    workshop = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("nom"), max_length=120)
    structure = models.CharField(_("structure"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    listed = models.BooleanField(
        _("accepte de figurer dans le carnet d'adresses"),
        default=False,
        help_text=_("Et de le recevoir : le carnet va à qui accepte d'y figurer."),
    )
    consent_noted_on = models.DateField(_("accord recueilli le"), default=timezone.localdate)

    panels = [
        FieldPanel("name"),
        FieldPanel("structure"),
        FieldPanel("email"),
        FieldPanel("listed"),
        FieldPanel("consent_noted_on"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("participant inscrit")
        verbose_name_plural = _("participants inscrits")

    def __str__(self) -> str:
        return self.name


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
            "Reçoit les demandes « Je veux participer » et le lien de la page du groupe ; "
            "jamais affiché. Vide : l'équipe d'animation reçoit les demandes."
        ),
    )
    trusted = models.BooleanField(
        _("groupe de confiance"),
        default=False,
        help_text=_("Ses nouvelles paraissent sans attendre la modération."),
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
        FieldPanel("trusted"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("graine de projet")
        verbose_name_plural = _("graines de projet")

    def __str__(self) -> str:
        return self.title

    def resident_names(self) -> list[str]:
        return [line.strip() for line in self.residents.splitlines() if line.strip()]
