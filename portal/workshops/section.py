"""The project seeds section: the seeds residents can join, and the workshops they come from.

Routes are thin doors to ``portal/workshops/views.py``. The page lives apart from the
workshops' models because its views read them: the page imports the views, the views the
models, and nothing imports back.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from core.pages import SectionPage
from portal.workshops import views


class ProjectSeedIndexPage(RoutablePageMixin, SectionPage):
    """The project seeds section ("Graines de projet"): seeds to join, and the workshops."""

    template = "portal/workshops/project_seed_index_page.html"
    subpage_types = ["portal.WorkshopPage"]

    class Meta:
        verbose_name = _("rubrique Graines de projet")

    @path("", name="listing")
    def listing_route(self, request: HttpRequest) -> HttpResponse:
        return views.listing(self, request)

    @path("graine/<int:pk>/rejoindre/", name="join")
    def join_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        return views.join(self, request, pk)
