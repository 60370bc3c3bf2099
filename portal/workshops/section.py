"""The project seeds section: the seeds residents can join, and the workshops they come from.

Routes are thin doors to ``portal/workshops/views.py`` (the listing, joining) and
``portal/workshops/group_views.py`` (a seed's page and feed, the workshops held, and the
private pages opened by signed links: a group's page, a member's confirmation and leave
pages, a participant's address book). The
page lives apart from the workshops' models because its views read them: the page imports
the views, the views the models, and nothing imports back.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from core.pages import SectionPage
from portal.workshops import group_views, views


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

    @path("graine/<int:pk>/", name="seed")
    def seed_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        return group_views.seed_detail(self, request, pk)

    @path("graine/<int:pk>/rss/", name="seed_feed")
    def seed_feed_route(self, request: HttpRequest, pk: int) -> HttpResponse:
        return group_views.seed_feed(self, request, pk)

    @path("ateliers/", name="workshops")
    def workshops_route(self, request: HttpRequest) -> HttpResponse:
        return group_views.workshops(self, request)

    @path("membre/confirmer/<str:token>/", name="member_confirm")
    def member_confirm_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return group_views.member_confirm(self, request, token)

    @path("membre/quitter/<str:token>/", name="member_leave")
    def member_leave_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return group_views.member_leave(self, request, token)

    @path("groupe/<str:token>/", name="group")
    def group_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return group_views.group(self, request, token)

    @path("carnet/<str:token>/", name="address_book")
    def address_book_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return group_views.address_book(self, request, token)

    @path("carnet/<str:token>/vcard/", name="address_book_vcard")
    def address_book_vcard_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return group_views.address_book(self, request, token, file="vcard")

    @path("carnet/<str:token>/csv/", name="address_book_csv")
    def address_book_csv_route(self, request: HttpRequest, token: str) -> HttpResponse:
        return group_views.address_book(self, request, token, file="csv")
