"""The residents' map: places and short stories residents add beside the actors.

A story is a page under the actors' directory (``MapStoryPage``), so that it has its own
address, Wagtail's revisions and the residents' reactions (``reactions`` names this type).
A resident's story is created unpublished and waits: first for its author to confirm their
e-mail address, then for an animator (``portal/actors/story_lifecycle.py``); only the
animator's approval publishes it. The author's e-mail address and the place they typed
stay in the admin: the public page shows the kind, the title, the text, the photo with
its credit, the author's chosen name, and the point on the map.

The photo a resident sends waits in ``pending_photo``, a private file (``private/``, never
served under ``/media/``) that only the animators see, through ``story_photo.py``; it
becomes an image of the portal's library only when the story is approved.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from core.page_routes import ExtensibleRoutablePageMixin
from core.pages import PortalPage
from portal.actors.exports import stories_geojson_data

MAX_TEXT = 2000


class StoryKind(models.TextChoices):
    """What a resident adds to the map (the map's filter and its markers' legend)."""

    PLACE = "place", _("Un lieu qui compte")
    MEMORY = "memory", _("Un souvenir")
    PROBLEM = "problem", _("Un problème")
    WISH = "wish", _("Une envie « ici il faudrait… »")


class MapStoryPage(ExtensibleRoutablePageMixin, PortalPage):
    """A place or a short story a resident added to the neighbourhood's map."""

    foot_sections = True

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Adresse à confirmer")
        PENDING = "pending", _("À modérer")
        PUBLISHED = "published", _("Publiée")
        DECLINED = "declined", _("Refusée")

    kind = models.CharField(_("nature"), max_length=10, choices=StoryKind.choices)
    text = models.TextField(_("récit"), max_length=MAX_TEXT)
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
    # Typed by a resident without JavaScript: the animator places the point from it.
    place_hint = models.CharField(
        _("lieu indiqué (privé)"),
        max_length=255,
        blank=True,
        help_text=_("Ce que la personne a écrit pour situer son récit : jamais publié."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The resident's photo until an animator decides: outside the image library, where
    # contributors could otherwise put it on pages before anyone checked it.
    pending_photo = models.ImageField(
        _("photo en attente (privée)"),
        upload_to="private/stories/%Y/%m/",
        blank=True,
    )
    photo_credit = models.CharField(_("crédit de la photo"), max_length=120, blank=True)
    photo_alt = models.CharField(
        _("texte alternatif de la photo"),
        max_length=250,
        blank=True,
        help_text=_("Ce que la photo montre, pour les personnes qui ne la voient pas."),
    )
    contributor_name = models.CharField(_("signé"), max_length=80, blank=True)
    # Private: to confirm the story and tell its author the decision.
    contributor_email = models.EmailField(_("e-mail de la personne (privé)"), blank=True)
    status = models.CharField(
        _("état"),
        max_length=12,
        choices=Status.choices,
        default=Status.PUBLISHED,
        db_index=True,
    )
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    decision_note = models.TextField(_("note de décision"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("place_hint"),
            ],
            heading=_("Où"),
        ),
        MultiFieldPanel(
            [FieldPanel("photo"), FieldPanel("photo_credit"), FieldPanel("photo_alt")],
            heading=_("Photo"),
        ),
        FieldPanel("contributor_name"),
        FieldPanel("contributor_email", read_only=True),
    ]
    search_fields = [*Page.search_fields, index.SearchField("text")]

    parent_page_types = ["portal.ActorDirectoryPage"]
    subpage_types: list[str] = []
    template = "portal/actors/map_story_page.html"

    class Meta:
        verbose_name = _("récit de la carte")
        verbose_name_plural = _("récits de la carte")

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def get_context(self, request: HttpRequest, *args: object, **kwargs: object) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["map_data"] = stories_geojson_data([self] if self.is_located else [])
        context["tile_url"] = settings.MAP_TILE_URL
        context["tile_attribution"] = settings.MAP_TILE_ATTRIBUTION
        return context


def shown_stories(directory: Page | None = None):
    """The stories visitors see (published, live), newest first; under ``directory`` if
    given."""
    stories = MapStoryPage.objects.live().public().filter(status=MapStoryPage.Status.PUBLISHED)
    if directory is not None:
        stories = stories.child_of(directory)
    return stories.select_related("photo").order_by("-first_published_at", "-pk")


def waiting_stories():
    """The stories an animator has to decide on: confirmed, oldest first."""
    return MapStoryPage.objects.filter(status=MapStoryPage.Status.PENDING).order_by(
        "received_at", "pk"
    )
