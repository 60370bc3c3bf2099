"""The animators' space: a section of the federation's portal reserved to the network's
animators and staff, and the pages it holds (internal sheets, the training calendar,
recordings).

Every page of the space is a ``ReservedPage``: it is served only to whoever
``network_space.access`` lets in (a network sign-in, or federation staff in the admin),
always as ``Cache-Control: private, no-store``. The section's root also carries a Wagtail
view restriction (``network_space.space.keep_reserved``) so that everything that leaves
private pages out (listings, menus, the sitemap, search, feeds, the network's index and
agenda, the page cache, the infolettre) leaves the whole subtree out without knowing it.
"""

from __future__ import annotations

import datetime
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction

from core.pages import PortalPage
from core.routable import render_route
from network_space.access import space_visitor
from network_space.blocks import ReservedBodyBlock
from network_space.colleagues import colleagues, edit_card
from network_space.documents import space_documents
from tenants.addresses import current_portal

INTRO_FEATURES = ["bold", "italic", "link"]
# ``Neighbourhood.Kind.FEDERATION``, spelt out: the registry is not imported by page models.
FEDERATION = "federation"

_render = partial(render_route, "network_space")


class ReservedPage(PortalPage):
    """A page of the animators' space: served to those the space lets in, never kept."""

    class Meta:
        abstract = True

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        # The space's own gate (``serve``) decides who reads these pages: the restriction
        # on the section only keeps them out of every listing (see the module).
        return PageViewRestriction.objects.none()

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return reserved(outsider_refused(request) or super().serve(request, *args, **kwargs))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["space"] = AnimatorsSpacePage.objects.live().first()
        context["visitor"] = space_visitor(request)
        return context

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list:
        return []


def outsider_refused(request: HttpRequest) -> HttpResponse | None:
    """The way to the sign-in (and back here) for whoever the space does not let in;
    None for those it does."""
    if space_visitor(request) is not None:
        return None
    sign_in = reverse("network-space-sign-in")
    return HttpResponseRedirect(f"{sign_in}?{urlencode({'suivant': request.get_full_path()})}")


def reserved(response: HttpResponse) -> HttpResponse:
    """The space's answers: for this person only, never stored, never indexed."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class AnimatorsSpacePage(RoutablePageMixin, ReservedPage):
    """The animators' space: its front page, the directory and one's own card."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [settings.PORTAL_HOME_PAGE_MODEL]
    subpage_types = [
        "network_space.InternalSheetPage",
        "network_space.TrainingCalendarPage",
        "network_space.RecordingPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("espace des animateurs")

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # RoutablePageMixin comes first and calls a route's view itself, never
        # ``ReservedPage.serve``: the gate must stand before it too.
        refused = outsider_refused(request)
        return reserved(refused or RoutablePageMixin.serve(self, request, *args, **kwargs))

    @classmethod
    def can_create_at(cls, parent: Page) -> bool:
        # The federation's portal only: its sign-in answers nowhere else.
        portal = current_portal()
        return portal is not None and portal.kind == FEDERATION and super().can_create_at(parent)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().specific().order_by("-first_published_at")
        context["sheets"] = [page for page in children if isinstance(page, InternalSheetPage)]
        context["recordings"] = [page for page in children if isinstance(page, RecordingPage)]
        context["calendar"] = next(
            (page for page in children if isinstance(page, TrainingCalendarPage)), None
        )
        return context

    @path("annuaire/")
    def directory(self, request: HttpRequest) -> HttpResponse:
        """Everyone who is animator or above at an open portal, with what they chose to show."""
        return _render(self, request, "directory", colleagues=colleagues())

    @path("ma-fiche/")
    def my_card(self, request: HttpRequest) -> HttpResponse:
        """The visitor's own card in the directory: what they show their colleagues."""
        return edit_card(self, request)

    @path("documents/<int:document_id>/")
    def document(self, request: HttpRequest, document_id: int) -> HttpResponse:
        """A document of the space's collection, to those the space lets in only."""
        document = get_object_or_404(space_documents(), pk=document_id)
        return FileResponse(
            document.file.open("rb"), as_attachment=True, filename=document.filename
        )


class InternalSheetPage(ReservedPage):
    """An internal sheet: how the network does something (rich text, documents, videos)."""

    intro = RichTextField(_("en bref"), blank=True, features=INTRO_FEATURES)
    body = StreamField(ReservedBodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["network_space.AnimatorsSpacePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("fiche interne")
        verbose_name_plural = _("fiches internes")


class TrainingSessionBlock(blocks.StructBlock):
    """One session of the network's trainings."""

    date = blocks.DateBlock(label=_("Date"))
    time = blocks.TimeBlock(label=_("Heure"), required=False)
    title = blocks.CharBlock(label=_("Intitulé"), max_length=200)
    place = blocks.CharBlock(label=_("Lieu ou visio"), max_length=200, required=False)
    description = blocks.TextBlock(label=_("Programme"), required=False)
    link = blocks.URLBlock(label=_("Lien d'inscription ou de visio"), required=False)

    class Meta:
        icon = "date"
        label = _("Session")


class TrainingCalendarPage(ReservedPage):
    """The network's training calendar: sessions kept in one list, the next ones first."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    sessions = StreamField(
        [("session", TrainingSessionBlock())], verbose_name=_("sessions"), blank=True
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("sessions")]
    parent_page_types = ["network_space.AnimatorsSpacePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("calendrier des formations")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        sessions = sorted((block.value for block in self.sessions), key=_session_order)
        context["upcoming"] = [session for session in sessions if session["date"] >= today]
        context["past"] = [session for session in sessions if session["date"] < today][::-1]
        return context


def _session_order(session: blocks.StructValue) -> tuple[datetime.date, datetime.time]:
    return (session["date"], session["time"] or datetime.time.min)


class RecordingPage(ReservedPage):
    """A recording of a training or a network meeting: a video or a sound, and notes."""

    recorded_on = models.DateField(_("enregistré le"), null=True, blank=True)
    intro = RichTextField(_("en bref"), blank=True, features=INTRO_FEATURES)
    body = StreamField(ReservedBodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("recorded_on"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["network_space.AnimatorsSpacePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("enregistrement")
        verbose_name_plural = _("enregistrements")
