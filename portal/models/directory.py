"""The directory and map of the neighbourhood's actors (one page per portal).

Routes are thin doors to ``portal/directory_views.py``, imported on call because the views
import these models.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from core.pages import SectionPage


class ActorDirectoryPage(RoutablePageMixin, SectionPage):
    """The actors' directory ("Acteurs du quartier"): list, map, actor pages, proposals."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("annuaire et carte des acteurs")

    @path("", name="listing")
    def listing_route(self, request: HttpRequest) -> HttpResponse:
        from portal import directory_views

        return directory_views.listing(self, request)

    @path("geojson/", name="geojson")
    def geojson_route(self, request: HttpRequest) -> HttpResponse:
        from portal import directory_views

        return directory_views.geojson(self, request)

    @path("acteur/<int:pk>/", name="actor")
    def actor_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        from portal import directory_views

        return directory_views.actor_detail(self, request, pk)

    @path("proposer/", name="propose")
    def propose_route(self, request: HttpRequest) -> HttpResponse:
        from portal import directory_views

        return directory_views.propose(self, request)

    @path("acteur/<int:pk>/corriger/", name="correct")
    def correct_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        from portal import directory_views

        return directory_views.propose(self, request, pk)

    @path("proposition-envoyee/", name="proposed")
    def proposed_route(self, request: HttpRequest) -> HttpResponse:
        from portal import directory_views

        return directory_views.proposed(self, request)
