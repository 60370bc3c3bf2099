"""The portal's place in the Wagtail admin: the contributor invitation screen."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.admin_views import InviteContributorView


@hooks.register("register_admin_urls")
def contributor_urls():
    return [
        path(
            "contributeurs/inviter/",
            InviteContributorView.as_view(),
            name="portal_invite_contributor",
        )
    ]


class AnimatorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("auth.add_user")


@hooks.register("register_admin_menu_item")
def invite_contributor_menu_item():
    return AnimatorMenuItem(
        _("Inviter un contributeur"),
        reverse("portal_invite_contributor"),
        icon_name="user",
        order=900,
    )
