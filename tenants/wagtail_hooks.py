"""The network's place in the federation portal's admin: the "Réseau" menu; and, in every
neighbourhood's admin, the history of federation staff's support visits."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants.admin_views import CreatePortalView, NetworkIndexView, PortalView, can_run_network
from tenants.support_views import PortalSupportView, SupportHistoryView, can_see_support_history


@hooks.register("register_admin_urls")
def network_admin_urls():
    return [
        path("reseau/", NetworkIndexView.as_view(), name="network_index"),
        path("reseau/ouvrir/", CreatePortalView.as_view(), name="network_create"),
        path("reseau/portails/<slug:slug>/", PortalView.as_view(), name="network_portal"),
        path(
            "reseau/portails/<slug:slug>/support/",
            PortalSupportView.as_view(),
            name="network_support",
        ),
        path("support/", SupportHistoryView.as_view(), name="support_history"),
    ]


class NetworkMenuItem(MenuItem):
    """Shown only where the screens answer: the federation's host, to its staff."""

    def is_shown(self, request) -> bool:
        return can_run_network(request)


class SupportHistoryMenuItem(MenuItem):
    """Shown at a neighbourhood's portal to those who may read its support history."""

    def is_shown(self, request) -> bool:
        tenant = getattr(request, "tenant", None)
        return getattr(tenant, "kind", "") == "neighbourhood" and can_see_support_history(request)


@hooks.register("register_admin_menu_item")
def network_menu_item():
    return NetworkMenuItem(_("Réseau"), reverse("network_index"), icon_name="site", order=950)


@hooks.register("register_admin_menu_item")
def support_history_menu_item():
    return SupportHistoryMenuItem(
        _("Support réseau"), reverse("support_history"), icon_name="help", order=960
    )
