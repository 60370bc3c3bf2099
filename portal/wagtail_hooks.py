"""The portal's place in the Wagtail admin: inviting contributors, the network's sheets."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.admin_views import InviteContributorView, NetworkSheetsView, can_add_sheets
from portal.models import Actor


class ActorViewSet(SnippetViewSet):
    """The portal's local actors, kept by its animators."""

    model = Actor
    icon = "group"
    menu_label = _("Acteurs locaux")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "kind", "address", "featured"]
    list_filter = ["kind", "featured"]
    search_fields = ["name", "address"]


register_snippet(ActorViewSet)


@hooks.register("register_admin_urls")
def portal_admin_urls():
    return [
        path(
            "contributeurs/inviter/",
            InviteContributorView.as_view(),
            name="portal_invite_contributor",
        ),
        path("reseau/fiches/", NetworkSheetsView.as_view(), name="portal_network_sheets"),
    ]


class AnimatorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("auth.add_user")


class NetworkSheetsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_add_sheets(request.user)


@hooks.register("register_admin_menu_item")
def invite_contributor_menu_item():
    return AnimatorMenuItem(
        _("Inviter un contributeur"),
        reverse("portal_invite_contributor"),
        icon_name="user",
        order=900,
    )


@hooks.register("register_admin_menu_item")
def network_sheets_menu_item():
    return NetworkSheetsMenuItem(
        _("Fiches du réseau"), reverse("portal_network_sheets"), icon_name="doc-full", order=910
    )
