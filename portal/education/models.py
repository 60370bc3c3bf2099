"""Media-education cycles ("cycles d'éducation aux médias") and their learners.

A ``MediaEducationCyclePage`` presents a cycle: what it is for, its meetings ("séances",
chosen events of the agenda, ``CycleSession``) and the learners' published productions.
The learners themselves (``Learner``) are private rows kept by the animators: their name,
whether they are minors, and a parent's authorisation (date, and what it covers: the
name, the image, the voice). A ``ProductionCredit`` links a learner to a page they made
(an article, a blog post, a radio episode) and, if any, to the image where they appear.
What of a learner may show on a public page is decided in ``portal/education/consent.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.pages import PortalPage
from core.privacy import public_pages
from portal.agenda.models import EventPage

# The pages a learner's production may be, by name: portal does not import radio.
PRODUCTION_PAGE_TYPES = ["portal.ArticlePage", "portal.BlogPostPage", "radio.EpisodePage"]


class MediaEducationCyclePage(PortalPage):
    """A media-education cycle: its séances in the agenda, its group, its productions."""

    intro = RichTextField(_("le cycle"), blank=True, features=["bold", "italic", "link"])
    audience = models.CharField(
        _("pour qui"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Jeunes de 12 à 17 ans, sur inscription »."),
    )
    partner = models.CharField(
        _("avec"),
        max_length=200,
        blank=True,
        help_text=_("Le collège, la maison de quartier ou l'association partenaire."),
    )
    learners_blog = models.ForeignKey(
        "portal.BlogPage",
        verbose_name=_("blog du groupe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Où les participants écrivent leurs billets : ils les soumettent à l'équipe "
            "d'animation, qui les relit avant publication."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("audience"), FieldPanel("partner")]),
        PageChooserPanel("learners_blog", "portal.BlogPage"),
        InlinePanel(
            "sessions",
            heading=_("Séances"),
            label=_("Séance"),
            help_text=_("Les événements de l'agenda où le groupe se retrouve."),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    template = "portal/education/media_education_cycle_page.html"
    parent_page_types = ["portal.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("cycle d'éducation aux médias")
        verbose_name_plural = _("cycles d'éducation aux médias")

    def shown_sessions(self) -> list[CycleSession]:
        """The séances whose event visitors may see, in the animator's order."""
        sessions = list(self.sessions.order_by("sort_order"))
        events = EventPage.objects.live().filter(pk__in=[s.event_id for s in sessions])
        shown = {event.pk: event for event in public_pages(events)}
        for session in sessions:
            session.shown_event = shown.get(session.event_id)
        return [session for session in sessions if session.shown_event]

    def productions(self) -> PageQuerySet:
        """The learners' pages visitors may read, newest first."""
        pages = Page.objects.live().filter(education_credits__learner__cycle=self).distinct()
        return public_pages(pages).order_by("-first_published_at").specific()

    def group_size(self) -> dict[str, int]:
        """How many young people and adults the group counts: never who."""
        minors = self.learners.filter(is_minor=True).count()
        return {"minors": minors, "adults": self.learners.count() - minors}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cycle_sessions"] = self.shown_sessions()
        context["productions"] = self.productions()
        context["group_size"] = self.group_size()
        return context


class CycleSession(Orderable):
    """A séance of a cycle: an event of the agenda."""

    cycle = ParentalKey(MediaEducationCyclePage, on_delete=models.CASCADE, related_name="sessions")
    event = models.ForeignKey(
        "portal.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="education_sessions",
    )
    topic = models.CharField(
        _("au programme"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Vérifier une information » ou « Enregistrer un podcast »."),
    )

    panels = [PageChooserPanel("event", "portal.EventPage"), FieldPanel("topic")]

    class Meta(Orderable.Meta):
        verbose_name = _("séance")
        verbose_name_plural = _("séances")


class Learner(ClusterableModel):
    """Someone taking part in a cycle. Private: seen and edited by the portal's animators
    only. A minor is recorded with a parent's authorisation, which says what may be
    published: the name, the image, the voice; whatever it does not cover stays off the
    portal."""

    cycle = models.ForeignKey(
        MediaEducationCyclePage,
        verbose_name=_("cycle"),
        on_delete=models.CASCADE,
        related_name="learners",
    )
    name = models.CharField(_("nom"), max_length=120)
    is_minor = models.BooleanField(_("mineur·e"), default=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte contributeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learner_records",
        help_text=_("Les pages que ce compte crée sont créditées à ce participant."),
    )
    parent_name = models.CharField(
        _("nom du parent ou responsable légal"), max_length=120, blank=True
    )
    authorised_on = models.DateField(_("autorisation signée le"), null=True, blank=True)
    may_show_name = models.BooleanField(_("autorise le nom"), default=False)
    may_show_image = models.BooleanField(_("autorise l'image"), default=False)
    may_broadcast_voice = models.BooleanField(_("autorise la voix"), default=False)
    notes = models.TextField(_("notes de l'équipe"), blank=True)

    # Wagtail's "usage" screens of an image or a page list what refers to it, to anyone
    # who may edit that image or page: a learner's record must not show up there.
    wagtail_reference_index_ignore = True

    panels = [
        FieldPanel("cycle"),
        FieldPanel("name"),
        FieldPanel("is_minor"),
        FieldPanel("account"),
        MultiFieldPanel(
            [
                FieldPanel("parent_name"),
                FieldPanel("authorised_on"),
                FieldRowPanel(
                    [
                        FieldPanel("may_show_name"),
                        FieldPanel("may_show_image"),
                        FieldPanel("may_broadcast_voice"),
                    ]
                ),
            ],
            heading=_("Autorisation parentale (mineurs)"),
            help_text=_(
                "Sans autorisation du nom, le portail écrit « un·e jeune du quartier » ; "
                "sans autorisation de l'image, les images où il ou elle figure ne paraissent "
                "pas ; sans autorisation de la voix, ses épisodes ne sont pas publiés."
            ),
        ),
        InlinePanel("credits", heading=_("Ses productions"), label=_("Production")),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = _("participant d'un cycle")
        verbose_name_plural = _("participants des cycles")
        ordering = ["cycle", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.is_minor:
            return
        granted = self.may_show_name or self.may_show_image or self.may_broadcast_voice
        errors = {}
        if granted and not self.parent_name.strip():
            errors["parent_name"] = _(
                "Indiquez qui a signé l'autorisation : le parent ou le responsable légal."
            )
        if granted and not self.authorised_on:
            errors["authorised_on"] = _("Indiquez la date de l'autorisation signée.")
        if self.authorised_on and self.authorised_on > timezone.localdate():
            errors["authorised_on"] = _("L'autorisation ne peut pas être datée de demain.")
        if errors:
            raise ValidationError(errors)

    @property
    def name_allowed(self) -> bool:
        return not self.is_minor or self.may_show_name

    @property
    def image_allowed(self) -> bool:
        return not self.is_minor or self.may_show_image

    @property
    def voice_allowed(self) -> bool:
        return not self.is_minor or self.may_broadcast_voice


class ProductionCredit(Orderable):
    """A learner's part in a page: what they did, and the image where they appear."""

    class Contribution(models.TextChoices):
        WRITING = "writing", _("écriture")
        PHOTO = "photo", _("photo")
        VOICE = "voice", _("voix")
        EDITING = "editing", _("montage")

    learner = ParentalKey(Learner, on_delete=models.CASCADE, related_name="credits")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("production"),
        on_delete=models.CASCADE,
        related_name="education_credits",
    )
    contribution = models.CharField(
        _("rôle"), max_length=10, choices=Contribution.choices, default=Contribution.WRITING
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image où il ou elle figure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Sans autorisation de l'image, cette image ne paraît sur aucune page."),
    )

    wagtail_reference_index_ignore = True  # as its learner's record (above)

    panels = [
        PageChooserPanel("page", PRODUCTION_PAGE_TYPES),
        FieldPanel("contribution"),
        FieldPanel("image"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("production créditée")
        verbose_name_plural = _("productions créditées")
