"""The directory and map of the neighbourhood's actors (one page per portal).

Routes are thin doors to ``portal/actors/views.py``. The page lives apart from the actors'
models because its views read them: the page imports the views, the views the models,
and nothing imports back.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from core.pages import SectionPage
from portal.actors import views
from portal.actors.directory import actor_paths
from portal.actors.models import Actor


class ActorDirectoryPage(RoutablePageMixin, SectionPage):
    """The actors' directory ("Acteurs du quartier"): list, map, actor pages, proposals."""

    template = "portal/actors/actor_directory_page.html"
    subpage_types = ["portal.MapStoryPage"]

    class Meta:
        verbose_name = _("annuaire et carte des acteurs")

    @path("", name="listing")
    def listing_route(self, request: HttpRequest) -> HttpResponse:
        return views.listing(self, request)

    @path("geojson/", name="geojson")
    def geojson_route(self, request: HttpRequest) -> HttpResponse:
        return views.geojson(self, request)

    @path("acteur/<int:pk>/", name="actor")
    def actor_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        return views.actor_detail(self, request, pk)

    @path("proposer/", name="propose")
    def propose_route(self, request: HttpRequest) -> HttpResponse:
        return views.propose(self, request)

    @path("acteur/<int:pk>/corriger/", name="correct")
    def correct_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        return views.propose(self, request, pk)

    @path("proposition-envoyee/", name="proposed")
    def proposed_route(self, request: HttpRequest) -> HttpResponse:
        return views.proposed(self, request)

    @path("geojson/recits/", name="geojson_stories")
    def geojson_stories_route(self, request: HttpRequest) -> HttpResponse:
        return views.geojson_stories(self, request)

    @path("raconter/", name="tell")
    def tell_route(self, request: HttpRequest) -> HttpResponse:
        return views.tell(self, request)

    @path("raconter/envoye/", name="story_sent")
    def story_sent_route(self, request: HttpRequest) -> HttpResponse:
        return views.story_sent(self, request)

    @path("raconter/confirmer/<str:token>/", name="story_confirm")
    def story_confirm_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return views.story_confirm(self, request, token)

    @path("fiche/<str:token>/", name="entry")
    def entry_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return views.own_entry(self, request, token)

    @path("fiche/<str:token>/retrait/", name="entry_removal")
    def entry_removal_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return views.own_entry_removal(self, request, token)

    @path("fiche-envoyee/", name="entry_sent")
    def entry_sent_route(self, request: HttpRequest) -> HttpResponse:
        return views.entry_sent(self, request)


def directory_page() -> ActorDirectoryPage | None:
    """The portal's live directory page (one per portal, French tree), if any."""
    return ActorDirectoryPage.objects.live().filter(locale__language_code="fr").first()


def actor_path(actor: Actor, page: ActorDirectoryPage | None = None) -> str:
    """The public path of an actor's page, or "" when the portal has no directory."""
    return actor_paths(page or directory_page())(actor)
